import type * as Chrono from 'chrono-node';
import type { CalendarWord, EntityReading } from '../knowledge/schema';
import { pointInTime, readPieces, type Found, type Piece, type Span } from './facts';
import { alternation, foldKeepingLength, LETTER_AFTER, LETTER_BEFORE } from './text';

type DateParser = { parse(text: string, reference: Date): Chrono.ParsedResult[] };

/** chrono's parser of a language and the month names it does not read alone. */
interface ChronoReading {
  parser: DateParser | undefined;
  /** Month names where chrono does not read one alone ("depuis janvier"), from Intl. */
  months: RegExp | undefined;
  monthNumbers: Map<string, number>;
}

/**
 * The hour a part of the day starts, where no hour is said ("yesterday evening"): the hours the
 * recognizers this reader replaced used, so that the diagnosis rules read the same time spans.
 */
const PART_OF_DAY_HOURS: Record<string, number> = {
  'casualReference/morning': 8,
  'casualReference/afternoon': 12,
  'casualReference/evening': 16,
  'casualReference/night': 20,
  'casualReference/tonight': 20,
};

const DAY = 86_400_000;

/** The start of the day, week (Monday), month or year `offset` of them from `now`'s. */
function calendarStart(now: Date, { unit, offset, hour }: CalendarWord): Date {
  const when = new Date(now);
  when.setHours(0, 0, 0, 0);
  if (unit === 'day') when.setDate(when.getDate() + offset);
  if (unit === 'week') when.setDate(when.getDate() - ((when.getDay() + 6) % 7) + 7 * offset);
  if (unit === 'month') when.setMonth(when.getMonth() + offset, 1);
  if (unit === 'year') when.setFullYear(when.getFullYear() + offset, 0, 1);
  if (hour !== undefined) when.setHours(hour);
  return when;
}

/**
 * Points in time: chrono-node's parser for the language (dateParser), read as a person reporting a
 * problem means them, and the language's calendarWords where chrono has none ("anteayer", "la semaine
 * dernière": the start of that day, week or month). A point without an hour is the start of its day
 * ("since yesterday" is from yesterday 00:00), or of its part of the day ("this morning" 08:00); a
 * "since" word before it is part of what the user said ("since Friday").
 */
export class DateTimeReader {
  private chronoReading?: ChronoReading;
  private readonly calendar: RegExp | undefined;
  private readonly calendarWords: Map<string, CalendarWord>;
  private readonly since: RegExp | undefined;
  /** "around" before a time: chrono stops at it, so "yesterday around 3pm" would be read as midnight. */
  private readonly approximate: RegExp | undefined;
  /** "since 2008", "desde 2008": chrono reads no year alone. */
  private readonly sinceYear: RegExp | undefined;

  constructor(
    private readonly reading: EntityReading,
    private readonly language: string,
  ) {
    this.calendarWords = new Map(
      Object.entries(reading.calendarWords).map(([w, c]) => [foldKeepingLength(w), c]),
    );
    const words = alternation(this.calendarWords.keys());
    this.calendar = words ? new RegExp(`${LETTER_BEFORE}(?:${words})${LETTER_AFTER}`, 'gu') : undefined;
    const approximate = alternation(reading.approximateWords);
    this.approximate = approximate
      ? new RegExp(`${LETTER_BEFORE}(?:${approximate})(?=\\s+(?:\\p{L}{1,3}\\s+)?\\d)`, 'gu')
      : undefined;
    const since = alternation(reading.sinceWords);
    this.since = since ? new RegExp(`${LETTER_BEFORE}(?:${since})\\s+$`, 'u') : undefined;
    this.sinceYear = since
      ? new RegExp(`${LETTER_BEFORE}(?:${since})\\s+((?:19|20)\\d\\d)${LETTER_AFTER}`, 'gu')
      : undefined;
  }

