import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import type { CommandName, RecognitionSettings } from '../knowledge/schema';
import type { IntentScore } from '../recognition/intentModel';
import { COMMAND_PREFIX, type IntentClassifier } from '../recognition/intentClassifier';
import { clauses } from './clauses';
import { foldText } from './textAnalyzer';

type UnderstandingSettings = RecognitionSettings['understanding'];

/** Commands that go along with an answer rather than replace it. */
const COURTESIES: readonly CommandName[] = ['thanks', 'greeting'];
/** The longest opening phrase tried as the reply itself ("did not help", "helpt niet"). */
const LEADING_PHRASE_WORDS = 4;

export interface CommandMatch {
  command: CommandName;
  /** The language whose phrase matched. For switchLanguage: the language asked for. */
  language: string;
  /** An exact phrase of language.yaml, or the classifier reading the user's own words. */
  source: 'phrase' | 'classifier' | 'leading';
  /** For a reply said with more ('leading'): what the message says besides the reply. */
  rest?: string;
}

export interface CommandContext {
  /** The replies the waiting question expects: they need less certainty ("nee hoor", "geen flauw idee"). */
  expected?: readonly CommandName[];
  /** The waiting question takes free text (the helpdesk details): only exact phrases are commands. */
  exactOnly?: boolean;
}

/**
 * Recognizes whole-message commands: the exact phrases of each language's language.yaml first (a
 * phrase shared by several languages resolves to the current one), then, for anything else, the
 * intent classifier, which knows commands said in the user's own words ("could someone from IT
 * call me back") as well as topics.
 */
