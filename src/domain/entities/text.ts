/** How the entity readers match words: accents and case aside, whole words only. */

import { escapeRegExp } from '../language/textAnalyzer';

export { escapeRegExp };

/** Accents off without changing the length, so positions in the folded text are positions in the original. */
export const foldKeepingLength = (text: string): string =>
  [...text]
    .map((c) => (c.normalize('NFD')[0] ?? c).toLowerCase())
    .join('')
    .padEnd(text.length, ' ')
    .slice(0, text.length);

export const LETTER_BEFORE = '(?<![\\p{L}\\p{N}])';
export const LETTER_AFTER = '(?![\\p{L}\\p{N}])';

/**
 * A regular-expression alternation of the words, folded, longest first (so that "a couple of" wins
 * over "a").
 */
export function alternation(words: Iterable<string>): string {
  return [...new Set([...words].map((w) => foldKeepingLength(w)))]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
}

/** A lookup by folded word. */
export function foldedLookup(values: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(values).map(([w, n]) => [foldKeepingLength(w), n]));
}
