import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KnowledgeBase, TrainingExample } from '../knowledge/knowledgeBase';
import type { TrainingSettings } from './intentModel';
import { IntentModel, type IntentScore } from './intentModel';
import { TextAnalyzer } from '../language/textAnalyzer';
import { CLASSIFIER } from './tuning';

/** Raise when the features or the trainer change: cached models of an older version are not reused. */
const MODEL_VERSION = 2;
const MAX_CACHED_PREDICTIONS = 2_000;

export const OUT_OF_SCOPE_INTENT = 'out-of-scope';
export const VAGUE_INTENT = 'vague';
export const COMMAND_PREFIX = 'command:';

/**
 * What a message's words look like to the classifier: stemmed words and word pairs (the meaning),
 * and character n-grams (typos, inflections, compounds such as "wachtwoordsynchronisatie").
 */
export function messageFeatures(analyzer: TextAnalyzer, text: string): string[] {
  const { words } = analyzer.analyze(text);
  const stems = words.map((w) =>
    /^\d+$/.test(w) ? (w.length > CLASSIFIER.smallNumberDigits ? '#' : '##') : analyzer.stem(w),
  );
  const features = new Set<string>();
  for (const stem of stems) features.add(`w:${stem}`);
  for (let i = 0; i + 1 < stems.length; i++) features.add(`b:${stems[i]}_${stems[i + 1]}`);
  const padded = ` ${words.join(' ')} `;
  for (const n of CLASSIFIER.letterNgrams)
    for (let i = 0; i + n <= padded.length; i++) features.add(`c:${padded.slice(i, i + n)}`);
  // One- and two-word messages are mostly replies ("nee", "geen idee"): their length is evidence.
  if (stems.length <= CLASSIFIER.shortMessageWords) features.add(`n:${stems.length}`);
  return [...features];
}

/** Everything the classifier of one language learns from: the knowledge's phrasings and the examples. */
export function trainingCorpus(kb: KnowledgeBase, language: string): TrainingExample[] {
  const pack = kb.pack(language);
  const corpus: TrainingExample[] = [];
  for (const topic of kb.topics(language))
    for (const text of [topic.title, topic.menuLabel, ...topic.terms, ...topic.phrasings])
      corpus.push({ intent: topic.id, text });
  for (const text of pack.outOfScope) corpus.push({ intent: OUT_OF_SCOPE_INTENT, text });
  for (const text of pack.vague) corpus.push({ intent: VAGUE_INTENT, text });
  for (const [command, phrases] of Object.entries(pack.profile.commands)) {
    if (command === 'switchLanguage') continue;
    for (const text of phrases) corpus.push({ intent: `${COMMAND_PREFIX}${command}`, text });
  }
  // A language is asked for by its name in any language: every pack's switch phrases teach every model.
  for (const other of kb.languages)
    for (const text of kb.pack(other).profile.commands.switchLanguage)
      corpus.push({ intent: `${COMMAND_PREFIX}switchLanguage:${other}`, text });
  corpus.push(...pack.examples);
  return corpus;
}

export interface IntentClassifierOptions {
  /** Where trained models are kept between runs; training happens only when the corpus changed. */
  cacheDirs?: string[];
  /** Told when a model is trained (not when it is loaded from the cache). */
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export const defaultModelCacheDirs = (): string[] => [
  path.join(__dirname, '..', '..', '..', 'intent-models'),
  path.join(os.tmpdir(), 'directory-sync-assistant-intent-models'),
];

/**
 * Classifies a message into what the user means: a topic, a conversation command, vague or out of
 * scope. One model per language, trained on that language's corpus; a model whose corpus is
 * unchanged is loaded from the cache instead of trained again.
 */
export class IntentClassifier {
  private readonly models = new Map<string, IntentModel>();
  private readonly analyzers = new Map<string, TextAnalyzer>();
  private readonly predictions = new Map<string, IntentScore[]>();

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly options: IntentClassifierOptions = {},
  ) {
    for (const language of kb.languages)
      this.analyzers.set(language, new TextAnalyzer(kb.pack(language).profile, kb.synonyms));
  }

  get languages(): string[] {
    return this.kb.languages;
  }

  /** Every intent with its probability, best first, by the model of the given language. */
  classify(text: string, language: string): IntentScore[] {
    const lang = this.analyzers.has(language) ? language : this.kb.defaultLanguage;
    const key = `${lang}\u0000${text}`;
    const cached = this.predictions.get(key);
    if (cached) return cached;
    const scores = this.model(lang).predict(messageFeatures(this.analyzers.get(lang) as TextAnalyzer, text));
    if (this.predictions.size >= MAX_CACHED_PREDICTIONS) {
      const oldest = this.predictions.keys().next().value;
      if (oldest !== undefined) this.predictions.delete(oldest);
    }
    this.predictions.set(key, scores);
    return scores;
  }

  /** Loads or trains the languages' models now (all by default), so the first message of each does not pay for it. */
  prepare(languages: readonly string[] = this.kb.languages): void {
    for (const language of languages) this.model(language);
  }

  private model(language: string): IntentModel {
    let model = this.models.get(language);
    if (!model) {
      model = this.loadOrTrain(language);
      this.models.set(language, model);
    }
    return model;
  }

  private loadOrTrain(language: string): IntentModel {
    const analyzer = this.analyzers.get(language) as TextAnalyzer;
    const corpus = trainingCorpus(this.kb, language);
    const settings = this.kb.recognition.classifier;
    const hash = crypto
      .createHash('sha256')
      // The neutral synonyms change the features as the language's own do: a model trained before a
      // change to synonyms.yaml is stale.
      .update(
        JSON.stringify({
          MODEL_VERSION,
          settings,
          profile: analyzer.profile,
          synonyms: this.kb.synonyms,
          corpus,
        }),
      )
      .digest('hex')
      .slice(0, 16);
    const fileName = `${language}-${hash}.bin`;
    const dirs = this.options.cacheDirs ?? defaultModelCacheDirs();
    for (const dir of dirs) {
      const file = path.join(dir, fileName);
      try {
        if (fs.existsSync(file)) return IntentModel.fromBuffer(fs.readFileSync(file));
      } catch {
        // A damaged cache file is trained again below and overwritten.
      }
    }
    const started = Date.now();
    const model = trainIntentModel(corpus, analyzer, settings);
    this.options.log?.('intent model trained', {
      language,
      ms: Date.now() - started,
      examples: corpus.length,
    });
    for (const dir of dirs) {
      try {
        fs.mkdirSync(dir, { recursive: true });
        // Written aside, then renamed: a process reading the cache never sees half a file.
        const temporary = path.join(dir, `${fileName}.${process.pid}.tmp`);
        fs.writeFileSync(temporary, model.toBuffer());
        fs.renameSync(temporary, path.join(dir, fileName));
        break;
      } catch {
        // A read-only folder (a deployed package): try the next one, or keep the model in memory.
      }
    }
    return model;
  }
}

export function trainIntentModel(
  corpus: readonly TrainingExample[],
  analyzer: TextAnalyzer,
  settings: TrainingSettings,
): IntentModel {
  return IntentModel.train(
    corpus.map((e) => ({ features: messageFeatures(analyzer, e.text), intent: e.intent })),
    settings,
  );
}