export class CommandRecognizer {
  private readonly phrases = new Map<string, Omit<CommandMatch, 'source'>[]>();

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly classifier?: IntentClassifier,
  ) {
    for (const language of kb.languages) {
      const commands = kb.pack(language).profile.commands;
      for (const command of Object.keys(commands) as CommandName[]) {
        for (const phrase of commands[command]) {
          const key = foldText(phrase);
          if (!key) continue;
          const list = this.phrases.get(key) ?? [];
          list.push({ command, language });
          this.phrases.set(key, list);
        }
      }
    }
  }

  /** The command a message is, if it is one: exact phrases first, then the user's own words. */
  match(text: string, currentLanguage: string, context: CommandContext = {}): CommandMatch | undefined {
    if (context.exactOnly) return this.matchPhrase(text, currentLanguage);
    const phrase = this.matchPhrase(text, currentLanguage);
    if (phrase) return phrase;
    const classified = this.classify(text, currentLanguage, context);
    // "ja gevonden, dank" at "did this solve it?" is the awaited yes said with thanks, not only thanks.
    if (classified && !COURTESIES.includes(classified.command)) return classified;
    return this.leadingReply(text, currentLanguage, context) ?? classified;
  }

  /**
   * The awaited reply said first or last, with more after or before it: "didn't help, the ADSync
   * service is running and still nothing", "oui le service était arrêté, ça repart", "Scheduler ist
   * enabled, hilft nix". People answer the question and go on; what they add does not undo the answer.
   * Only a reply the waiting question expects counts, and only as an exact phrase: the opening words
   * (longest phrase first, so "no idea" is never "no") or a whole first or last clause.
   */
  private leadingReply(text: string, language: string, context: CommandContext): CommandMatch | undefined {
    const expected = context.expected ?? [];
    if (expected.length === 0) return undefined;
    const isExpected = (match: CommandMatch | undefined, rest: string[]): CommandMatch | undefined =>
      match && expected.includes(match.command)
        ? { ...match, source: 'leading', rest: rest.join(', ') }
        : undefined;
    const parts = clauses(text);
    if (parts.length === 0) return undefined;
    const [first] = parts as [string, ...string[]];
    const last = parts[parts.length - 1] as string;
    if (parts.length > 1) {
      const whole =
        isExpected(this.matchPhrase(first, language), parts.slice(1)) ??
        isExpected(this.matchPhrase(last, language), parts.slice(0, -1));
      if (whole) return whole;
    }
    const words = first.split(/\s+/);
    for (let n = Math.min(LEADING_PHRASE_WORDS, words.length - 1); n >= 1; n--) {
      const phrase = this.matchPhrase(words.slice(0, n).join(' '), language);
      if (phrase) return isExpected(phrase, [words.slice(n).join(' '), ...parts.slice(1)]);
    }
    return undefined;
  }

  /**
   * `command` said as a whole first or last clause of a longer message, as an exact phrase: "perfecto,
   * eso es todo. gracias" is thanks, "actually hold on, it just synced. drop it" is cancel.
   */
  clauseCommand(text: string, language: string, command: CommandName): CommandMatch | undefined {
    const parts = clauses(text);
    if (parts.length < 2) return undefined;
    for (const part of [parts[0], parts[parts.length - 1]] as string[]) {
      const match = this.matchPhrase(part, language);
      if (match?.command === command) return match;
    }
    return undefined;
  }

  /**
   * `command` said as the first clause of a longer message, as a phrase or in the user's own words:
   * "oh wait nvm, mark from IT just walked past, he'll sort it" opens with a cancel.
   */
  opensWith(text: string, language: string, command: CommandName): boolean {
    const [first, ...rest] = clauses(text);
    return first !== undefined && rest.length > 0 && this.match(first, language)?.command === command;
  }

  /**
   * `command` said as the last clause of a longer message, as a phrase or in the user's own words:
   * "ah attendez ça vient de marcher, oubliez la demande" closes with a cancel.
   */
  closesWith(text: string, language: string, command: CommandName): boolean {
    const parts = clauses(text);
    const last = parts[parts.length - 1];
    return parts.length > 1 && last !== undefined && this.match(last, language)?.command === command;
  }

  /**
   * `command` said as any one clause of a longer message, as a phrase or in the user's own words:
   * "graag doorzetten naar 2e lijn, alle stappen gedaan en het werkt nog steeds niet" asks for a person.
   */
  saidInAClause(text: string, language: string, command: CommandName): boolean {
    const parts = clauses(text);
    return parts.length > 1 && parts.some((part) => this.match(part, language)?.command === command);
  }

  matchPhrase(text: string, currentLanguage: string): CommandMatch | undefined {
    const candidates = this.phrases.get(foldText(text));
    if (!candidates) return undefined;
    // A switch names its language explicitly; it never resolves to the current one by default.
    const switches = candidates.filter((c) => c.command === 'switchLanguage');
    const found =
      switches.length > 0
        ? (switches.find((c) => c.language === currentLanguage) ?? switches[0])
        : (candidates.find((c) => c.language === currentLanguage) ?? candidates[0]);
    return found && { ...found, source: 'phrase' };
  }

  private classify(text: string, language: string, context: CommandContext): CommandMatch | undefined {
    // Without a letter ("1", "350000") a message says no command in own words; its exact phrases still do.
    if (!this.classifier || !/\p{L}/u.test(foldText(text))) return undefined;
    return commandFromIntents(
      this.classifier.classify(text, language),
      language,
      context,
      this.kb.recognition.understanding,
    );
  }
}

/** A command as the classifier names it: command:help, command:switchLanguage:de. */
export function intentOfCommand(match: Pick<CommandMatch, 'command' | 'language'>): string {
  return match.command === 'switchLanguage'
    ? `${COMMAND_PREFIX}switchLanguage:${match.language}`
    : `${COMMAND_PREFIX}${match.command}`;
}

/** The command the classifier's probabilities make of a message, if any (calibration replays this). */
export function commandFromIntents(
  scores: readonly IntentScore[],
  language: string,
  context: CommandContext,
  settings: Pick<UnderstandingSettings, 'commandThreshold' | 'expectedCommandThreshold'>,
): CommandMatch | undefined {
  const toMatch = (intent: string): CommandMatch => {
    const [command, asked] = intent.slice(COMMAND_PREFIX.length).split(':') as [CommandName, string?];
    return { command, language: asked ?? language, source: 'classifier' };
  };
  const [best] = scores;
  if (best?.intent.startsWith(COMMAND_PREFIX) && best.score >= settings.commandThreshold)
    return toMatch(best.intent);
  // What the waiting question expects comes first: its best expected reply, if likely enough.
  for (const { intent, score } of scores) {
    if (score < settings.expectedCommandThreshold) break;
    const command = intent.slice(COMMAND_PREFIX.length) as CommandName;
    if (intent.startsWith(COMMAND_PREFIX) && context.expected?.includes(command)) return toMatch(intent);
  }
  return undefined;
}
