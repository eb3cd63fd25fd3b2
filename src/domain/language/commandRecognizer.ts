import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import type { CommandName, RecognitionSettings } from '../knowledge/schema';
import type { IntentScore } from '../recognition/intentModel';
import { COMMAND_PREFIX, type IntentClassifier } from '../recognition/intentClassifier';
import { foldText } from './textAnalyzer';

type UnderstandingSettings = RecognitionSettings['understanding'];

export interface CommandMatch {
  command: CommandName;
  /** The language whose phrase matched. For switchLanguage: the language asked for. */
  language: string;
  /** An exact phrase of language.yaml, or the classifier reading the user's own words. */
  source: 'phrase' | 'classifier';
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
    return (
      this.matchPhrase(text, currentLanguage) ??
      (context.exactOnly ? undefined : this.classify(text, currentLanguage, context))
    );
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
    if (!this.classifier || !foldText(text)) return undefined;
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
