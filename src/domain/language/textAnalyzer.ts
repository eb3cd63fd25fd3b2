import * as stopwordLists from 'stopword';
import { newStemmer, type Stemmer } from 'snowball-stemmers';
import type { LanguageProfile } from '../knowledge/schema';

/** Lower case, accents off, elisions split (l'annuaire → l annuaire), punctuation to spaces. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\b([ldjmnst]|qu)['’](?=\p{L})/gu, '$1 ')
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites whole-word phrases of folded text by a table, longest phrase first, in one pass; or tells
 * which of them a text holds.
 */
export class PhraseRewriter {
  private readonly pattern: RegExp | undefined;
  private readonly table = new Map<string, string>();

  constructor(synonyms: Record<string, string>) {
    for (const [from, to] of Object.entries(synonyms)) {
      const key = foldText(from);
      if (key) this.table.set(key, foldText(to));
    }
    const keys = [...this.table.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = keys.length ? new RegExp(`(?<=^| )(?:${keys.join('|')})(?= |$)`, 'g') : undefined;
  }

  rewrite(folded: string): string {
    return this.pattern ? folded.replace(this.pattern, (m) => this.table.get(m) ?? m) : folded;
  }

  /** What the table gives for each phrase `folded` holds, in the order they occur. */
  found(folded: string): string[] {
    return this.pattern ? [...folded.matchAll(this.pattern)].map((m) => this.table.get(m[0]) ?? m[0]) : [];
  }
}

export interface AnalyzedText {
  /** Folded, rewritten words, stop words included: what language detection looks at. */
  words: string[];
  /** Content words, stemmed: what topic recognition matches. */
  terms: string[];
}

/** Turns text of one language into comparable terms: fold, rewrite synonyms, drop stop words, stem. */
export class TextAnalyzer {
  private readonly stemmer: Stemmer;
  private readonly stopwords: Set<string>;
  private readonly neutral: PhraseRewriter;
  private readonly own: PhraseRewriter;
  /**
   * @param stems each word's stem as far as known (kept between starts by SavedStems); words stemmed
   *   here are added to it.
   */
  constructor(
    readonly profile: LanguageProfile,
    neutralSynonyms: Record<string, string>,
    private readonly stems = new Map<string, string>(),
  ) {
    this.stemmer = newStemmer(profile.stemmer);
    const list = stopwordLists[profile.stopwords];
    if (!list) throw new Error(`stopword list "${profile.stopwords}" does not exist in the stopword package`);
    const keep = new Set(profile.keepWords.map(foldText));
    this.stopwords = new Set(
      [...list, ...profile.extraStopwords].map(foldText).filter((w) => w && !keep.has(w)),
    );
    this.neutral = new PhraseRewriter(neutralSynonyms);
    this.own = new PhraseRewriter(profile.synonyms);
  }

  get stopwordList(): ReadonlySet<string> {
    return this.stopwords;
  }

  analyze(text: string): AnalyzedText {
    const rewritten = this.own.rewrite(this.neutral.rewrite(foldText(text)));
    const words = rewritten ? rewritten.split(' ') : [];
    const terms: string[] = [];
    for (const word of words) {
      if (this.stopwords.has(word)) continue;
      const term = this.stem(word);
      if (term && !terms.includes(term)) terms.push(term);
    }
    return { words, terms };
  }

  stem(word: string): string {
    let stem = this.stems.get(word);
    if (stem === undefined) {
      stem = /\d/.test(word) ? word : this.stemmer.stem(word);
      if (this.stems.size < 50_000) this.stems.set(word, stem);
    }
    return stem;
  }
}
