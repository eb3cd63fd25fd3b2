import type { EntityReading, ErrorCatalog } from '../knowledge/schema';
import { DateTimeReader } from './dateTimes';
import { DurationReader } from './durations';
import { messagePieces, readPieces, type Found, type Span } from './facts';
import { CatalogReader, EventIdReader } from './identifiers';
import { NumberReader } from './numbers';
import { alternation, foldKeepingLength, LETTER_AFTER, LETTER_BEFORE } from './text';

export type { Entity } from './facts';
import type { Entity } from './facts';

/** The readers of one language, built once from its language.yaml. */
class LanguageReaders {
  readonly durations: DurationReader;
  readonly eventIds: EventIdReader;
  readonly numbers: NumberReader;
  readonly dateTimes: DateTimeReader;
  private readonly factCue: RegExp;

  constructor(reading: EntityReading, language: string) {
    this.durations = new DurationReader(reading);
    this.eventIds = new EventIdReader(reading);
    this.numbers = new NumberReader(reading);
    this.dateTimes = new DateTimeReader(reading, language);
    const aboveOne = (words: Record<string, number>): string[] =>
      Object.entries(words)
        .filter(([, value]) => value > 1)
        .map(([word]) => word);
    const cues = alternation([
      ...reading.factWords,
      ...Object.keys(reading.durationUnits),
      ...Object.keys(reading.calendarWords),
      // "a", "een", "un" are articles far more often than counts: they alone do not make a message
      // worth reading for counts and points in time.
      ...aboveOne(reading.numberWords),
      ...aboveOne(reading.cardinalWords),
    ]);
    this.factCue = new RegExp(`\\d|${LETTER_BEFORE}(?:${cues})${LETTER_AFTER}`, 'u');
  }

  /**
   * Whether the message can state a count or a point in time at all: most messages state none, and
   * chrono and the number reader cost far more than this test.
   */
  mayStateFacts(folded: string): boolean {
    return this.factCue.test(folded);
  }
}

/**
 * Reads the facts of a message: how long something has been going on, since when, how many objects,
 * which sync error, event id or attribute. Each kind has its reader (durations.ts, dateTimes.ts,
 * numbers.ts, identifiers.ts), built from the language's language.yaml; this puts their readings
 * together, in the order they stand in the message.
 */
/** When a message was sent, and the sender's offset from UTC in minutes east (CET: 60) if known. */
export interface SenderTime {
  now: Date;
  utcOffsetMinutes?: number;
}

export class EntityExtractor {
  private readonly readers = new Map<string, LanguageReaders>();
  private readonly catalog: CatalogReader;

  constructor(readings: Map<string, EntityReading>, catalog: ErrorCatalog) {
    for (const [language, reading] of readings)
      this.readers.set(language, new LanguageReaders(reading, language));
    this.catalog = new CatalogReader(catalog);
  }

  /**
   * The facts a message states. `time` is the moment it was sent, with the sender's UTC offset where
   * the channel tells it: "this morning at 8" is 8 o'clock where the user is.
   */
  extract(text: string, language: string, time: Date | SenderTime = new Date()): Entity[] {
    const readers = this.readers.get(language) ?? this.readers.values().next().value;
    if (!readers || !text.trim()) return [];
    const { now: sent, utcOffsetMinutes } =
      time instanceof Date ? { now: time, utcOffsetMinutes: undefined } : time;
    // The readers count days and hours on the process's local calendar (UTC on App Service): a clock
    // whose local fields show the sender's wall time makes their 8 o'clock the sender's.
    const shiftMs =
      utcOffsetMinutes === undefined ? 0 : (utcOffsetMinutes + sent.getTimezoneOffset()) * 60_000;
    const now = new Date(sent.getTime() + shiftMs);
    const folded = foldKeepingLength(text);
    const found: Found[] = [
      ...this.catalog.read(folded, text),
      ...readers.eventIds.eventIds(folded, text),
      ...readers.durations.durations(folded, text),
    ];
    if (readers.mayStateFacts(folded)) {
      const pieces = messagePieces(text);
      found.push(...readers.dateTimes.pointsInTime(pieces, now));
      const overlaps = (a: Span, datesToo: boolean): boolean =>
        found.some((b) => (datesToo || b.type !== 'datetime') && a.start < b.end && b.start < a.end);
      // A long date range can swallow a count ("desde hace 26 horas y tenemos 350.000 objetos el 12 de
      // marzo"): a number too big for a day, an hour or a year stays.
      const isCount = (n: Found): boolean =>
        n.type === 'number' && n.value >= 1000 && (n.value < 1900 || n.value > 2100);
      const numbers = readPieces(pieces, (piece) =>
        piece.listLike ? readers.numbers.plainNumbers(piece.text) : readers.numbers.numbers(piece.text),
      );
      found.push(...numbers.filter((n) => !overlaps(n, !isCount(n))));
    }
    if (!found.some((f) => f.type === 'number')) {
      const one = readers.numbers.countOfOne(folded, text);
      if (one) found.push(one);
    }
    return found
      .sort((a, b) => a.start - b.start)
      .map((f) => {
        const { start: _start, end: _end, ...entity } = f;
        if (entity.type === 'datetime' && shiftMs !== 0)
          entity.value = new Date(Date.parse(entity.value) - shiftMs).toISOString();
        return entity as Entity;
      });
  }
}
