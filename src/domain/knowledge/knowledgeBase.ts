import type {
  ErrorCatalog,
  FlowDefinition,
  LanguageProfile,
  LocalizedFlow,
  LocalizedTopic,
  RecognitionSettings,
  TopicDefinition,
} from './schema';

/** A sync error type explained in one language. */
export interface SyncErrorText {
  meaning: string;
  cause: string;
  fix: string;
}

/**
 * A topic as one language presents it: the neutral definition (topics/<id>.yaml) joined with that
 * language's text (locales/<lang>/topics/<id>.yaml), its links titled and its diagnosis text renamed
 * beside the definition's rules. Derived from the schemas, so a field added there arrives here.
 */
export type Topic = Omit<TopicDefinition, 'links'> &
  Omit<LocalizedTopic, 'links' | 'diagnosis'> & {
    diagnosisText?: LocalizedTopic['diagnosis'];
    links: { title: string; url: string }[];
  };

export interface TrainingExample {
  /** A topic id, `command:<name>`, `command:switchLanguage:<code>`, `vague` or `out-of-scope`. */
  intent: string;
  text: string;
}

export interface LanguagePack {
  profile: LanguageProfile;
  strings: Record<string, string>;
  topics: Map<string, Topic>;
  outOfScope: string[];
  /** Messages that only say sync is broken: the bot asks what the user sees. */
  vague: string[];
  /** How users write, labelled with what they mean: the intent classifier's training examples. */
  examples: TrainingExample[];
  errors: Map<string, SyncErrorText>;
  flows: Map<string, LocalizedFlow>;
}

/** The validated content of knowledge/: the single source of what the bot knows and says. */
export class KnowledgeBase {
  readonly topicIds: string[];

  constructor(
    readonly recognition: RecognitionSettings,
    readonly synonyms: Record<string, string>,
    readonly definitions: TopicDefinition[],
    readonly errorCatalog: ErrorCatalog,
    readonly flows: FlowDefinition[],
    private readonly packs: Map<string, LanguagePack>,
  ) {
    this.topicIds = [...definitions].sort((a, b) => a.order - b.order).map((d) => d.id);
  }

  get languages(): string[] {
    return [...this.packs.keys()];
  }

  get defaultLanguage(): string {
    return this.recognition.defaultLanguage;
  }

  supports(language: string): boolean {
    return this.packs.has(language);
  }

  /** The language's texts; a language the bot does not speak is a programming error, not English. */
  pack(language: string): LanguagePack {
    const pack = this.packs.get(language);
    if (!pack)
      throw new Error(`no language pack for "${language}" (the bot speaks ${this.languages.join(', ')})`);
    return pack;
  }

  topic(id: string, language: string): Topic | undefined {
    return this.pack(language).topics.get(id);
  }

  syncError(code: string, language: string): SyncErrorText | undefined {
    return this.pack(language).errors.get(code);
  }

  flow(id: string): FlowDefinition | undefined {
    return this.flows.find((f) => f.id === id);
  }

  /** The guided check that belongs to a topic, if it has one. */
  flowForTopic(topicId: string): FlowDefinition | undefined {
    return this.flows.find((f) => f.topic === topicId);
  }

  flowText(id: string, language: string): LocalizedFlow | undefined {
    return this.pack(language).flows.get(id);
  }

  definition(id: string): TopicDefinition | undefined {
    return this.definitions.find((d) => d.id === id);
  }

  /** The topics a topic's answer points on to (its `related:`), most likely first. */
  related(topicId: string): string[] {
    return this.definition(topicId)?.related ?? [];
  }

  /** The same knowledge with only the examples the filter keeps (cross-validation trains on a part). */
  withExamples(keep: (example: TrainingExample, index: number, language: string) => boolean): KnowledgeBase {
    const packs = new Map(
      [...this.packs].map(([language, pack]) => [
        language,
        { ...pack, examples: pack.examples.filter((e, i) => keep(e, i, language)) },
      ]),
    );
    return new KnowledgeBase(
      this.recognition,
      this.synonyms,
      this.definitions,
      this.errorCatalog,
      this.flows,
      packs,
    );
  }

  /** Topics in menu order. */
  topics(language: string): Topic[] {
    const pack = this.pack(language);
    return this.topicIds.map((id) => pack.topics.get(id)).filter((t): t is Topic => t !== undefined);
  }
}