  /**
   * chrono is loaded and its language's patterns compiled at the first message that may state a time,
   * not when the reader is made (about 0.2 s of CPU for five languages, measured): the server does it
   * for the default language before its port opens and for the others in the warm-up after.
   */
  private get chrono(): ChronoReading {
    if (this.chronoReading) return this.chronoReading;
    const { dateParser } = this.reading;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const chrono = require('chrono-node') as unknown as Record<string, DateParser | undefined>;
    const parser = dateParser ? chrono[dateParser] : undefined;
    const monthName = new Intl.DateTimeFormat(this.language, { month: 'long', timeZone: 'UTC' });
    const names = Array.from({ length: 12 }, (_, i) =>
      foldKeepingLength(monthName.format(new Date(Date.UTC(2026, i, 15)))),
    );
    const chronoReadsMonths = (parser?.parse(names[0] ?? '', new Date()).length ?? 0) > 0;
    const monthNumbers = new Map(chronoReadsMonths ? [] : names.map((name, i) => [name, i]));
    const months = alternation(monthNumbers.keys());
    return (this.chronoReading = {
      parser,
      monthNumbers,
      months: months ? new RegExp(`${LETTER_BEFORE}(?:${months})${LETTER_AFTER}`, 'gu') : undefined,
    });
  }

  /** The points in time of the message's sentences (not of pasted lists). */
  pointsInTime(pieces: Piece[], now: Date): Found[] {
    return readPieces(
      pieces.filter((p) => !p.listLike),
      (piece) => this.inSentence(piece.text, now),
    );
  }

  /**
   * chrono's readings, each begun after any number it starts inside of: in "350.000 vendredi" chrono
   * reads "000 vendredi", which is "vendredi".
   */
  private parse(text: string, now: Date): Chrono.ParsedResult[] {
    return (this.chrono.parser?.parse(text, now) ?? []).flatMap((result) => {
      const inNumber =
        /\d[.,\u00a0 ]$/u.test(text.slice(0, result.index)) && /^\d{3}(?!\d)/.exec(result.text);
      if (!inNumber) return [result];
      const offset = result.index + inNumber[0].length;
      return (
        this.chrono.parser?.parse(text.slice(offset, result.index + result.text.length), now) ?? []
      ).map((rest) => Object.assign(rest, { index: rest.index + offset }));
    });
  }

  private inSentence(text: string, now: Date): Found[] {
    const folded = foldKeepingLength(text);
    const calendar = [...(this.calendar ? folded.matchAll(this.calendar) : [])].flatMap((m) => {
      const word = this.calendarWords.get(m[0]);
      const start = m.index ?? 0;
      return word ? [{ start, end: start + m[0].length, when: calendarStart(now, word) }] : [];
    });
    const overlapping = (r: Span, others: Span[]): boolean =>
      others.some((o) => r.start < o.end && o.start < r.end);
    // Blanked to the same length, so that what chrono finds keeps its place in the text as said.
    let withoutApproximation = text;
    for (const m of this.approximate ? folded.matchAll(this.approximate) : []) {
      const start = m.index ?? 0;
      withoutApproximation =
        withoutApproximation.slice(0, start) +
        ' '.repeat(m[0].length) +
        withoutApproximation.slice(start + m[0].length);
    }
    const parsed = this.parse(withoutApproximation, now)
      .filter((r) => namesADay(r) && standsAlone(text, r))
      .map((r) => ({ start: r.index, end: r.index + r.text.length, when: pastReading(r, now) }))
      .filter((r) => !overlapping(r, calendar));
    const years = [...(this.sinceYear ? folded.matchAll(this.sinceYear) : [])]
      .map((m) => {
        const year = m[1] as string;
        const start = (m.index ?? 0) + m[0].length - year.length;
        const when = new Date(now);
        when.setFullYear(Number(year), 0, 1);
        when.setHours(0, 0, 0, 0);
        return { start, end: start + year.length, when };
      })
      .filter((r) => !overlapping(r, [...calendar, ...parsed]));
    const { months: monthPattern, monthNumbers } = this.chrono;
    const months = [...(monthPattern ? folded.matchAll(monthPattern) : [])]
      .map((m) => {
        const start = m.index ?? 0;
        return {
          start,
          end: start + m[0].length,
          when: lastMonthStart(now, monthNumbers.get(m[0]) ?? 0),
        };
      })
      .filter((r) => !overlapping(r, [...calendar, ...parsed, ...years]));
    return [...calendar, ...parsed, ...years, ...months]
      .sort((a, b) => a.start - b.start)
      .flatMap(({ start, end, when }) => {
        const since = this.since?.exec(folded.slice(0, start));
        const from = since ? since.index : start;
        const said = text.slice(from, end).replace(/[\s,.;:!?]+$/u, '');
        return pointInTime(said, from, when, now) ?? [];
      });
  }
}

