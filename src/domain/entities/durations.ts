import type { EntityReading } from '../knowledge/schema';
import type { Found } from './facts';
import { alternation, foldedLookup, LETTER_AFTER, LETTER_BEFORE } from './text';

/** "000 seconds" of "60 000 seconds" is no duration of its own. */
const NOT_IN_A_NUMBER = '(?<!\\d[.,\\u00a0 ])';

/**
 * How long something has lasted: a number or a number word beside a duration unit ("26 hours",
 * "a day", "twee dagen", "eine halbe Stunde"), from the language's numberWords and durationUnits.
 */
export class DurationReader {
  private readonly pattern: RegExp;
  private readonly words: Map<string, number>;
  private readonly units: Map<string, number>;

  constructor(reading: EntityReading) {
    this.words = foldedLookup(reading.numberWords);
    this.units = foldedLookup(reading.durationUnits);
    this.pattern = new RegExp(
      `${LETTER_BEFORE}(${NOT_IN_A_NUMBER}\\d+(?:[.,]\\d+)?|${alternation(this.words.keys())})\\s*(${alternation(this.units.keys())})${LETTER_AFTER}`,
      'gu',
    );
  }

  /** `folded`: the message with accents and case off (foldKeepingLength), `original` as written. */
  durations(folded: string, original: string): Found[] {
    return [...folded.matchAll(this.pattern)].map((m) => {
      const amountText = m[1] as string;
      const amount = /\d/.test(amountText)
        ? Number(amountText.replace(',', '.'))
        : (this.words.get(amountText) ?? 1);
      const unit = this.units.get(m[2] as string) ?? 0;
      const start = m.index ?? 0;
      return {
        type: 'duration' as const,
        text: original.slice(start, start + m[0].length),
        seconds: Math.round(amount * unit),
        start,
        end: start + m[0].length,
      };
    });
  }
}
