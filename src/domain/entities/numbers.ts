import type { EntityReading } from '../knowledge/schema';
import type { Found } from './facts';
import {
  alternation,
  escapeRegExp,
  foldedLookup,
  foldKeepingLength,
  LETTER_AFTER,
  LETTER_BEFORE,
} from './text';

/**
 * The most words a reply may have for a word for one in it to be a count: with one count word
 * ("only one user"), and with two or more, which say it twice ("just the one, only her", "nur der eine
 * Benutzer"). A sentence with a single count word ("a user can't sign in") is no count.
 */
const COUNT_OF_ONE_MAX_WORDS = 3;
const COUNT_OF_ONE_MAX_WORDS_SAID_TWICE = 6;

interface NumberWord {
  start: number;
  end: number;
  /** Its value as a number on its own ("cent": 100), if it stands alone. */
  cardinal: number | undefined;
  /** What it multiplies the number before it by ("mille": 1000, "dozen": 12). */
  multiplier: number | undefined;
}

/** A number being read from words: "trois cent mille" is 3, then 300, then 300,000. */
class WordNumber {
  private total = 0;
  private current = 0;
  /** The last word added (not multiplied): "vingt" before "cinq". */
  private lastAdded: number | undefined;
  private lastMultiplied = false;
  readonly words: NumberWord[] = [];

  get value(): number {
    return this.total + this.current;
  }

  /** Whether the word continues this number ("cinq" after "vingt") rather than starting the next. */
  takes(word: NumberWord): boolean {
    if (this.words.length === 0) return word.cardinal !== undefined;
    const { multiplier, cardinal } = word;
    if (multiplier !== undefined && (this.current > 0 ? this.current : this.total) < multiplier) return true;
    if (cardinal === undefined) return false;
    if (this.lastMultiplied) return cardinal < (this.words.at(-1)?.multiplier ?? 0);
    // "twenty five", "soixante-dix-sept", "ciento dos": a round number and a smaller one after it;
    // "twelve three" or "two three" are two numbers.
    const last = this.lastAdded ?? 0;
    return last >= 10 && last % 10 === 0 && cardinal < last;
  }

  add(word: NumberWord): void {
    const { multiplier, cardinal } = word;
    // "mille deux cents", "mil doscientos": a multiplier that starts a number multiplies one.
    const multiplies =
      multiplier !== undefined &&
      (this.words.length === 0 || (this.current > 0 ? this.current : this.total) < multiplier);
    if (multiplies && multiplier >= 1000) {
      this.total += (this.current || 1) * multiplier;
      this.current = 0;
    } else if (multiplies) {
      this.current = (this.current || 1) * multiplier;
    } else {
      this.current += cardinal ?? 0;
      this.lastAdded = cardinal;
    }
    this.lastMultiplied = multiplies;
    this.words.push(word);
  }
}

/**
 * Counts in a message: digits in the language's notation, a multiplier after them ("3 million",
 * "300k", "12 mil"), and numbers in words ("fifty thousand", "quatre-vingt-dix", "treinta y cinco"),
 * all from the language's language.yaml (separators, cardinalWords, multiplierWords, numberJoiners).
 */
export class NumberReader {
  /** The plain pattern for pasted lists and logs: the language's own notation only. */
  private readonly plain: RegExp;
  private readonly digits: RegExp;
  private readonly word: RegExp | undefined;
  /** What may stand between two words of one number: a space, a hyphen, "and", "et", "y". */
  private readonly gap: RegExp;
  private readonly cardinals: Map<string, number>;
  private readonly multipliers: Map<string, number>;
  /** Every number word with its value, for a word for one ("one", "één", "einer", "un", "uno"). */
  private readonly spokenValues: Map<string, number>;
  private readonly spokenNumber: RegExp | undefined;
  private readonly countWord: RegExp | undefined;

