import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import type { CommandName } from '../knowledge/schema';
import { foldText } from './textAnalyzer';

export interface CommandMatch {
  command: CommandName;
  /** The language whose phrase matched. For switchLanguage: the language asked for. */
  language: string;
}

/**
 * Recognizes whole-message commands ("help", "opnieuw beginnen", "in English") from each
 * language's language.yaml. A phrase shared by several languages resolves to the current one.
 */
export class CommandRecognizer {
  private readonly phrases = new Map<string, CommandMatch[]>();

  constructor(kb: KnowledgeBase) {
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

  match(text: string, currentLanguage: string): CommandMatch | undefined {
    const candidates = this.phrases.get(foldText(text));
    if (!candidates) return undefined;
    // A switch names its language explicitly; it never resolves to the current one by default.
    const switches = candidates.filter((c) => c.command === 'switchLanguage');
    if (switches.length > 0) return switches.find((c) => c.language === currentLanguage) ?? switches[0];
    return candidates.find((c) => c.language === currentLanguage) ?? candidates[0];
  }
}
