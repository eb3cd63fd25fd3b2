import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import { foldText, type TextAnalyzer } from './textAnalyzer';

export interface LanguageGuess {
  language: string;
  /** Share of the message's words that belong to this language and not to every language. */
  share: number;
  /** How many such words were seen: one word proves little. */
  words: number;
}

/**
 * A passage in quotes that reads like pasted prose (a few words at least, so not the keys and values of
 * pasted JSON), in any of the five languages' kinds of quotes.
 */
const QUOTED =
  /"(?:[^"\s]*\s){2,}[^"]*"|“(?:[^”\s]*\s){2,}[^”]*”|„(?:[^“”\s]*\s){2,}[^“”]*[“”]|«(?:[^»\s]*\s){2,}[^»]*»/gu;
/** The passages in quotes that read like pasted prose (an alert e-mail's subject and body), quotes off. */
export function quotedProse(text: string): string[] {
  return [...text.matchAll(QUOTED)].map((m) => m[0].slice(1, -1).trim());
}

/** Distinctive words outside the quotes that are enough to tell the user's own language. */
const MIN_OWN_WORDS = 2;

/**
 * Guesses a message's language from words: each supported language's stop words plus every word of
 * its knowledge (phrasings, steps, strings). Product words shared by most languages (Entra, UPN,
 * sync) count for none. Built for the short questions of a help chat, where generic detectors guess
 * poorly, and measured by `npm run eval -- --mismatch`.
 */
export class LanguageDetector {
  private readonly vocabularies = new Map<string, Set<string>>();
  private readonly shared = new Set<string>();

  constructor(kb: KnowledgeBase, analyzers: Map<string, TextAnalyzer>) {
    const seen = new Map<string, number>();
    for (const language of kb.languages) {
      const pack = kb.pack(language);
      const texts = [
        ...Object.values(pack.strings),
        ...pack.outOfScope,
        ...[...pack.topics.values()].flatMap((t) => [
          t.title,
          t.summary,
          t.causes,
          ...t.phrasings,
          ...t.steps.map((s) => s.text),
        ]),
      ];
      const words = new Set<string>();
      for (const text of texts)
        for (const w of foldText(text).split(' ')) if (w.length > 1 && !/\d/.test(w)) words.add(w);
      for (const w of analyzers.get(language)?.stopwordList ?? []) words.add(w);
      this.vocabularies.set(language, words);
      for (const w of words) seen.set(w, (seen.get(w) ?? 0) + 1);
    }
    const majority = Math.max(2, Math.ceil(kb.languages.length * 0.6));
    for (const [w, count] of seen) if (count >= majority) this.shared.add(w);
    for (const terms of kb.definitions.map((d) => d.terms))
      for (const t of terms) for (const w of foldText(t).split(' ')) this.shared.add(w);
  }

  /** Languages ranked by the share of the message's distinctive words they know. */
  rank(text: string): LanguageGuess[] {
    const distinctive = (part: string): string[] =>
      foldText(part)
        .split(' ')
        .filter((w) => w.length > 0 && !/\d/.test(w) && !this.shared.has(w));
    // A pasted alert in quotes is in the sender's language, not the user's: "Kreeg deze mail: «Directory
    // synchronization hasn't occurred…» wat nu?" is Dutch. The user's own words decide when there are some.
    const withoutQuotes = text.replace(QUOTED, ' ');
    const own = distinctive(withoutQuotes);
    const words = own.length >= MIN_OWN_WORDS || withoutQuotes === text ? own : distinctive(text);
    const guesses = [...this.vocabularies].map(([language, vocabulary]) => {
      const known = words.filter((w) => vocabulary.has(w)).length;
      return { language, share: words.length ? known / words.length : 0, words: known };
    });
    return guesses.sort((a, b) => b.share - a.share || b.words - a.words);
  }
}
