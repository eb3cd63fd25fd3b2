import { DateTimeRecognizer } from '@microsoft/recognizers-text-date-time';
import { NumberRecognizer } from '@microsoft/recognizers-text-number';
import * as chrono from 'chrono-node';
import type { EntityReading, ErrorCatalog } from '../knowledge/schema';

/** A fact read from the user's message; the shapes of contract.md §2. */
export type Entity =
  | { type: 'duration'; text: string; seconds: number }
  | { type: 'datetime'; text: string; value: string; secondsAgo: number }
  | { type: 'number'; text: string; value: number }
  | { type: 'errorCode'; text: string; value: string }
  | { type: 'eventId'; text: string; value: number }
  | { type: 'attribute'; text: string; value: string };

interface Span {
  start: number;
  end: number;
}
type Found = Entity & Span;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const byLength = (a: string, b: string): number => b.length - a.length;
/** Accents off without changing the length, so positions in the folded text are positions in the original. */
const foldKeepingLength = (text: string): string =>
  [...text]
    .map((c) => (c.normalize('NFD')[0] ?? c).toLowerCase())
    .join('')
    .padEnd(text.length, ' ')
    .slice(0, text.length);
const LETTER_BEFORE = '(?<![\\p{L}\\p{N}])';
const LETTER_AFTER = '(?![\\p{L}\\p{N}])';

/**
 * The recognizers' cost grows faster than the text (a 1,000-character French message took a second)
 * and blocks every conversation meanwhile, so they read sentence-sized pieces of the message's
 * beginning, where people state what happened; error codes, event ids, attributes and durations are
 * read from the whole message by this module's own patterns.
 */
const MAX_PIECE = 300;
const MAX_RECOGNIZED = 600;
/** A piece with more numbers than this is a pasted list or log: counts come from the plain pattern. */
const MAX_NUMBERS_PER_PIECE = 8;

interface Piece {
  text: string;
  offset: number;
  /** More numbers than MAX_NUMBERS_PER_PIECE: a pasted list or log, not a sentence. */
  listLike: boolean;
}

const numberCount = (text: string): number => text.match(/\d+/g)?.length ?? 0;

function recognizerPieces(text: string): Piece[] {
  const head = text.slice(0, MAX_RECOGNIZED);
  const sentences: { text: string; offset: number }[] = [];
  let start = 0;
  // A sentence ends at . ! or ? before a space, or at a line break; "350.000" and "2.5" stay whole.
  for (const m of head.matchAll(/(?<=[.!?])\s+|\n+/g)) {
    sentences.push({ text: head.slice(start, m.index), offset: start });
    start = (m.index ?? 0) + m[0].length;
  }
  sentences.push({ text: head.slice(start), offset: start });
  const pieces: Piece[] = [];
  const piece = (pieceText: string, offset: number): Piece => ({
    text: pieceText,
    offset,
    listLike: numberCount(pieceText) > MAX_NUMBERS_PER_PIECE,
  });
  for (const sentence of sentences) {
    let { text: rest, offset } = sentence;
    while (rest.length > MAX_PIECE) {
      const cut = rest.lastIndexOf(' ', MAX_PIECE);
      const at = cut > MAX_PIECE / 2 ? cut : MAX_PIECE;
      pieces.push(piece(rest.slice(0, at), offset));
      offset += at;
      rest = rest.slice(at);
    }
    if (rest.trim()) pieces.push(piece(rest, offset));
  }
  return pieces;
}

/**
 * Runs a recognizer over each piece, positions made relative to the whole message. A recognizer that
 * throws on a piece (recognizers-text-date-time does on some repeated dates) costs that piece's facts,
 * not the user's answer.
 */
function readPieces<T extends { start: number; end: number }>(
  pieces: Piece[],
  read: (piece: Piece) => T[],
): T[] {
  return pieces.flatMap((piece) => {
    const { offset } = piece;
    try {
      return read(piece).map((f) => ({ ...f, start: f.start + offset, end: f.end + offset }));
    } catch {
      return [];
    }
  });
}