  constructor(private readonly reading: EntityReading) {
    const t = escapeRegExp(reading.thousandsSeparator);
    const d = escapeRegExp(reading.decimalSeparator);
    this.plain = new RegExp(
      `${LETTER_BEFORE}(\\d{1,3}(?:${t}\\d{3})+(?:${d}\\d+)?|\\d+(?:${d}\\d+)?)${LETTER_AFTER}`,
      'gu',
    );
    // Thousands may also be grouped with a space (any language) or with the separator that is not the
    // language's decimal one ("350.000" in French, "60,000" in English); the other separator before
    // one or two digits is a decimal point written the other way ("2,5" in English).
    const other = reading.decimalSeparator === '.' ? ',' : '.';
    const grouping = escapeRegExp(
      [...new Set([reading.thousandsSeparator, ' ', '\u00a0', '\u202f', other])].join(''),
    );
    this.cardinals = foldedLookup(reading.cardinalWords);
    this.multipliers = foldedLookup(reading.multiplierWords);
    const multiplierWords = alternation(Object.keys(reading.multiplierWords));
    this.digits = new RegExp(
      `${LETTER_BEFORE}(\\d{1,3}(?:[${grouping}]\\d{3})+(?:${d}\\d+)?(?![.,]?\\d)|\\d+${escapeRegExp(other)}\\d{1,2}(?![.,]?\\d)|\\d+(?:${d}\\d+)?)` +
        `(?:\\s?(${multiplierWords || '(?!)'}))?${LETTER_AFTER}`,
      'gu',
    );
    const words = alternation([...this.cardinals.keys(), ...this.multipliers.keys()]);
    this.word = words ? new RegExp(`${LETTER_BEFORE}(?:${words})${LETTER_AFTER}`, 'gu') : undefined;
    // All number words, longest first, so that "a few" or "een paar" is not read as its "a" or "een".
    this.spokenValues = foldedLookup({ ...reading.numberWords, ...reading.cardinalWords });
    const spoken = alternation(this.spokenValues.keys());
    this.spokenNumber = spoken ? new RegExp(`${LETTER_BEFORE}(?:${spoken})${LETTER_AFTER}`, 'gu') : undefined;
    const counts = alternation(reading.countWords);
    this.countWord = counts ? new RegExp(`${LETTER_BEFORE}(?:${counts})${LETTER_AFTER}`, 'gu') : undefined;
    const joiners = alternation(reading.numberJoiners);
    this.gap = new RegExp(`^(?:\\s*-\\s*|\\s+${joiners ? `(?:(?:${joiners})\\s+)?` : ''})$`, 'u');
  }

  /** Digits in the language's notation only: for pasted lists and logs, where words are no counts. */
  plainNumbers(text: string): Found[] {
    return [...text.matchAll(this.plain)].map((m) => {
      const raw = m[1] as string;
      const value = Number(
        raw.split(this.reading.thousandsSeparator).join('').replace(this.reading.decimalSeparator, '.'),
      );
      const start = m.index ?? 0;
      return { type: 'number' as const, text: raw, value, start, end: start + raw.length };
    });
  }

  /** The counts of a sentence, in digits and in words. */
  numbers(text: string): Found[] {
    const folded = foldKeepingLength(text);
    const found = [...folded.matchAll(this.digits)].map((m) => this.digitNumber(m, text));
    const inDigits = (at: number): boolean => found.some((f) => f.start <= at && at < f.end);
    const words = [...(this.word ? folded.matchAll(this.word) : [])]
      .filter((m) => !inDigits(m.index ?? 0))
      .map((m) => {
        const key = m[0];
        const start = m.index ?? 0;
        return {
          start,
          end: start + key.length,
          cardinal: this.cardinals.get(key),
          multiplier: this.multipliers.get(key),
        };
      });
    let number: WordNumber | undefined;
    const done = (): void => {
      const first = number?.words[0];
      const last = number?.words.at(-1);
      if (number && first && last) {
        found.push({
          type: 'number',
          text: text.slice(first.start, last.end),
          value: number.value,
          start: first.start,
          end: last.end,
        });
      }
      number = undefined;
    };
    for (const word of words) {
      const previous = number?.words.at(-1);
      if (
        !number ||
        !previous ||
        !this.gap.test(folded.slice(previous.end, word.start)) ||
        !number.takes(word)
      )
        done();
      number ??= new WordNumber();
      if (number.takes(word)) number.add(word);
      else number = undefined;
    }
    done();
    return found.sort((a, b) => a.start - b.start);
  }

  /**
   * A reply of a few words that says one with a count word ("just the one", "un seul", "maar één",
   * "nur einer", "solo uno"). In a longer sentence the same words are mostly an article ("a user
   * can't sign in"), so only a short reply counts; numbers() leaves these words alone. `folded` is
   * `text` folded by foldKeepingLength, as the extractor already has it.
   */
  countOfOne(folded: string, text: string): Found | undefined {
    if (!this.spokenNumber || !this.countWord) return undefined;
    const words = folded.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
    const countWords = [...folded.matchAll(this.countWord)].length;
    const maxWords = countWords >= 2 ? COUNT_OF_ONE_MAX_WORDS_SAID_TWICE : COUNT_OF_ONE_MAX_WORDS;
    if (countWords === 0 || words > maxWords) return undefined;
    const spoken = [...folded.matchAll(this.spokenNumber)];
    const [one] = spoken;
    if (spoken.length !== 1 || !one || this.spokenValues.get(one[0]) !== 1) return undefined;
    const start = one.index;
    const end = start + one[0].length;
    return { type: 'number', text: text.slice(start, end), value: 1, start, end };
  }

  private digitNumber(m: RegExpMatchArray, text: string): Found {
    const raw = m[1] as string;
    const decimal = this.reading.decimalSeparator;
    const digits = /^\d+[.,]\d{1,2}$/.test(raw)
      ? raw.replace(',', '.')
      : raw
          .split(decimal)
          .map((part, i) => (i === 0 ? part.replace(/[^\d]/g, '') : part))
          .join('.');
    const multiplier = m[2] ? (this.multipliers.get(m[2]) ?? 1) : 1;
    const start = m.index ?? 0;
    const end = start + m[0].length;
    return {
      type: 'number',
      text: text.slice(start, end),
      value: Number(digits) * multiplier,
      start,
      end,
    };
  }
}
