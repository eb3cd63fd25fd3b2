import * as chrono from 'chrono-node';
import type { EntityReading, ErrorCatalog } from '../knowledge/schema';
import { pointInTime, readPieces, recognizerPieces, type Found, type Piece, type Span } from './facts';
import { InlineRecognizers, type Recognizers } from './recognizerPool';
import type { RecognizerFacts } from './recognizerReading';

export type { Entity } from './facts';
import type { Entity } from './facts';

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

  /**
   * Counts: the recognizer's over the message's sentences where it read them, with the plain pattern
   * over pasted lists; else the plain pattern over the whole message.
   */
  numbers(text: string, pieces: Piece[], recognized: RecognizerFacts | undefined): Found[] {
    if (!recognized) return this.plainNumbers(text);
    const lists = readPieces(
      pieces.filter((p) => p.listLike),
      (piece) => this.plainNumbers(piece.text),
    );
    return [...recognized.numbers, ...lists].sort((a, b) => a.start - b.start);
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

  /** Points in time: the recognizer's where it read them, else chrono-node's (dateParser). */
  pointsInTime(pieces: Piece[], now: Date, recognized: RecognizerFacts | undefined): Found[] {
    if (recognized) return recognized.pointsInTime;
    return readPieces(pieces, (piece) => (piece.listLike ? [] : this.chronoPoints(piece.text, now)));
  }

  private chronoPoints(text: string, now: Date): Found[] {
    const parser = this.reading.dateParser
      ? (
          chrono as unknown as Record<
            string,
            { parse(t: string, ref: Date): chrono.ParsedResult[] } | undefined
          >
        )[this.reading.dateParser]
      : undefined;
    return (parser?.parse(text, now) ?? []).flatMap(
      (r) => pointInTime(r.text, r.index, pastReading(r, now), now) ?? [],
    );
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

  /**
   * `recognizers`: where @microsoft/recognizers-text reads; inline unless given a RecognizerPool
   * (the server's, so that it never blocks the event loop).
   */
  constructor(
    readings: Map<string, EntityReading>,
    catalog: ErrorCatalog,
    private readonly recognizers: Recognizers = new InlineRecognizers(),
  ) {
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
   * Compiles the recognizers' patterns for every language that has a recognizer culture, one culture
   * after another, by reading short sentences made of its fact words and duration units beside a
   * number, and a few numbers in every notation. The recognizers compile the patterns behind each
   * word on first use, which costs seconds for some cultures (French); with a fixed sample the first
   * French message naming a weekday still took 1.5 to 3.5 s. Until a culture is warm, its messages
   * are read as a language without a recognizer culture is: chrono-node (dateParser) and the plain
   * number pattern, so that no user waits for the compilation.
   */
  async warmUp(): Promise<void> {
    for (const reader of this.readers.values()) {
      const culture = reader.reading.recognizerCulture;
      if (!culture || this.recognizers.isWarm(culture)) continue;
      const words = [...reader.reading.factWords, ...Object.keys(reader.reading.durationUnits)];
      const sentences: string[] = [];
      for (let i = 0; i < words.length; i += 4) sentences.push(`${words.slice(i, i + 4).join(' 3, ')} 12`);
      sentences.push('350.000 60,000 60 000 1.5 2,5');
      await this.recognizers.warmUp(culture, sentences.map(recognizerPieces));
    }
  }

  /** Ends the recognizers' worker thread, if there is one. */
  close(): Promise<void> {
    return this.recognizers.close();
  }

  async extract(text: string, language: string, now: Date = new Date()): Promise<Entity[]> {
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
      const culture = reader.reading.recognizerCulture;
      const recognized =
        culture && this.recognizers.isWarm(culture)
          ? await this.recognizers.read({ culture, pieces, now: now.getTime() }).catch(() => undefined)
          : undefined;
      found.push(...reader.pointsInTime(pieces, now, recognized));
      const overlaps = (a: Span, datesToo: boolean): boolean =>
        found.some((b) => (datesToo || b.type !== 'datetime') && a.start < b.end && b.start < a.end);
      // The date recognizers sometimes swallow a count into a long range ("desde hace 26 horas y
      // tenemos 350.000 objetos el 12 de marzo"): a number too big for a day, an hour or a year stays.
      const isCount = (n: Found): boolean =>
        n.type === 'number' && n.value >= 1000 && (n.value < 1900 || n.value > 2100);
      found.push(...reader.numbers(text, pieces, recognized).filter((n) => !overlaps(n, !isCount(n))));
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