/** The language's way of reading facts, with its patterns compiled once. */
class LanguageReader {
  private readonly duration: RegExp;
  private readonly event: RegExp;
  private readonly number: RegExp;
  private readonly factCue: RegExp;

  constructor(readonly reading: EntityReading) {
    const words = Object.keys(reading.numberWords)
      .map((w) => foldKeepingLength(w))
      .sort(byLength)
      .map(escape);
    const units = Object.keys(reading.durationUnits)
      .map((u) => foldKeepingLength(u))
      .sort(byLength)
      .map(escape);
    this.duration = new RegExp(
      `${LETTER_BEFORE}(\\d+(?:[.,]\\d+)?|${words.join('|')})\\s*(${units.join('|')})${LETTER_AFTER}`,
      'gu',
    );
    const eventWords = reading.eventWords
      .map((w) => foldKeepingLength(w))
      .sort(byLength)
      .map(escape);
    this.event = new RegExp(
      `${LETTER_BEFORE}(?:${eventWords.join('|')})\\s*(?:id\\s*)?[:#]?\\s*(\\d{2,5})${LETTER_AFTER}`,
      'gu',
    );
    const cues = [
      ...reading.factWords,
      ...Object.keys(reading.durationUnits),
      // "a", "een", "un" are articles far more often than counts: they alone do not call a recognizer.
      ...Object.entries(reading.numberWords)
        .filter(([, value]) => value > 1)
        .map(([word]) => word),
    ]
      .map((w) => foldKeepingLength(w))
      .sort(byLength)
      .map(escape);
    this.factCue = new RegExp(`\\d|${LETTER_BEFORE}(?:${cues.join('|')})${LETTER_AFTER}`, 'u');
    const t = escape(reading.thousandsSeparator === ' ' ? ' ' : reading.thousandsSeparator);
    const d = escape(reading.decimalSeparator);
    this.number = new RegExp(
      `${LETTER_BEFORE}(\\d{1,3}(?:${t}\\d{3})+(?:${d}\\d+)?|\\d+(?:${d}\\d+)?)${LETTER_AFTER}`,
      'gu',
    );
  }

  /**
   * Whether the message can state a count or a point in time at all. The recognizers take 5 to 50 ms a
   * message (French numbers the most) and most messages state no fact, so they are asked only then.
   */
  mayStateFacts(folded: string): boolean {
    return this.factCue.test(folded);
  }