/** The 1st of the month `month` (0 for January), this year's if it has begun, else last year's. */
function lastMonthStart(now: Date, month: number): Date {
  const when = new Date(now);
  when.setHours(0, 0, 0, 0);
  when.setMonth(month, 1);
  if (when.getTime() > now.getTime()) when.setFullYear(when.getFullYear() - 1);
  return when;
}

/** A time of day as people write one: "04:15", "15h", "8h30", "3pm", "3 p.m.", "15 Uhr", "9 u", "3 o'clock". */
const TIME_SAID = /\d\s*(?::|h(?:\b|(?=\d\d))|[ap]\.?m\b|uhr\b|u\b|o'clock)/iu;

/**
 * Whether chrono's reading is one of the message: not part of a word ("Dom" of "Domäne"), and not a bare number after a preposition that chrono
 * takes for an hour ("de 3 usuarios", "matin 1": no time of day is said without ":", "h" or "pm").
 */
function standsAlone(text: string, result: Chrono.ParsedResult): boolean {
  const end = result.index + result.text.length;
  // Part of a longer word, or of a contraction: "zo'n 51.300" (about 51,300) names no Sunday ("zo").
  // A possessive is not one: "since Friday's restart".
  if (/^(?:\p{L}|['’](?!s\b)\p{L})/u.test(text.slice(end))) return false;
  const { start } = result;
  const timeOnly =
    start.isCertain('hour') &&
    !(['day', 'weekday', 'month', 'year'] as const).some((part) => start.isCertain(part));
  return !(timeOnly && !TIME_SAID.test(result.text));
}

/**
 * A lone part of the day ("good morning", "in the evening") names no day: chrono reads it as today's,
 * which a greeting is not.
 */
function namesADay(result: Chrono.ParsedResult): boolean {
  const { start } = result;
  return (
    /\s/.test(result.text.trim()) ||
    (['day', 'weekday', 'month', 'year', 'hour'] as const).some((part) => start.isCertain(part))
  );
}

/**
 * The point in time as meant: without an hour, the start of the day or of the part of the day; and
 * in the past. chrono reads a bare weekday, a month or a date without a year forward ("sinds vrijdag"
 * on a Wednesday is the coming Friday, "seit 3. März" next year's); someone reporting a problem means
 * the last one. Other future readings stay future, and are left to the duration reading ("hasn't run
 * in a day").
 */
function pastReading(result: Chrono.ParsedResult, now: Date): Date {
  const { start } = result;
  const when = start.date();
  if (!start.isCertain('hour')) {
    const partOfDay = [...result.tags()].map((tag) => PART_OF_DAY_HOURS[tag]).find((h) => h !== undefined);
    when.setHours(partOfDay ?? 0, 0, 0, 0);
  }
  if (when.getTime() <= now.getTime()) return when;
  if (start.isCertain('weekday') && !start.isCertain('day')) return new Date(when.getTime() - 7 * DAY);
  if (start.isCertain('month') && !start.isCertain('year')) {
    const lastYear = new Date(when);
    lastYear.setFullYear(when.getFullYear() - 1);
    return lastYear;
  }
  return when;
}
