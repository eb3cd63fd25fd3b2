import { DateTimeRecognizer } from '@microsoft/recognizers-text-date-time';
import { NumberRecognizer } from '@microsoft/recognizers-text-number';
import { pointInTime, readPieces, type Found, type Piece } from './facts';

/**
 * What @microsoft/recognizers-text reads: the counts and points in time of a message's pieces. Plain
 * data in and out, so that it runs in a worker thread (recognizerWorker.ts) as well as inline.
 */
export interface RecognizerTask {
  culture: string;
  pieces: Piece[];
  /** The reference time, in milliseconds since the epoch. */
  now: number;
}

export interface RecognizerFacts {
  pointsInTime: Found[];
  /** Counts of the pieces that are not list-like (those are read with the plain number pattern). */
  numbers: Found[];
}

interface RecognizerModels {
  number: ReturnType<NumberRecognizer['getNumberModel']>;
  dateTime: ReturnType<DateTimeRecognizer['getDateTimeModel']>;
}

/** One entry per culture of the schema's short list: bounded by construction. */
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

function pointsInPiece(culture: string, text: string, now: Date): Found[] {
  const found: Found[] = [];
  for (const r of recognizerModels(culture).dateTime.parse(text, now)) {
    if (!/datetimeV2\.(date|datetime|daterange|datetimerange)$/.test(r.typeName)) continue;
    const values = ((r.resolution as { values?: { value?: string; start?: string }[] } | null)?.values ?? [])
      .map((v) => v.value ?? v.start)
      .filter((v): v is string => typeof v === 'string')
      .map((v) => new Date(`${v.replace(' ', 'T')}${v.length === 10 ? 'T00:00:00' : ''}Z`))
      .filter((d) => !Number.isNaN(d.getTime()) && d.getTime() <= now.getTime());
    const latestPast = values.sort((a, b) => b.getTime() - a.getTime())[0];
    const fact = latestPast && pointInTime(r.text, r.start, latestPast, now);
    if (fact) found.push(fact);
  }
  return found;
}

function numbersInPiece(culture: string, text: string): Found[] {
  return recognizerModels(culture)
    .number.parse(text)
    .map((r) => ({
      type: 'number' as const,
      text: r.text,
      value: Number((r.resolution as { value?: string } | null)?.value),
      start: r.start,
      end: r.end + 1,
    }))
    .filter((n) => Number.isFinite(n.value));
}

export function recognize({ culture, pieces, now }: RecognizerTask): RecognizerFacts {
  const reference = new Date(now);
  const sentences = pieces.filter((p) => !p.listLike);
  return {
    pointsInTime: readPieces(sentences, (piece) => pointsInPiece(culture, piece.text, reference)),
    numbers: readPieces(sentences, (piece) => numbersInPiece(culture, piece.text)),
  };
}