  durations(folded: string, original: string): Found[] {
    return [...folded.matchAll(this.duration)].map((m) => {
      const amountText = m[1] as string;
      const amount = /\d/.test(amountText)
        ? Number(amountText.replace(',', '.'))
        : (this.wordValue(amountText) ?? 1);
      const unit = this.unitValue(m[2] as string) ?? 0;
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

  eventIds(folded: string, original: string): Found[] {
    return [...folded.matchAll(this.event)].map((m) => {
      const start = m.index ?? 0;
      return {
        type: 'eventId' as const,
        text: original.slice(start, start + m[0].length),
        value: Number(m[1]),
        start,
        end: start + m[0].length,
      };
    });
  }

  /** Counts: the recognizer over the message's pieces where it has the language, else the plain pattern. */
  numbers(text: string, pieces: Piece[]): Found[] {
    const culture = this.reading.recognizerCulture;
    if (culture) {
      return readPieces(pieces, (piece) =>
        piece.listLike
          ? this.plainNumbers(piece.text)
          : recognizerModels(culture)
              .number.parse(piece.text)
              .map((r) => ({
                type: 'number' as const,
                text: r.text,
                value: Number((r.resolution as { value?: string } | null)?.value),
                start: r.start,
                end: r.end + 1,
              }))
              .filter((n) => Number.isFinite(n.value)),
      );
    }
    return this.plainNumbers(text);
  }

  private plainNumbers(text: string): Found[] {
    return [...text.matchAll(this.number)].map((m) => {
      const raw = m[1] as string;
      const value = Number(
        raw.split(this.reading.thousandsSeparator).join('').replace(this.reading.decimalSeparator, '.'),
      );
      const start = m.index ?? 0;
      return { type: 'number' as const, text: raw, value, start, end: start + raw.length };
    });
  }

  pointsInTime(pieces: Piece[], now: Date): Found[] {
    return readPieces(pieces, (piece) => (piece.listLike ? [] : this.pointsInPiece(piece.text, now)));
  }

  private pointsInPiece(text: string, now: Date): Found[] {
    const found: Found[] = [];
    const add = (textOf: string, start: number, when: Date): void => {
      // A bare number ("on 12 users") is a count, not the 12th of the month.
      if (/^\d+$/.test(textOf.trim())) return;
      const secondsAgo = Math.round((now.getTime() - when.getTime()) / 1000);
      // Future dates are misread durations ("hasn't run in a day" → tomorrow): the duration reading covers them.
      if (Number.isFinite(secondsAgo) && secondsAgo >= 0) {
        found.push({
          type: 'datetime',
          text: textOf,
          value: when.toISOString(),
          secondsAgo,
          start,
          end: start + textOf.length,
        });
      }
    };
    if (this.reading.recognizerCulture) {
      for (const r of recognizerModels(this.reading.recognizerCulture).dateTime.parse(text, now)) {
        if (!/datetimeV2\.(date|datetime|daterange|datetimerange)$/.test(r.typeName)) continue;
        const values = (
          (r.resolution as { values?: { value?: string; start?: string }[] } | null)?.values ?? []
        )
          .map((v) => v.value ?? v.start)
          .filter((v): v is string => typeof v === 'string')
          .map((v) => new Date(`${v.replace(' ', 'T')}${v.length === 10 ? 'T00:00:00' : ''}Z`))
          .filter((d) => !Number.isNaN(d.getTime()) && d.getTime() <= now.getTime());
        const latestPast = values.sort((a, b) => b.getTime() - a.getTime())[0];
        if (latestPast) add(r.text, r.start, latestPast);
      }
    } else if (this.reading.dateParser) {
      const parser = (
        chrono as unknown as Record<
          string,
          { parse(t: string, ref: Date): chrono.ParsedResult[] } | undefined
        >
      )[this.reading.dateParser];
      for (const r of parser?.parse(text, now) ?? []) add(r.text, r.index, pastReading(r, now));
    }
    return found;
  }

  private wordValue(word: string): number | undefined {
    for (const [w, n] of Object.entries(this.reading.numberWords))
      if (foldKeepingLength(w) === word) return n;
    return undefined;
  }

  private unitValue(unit: string): number | undefined {
    for (const [u, s] of Object.entries(this.reading.durationUnits))
      if (foldKeepingLength(u) === unit) return s;
    return undefined;
  }
}

/**
 * Reads the facts of a message: how long something has been going on, since when, how many objects,
 * which sync error, event id or attribute. Uses @microsoft/recognizers-text-suite where it has the
 * language, chrono-node for points in time where it does not, and each language's separators,
 * number words and units from its language.yaml.
 */
export class EntityExtractor {
  private readonly readers = new Map<string, LanguageReader>();
  private readonly codes: { pattern: RegExp; value: string }[];
  private readonly attributes: { pattern: RegExp; value: string }[];

  constructor(readings: Map<string, EntityReading>, catalog: ErrorCatalog) {
    for (const [language, reading] of readings) this.readers.set(language, new LanguageReader(reading));
    const wholeWord = (s: string): RegExp =>
      new RegExp(`${LETTER_BEFORE}${escape(foldKeepingLength(s))}${LETTER_AFTER}`, 'gu');
    this.codes = catalog.errors.flatMap((e) =>
      [e.code, ...e.aliases].map((s) => ({ pattern: wholeWord(s), value: e.code })),
    );
    this.attributes = Object.entries(catalog.attributes).flatMap(([name, aliases]) =>
      [name, ...aliases].map((s) => ({ pattern: wholeWord(s), value: name })),
    );
  }

  /**
   * Reads, in every language, short sentences made of its fact words and duration units beside a
   * number, and a few numbers in every notation. The recognizers compile the patterns behind each
   * word on first use, which costs seconds for some cultures (French): pay that at start-up, not
   * on a user's turn. With a fixed sample the first French message naming a weekday still took
   * 1.5 to 3.5 s.
   */
  warmUp(): void {
    for (const [language, reader] of this.readers) {
      const words = [...reader.reading.factWords, ...Object.keys(reader.reading.durationUnits)];
      for (let i = 0; i < words.length; i += 4)
        this.extract(`${words.slice(i, i + 4).join(' 3, ')} 12`, language);
      this.extract('350.000 60,000 60 000 1.5 2,5', language);
    }
  }

  extract(text: string, language: string, now: Date = new Date()): Entity[] {
    const reader = this.readers.get(language) ?? this.readers.values().next().value;
    if (!reader || !text.trim()) return [];
    const folded = foldKeepingLength(text);
    const found: Found[] = [];
    const keyword = (list: { pattern: RegExp; value: string }[], type: 'errorCode' | 'attribute'): void => {
      const seen = new Set<string>();
      for (const { pattern, value } of list) {
        for (const m of folded.matchAll(pattern)) {
          const start = m.index ?? 0;
          if (seen.has(value)) continue;
          seen.add(value);
          found.push({
            type,
            text: text.slice(start, start + m[0].length),
            value,
            start,
            end: start + m[0].length,
          });
        }
      }
    };
    keyword(this.codes, 'errorCode');
    keyword(this.attributes, 'attribute');
    found.push(...reader.eventIds(folded, text), ...reader.durations(folded, text));
    if (reader.mayStateFacts(folded)) {
      const pieces = recognizerPieces(text);
      found.push(...reader.pointsInTime(pieces, now));
      const overlaps = (a: Span, datesToo: boolean): boolean =>
        found.some((b) => (datesToo || b.type !== 'datetime') && a.start < b.end && b.start < a.end);
      // The date recognizers sometimes swallow a count into a long range ("desde hace 26 horas y
      // tenemos 350.000 objetos el 12 de marzo"): a number too big for a day, an hour or a year stays.
      const isCount = (n: Found): boolean =>
        n.type === 'number' && n.value >= 1000 && (n.value < 1900 || n.value > 2100);
      found.push(...reader.numbers(text, pieces).filter((n) => !overlaps(n, !isCount(n))));
    }
    return found
      .sort((a, b) => a.start - b.start)
      .map((f) => {
        const { start: _start, end: _end, ...entity } = f;
        return entity as Entity;
      });
  }
}

/**
 * chrono reads a bare weekday or a date without a year forward ("sinds vrijdag" on a Wednesday is the
 * coming Friday, "seit 3. März" next year's); someone reporting a problem means the last one. Other
 * future readings stay future, and are left to the duration reading ("hasn't run in a day").
 */
function pastReading(result: chrono.ParsedResult, now: Date): Date {
  const when = result.start.date();
  if (when.getTime() <= now.getTime()) return when;
  const { start } = result;
  if (start.isCertain('weekday') && !start.isCertain('day')) {
    return new Date(when.getTime() - 7 * 86_400_000);
  }
  if (start.isCertain('day') && start.isCertain('month') && !start.isCertain('year')) {
    const lastYear = new Date(when);
    lastYear.setFullYear(when.getFullYear() - 1);
    return lastYear;
  }
  return when;
}

interface RecognizerModels {
  number: ReturnType<NumberRecognizer['getNumberModel']>;
  dateTime: ReturnType<DateTimeRecognizer['getDateTimeModel']>;
}

const models = new Map<string, RecognizerModels>();

/**
 * The suite's recognizeNumber()/recognizeDateTime() build every model of a culture on each call
 * (over a second per message for French); the models are built once per culture and reused.
 */
function recognizerModels(culture: string): RecognizerModels {
  let found = models.get(culture);
  if (!found) {
    found = {
      number: new NumberRecognizer(culture).getNumberModel(culture),
      dateTime: new DateTimeRecognizer(culture).getDateTimeModel(culture),
    };
    models.set(culture, found);
  }
  return found;
}
