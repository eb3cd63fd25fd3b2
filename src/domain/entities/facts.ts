/** A fact read from the user's message; the shapes of contract.md §2. */
export type Entity =
  | { type: 'duration'; text: string; seconds: number }
  | { type: 'datetime'; text: string; value: string; secondsAgo: number }
  | { type: 'number'; text: string; value: number }
  | { type: 'errorCode'; text: string; value: string }
  | { type: 'eventId'; text: string; value: number }
  | { type: 'attribute'; text: string; value: string };

/** A count, a point in time or a span of time: what the diagnosis questions ask for. */
export function isCountOrTime(entity: Entity): boolean {
  return entity.type === 'datetime' || entity.type === 'duration' || entity.type === 'number';
}

/** `text` without the facts' own words, each replaced by a space: what is said besides them. */
export function withoutFacts(text: string, facts: readonly Entity[]): string {
  return facts.reduce((rest, fact) => rest.replace(fact.text, ' '), text);
}

export interface Span {
  start: number;
  end: number;
}
/** A fact with where it stands in the message. */
export type Found = Entity & Span;

/** A sentence-sized piece of the message's beginning, as counts and points in time are read. */
export interface Piece {
  text: string;
  offset: number;
  /** More numbers than MAX_NUMBERS_PER_PIECE: a pasted list or log, not a sentence. */
  listLike: boolean;
}

/**
 * Counts and points in time are read from sentence-sized pieces of the message's beginning, where
 * people state what happened: a pasted log of thousands of characters costs chrono no more than a
 * few sentences, and its dates and numbers are no facts of the user's. Error codes, event ids,
 * attributes and durations are read from the whole message.
 */
const MAX_PIECE = 300;
const MAX_READ = 600;
/** A piece with more numbers than this is a pasted list or log: counts come from the plain pattern. */
const MAX_NUMBERS_PER_PIECE = 8;

const numberCount = (text: string): number => text.match(/\d+/g)?.length ?? 0;

export function messagePieces(text: string): Piece[] {
  const head = text.slice(0, MAX_READ);
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
 * Runs a reader over each piece, positions made relative to the whole message. A reader that throws
 * on a piece costs that piece's facts, not the user's answer.
 */
export function readPieces<T extends Span>(pieces: Piece[], read: (piece: Piece) => T[]): T[] {
  return pieces.flatMap((piece) => {
    const { offset } = piece;
    try {
      return read(piece).map((f) => ({ ...f, start: f.start + offset, end: f.end + offset }));
    } catch {
      return [];
    }
  });
}

/**
 * A point in time the user named, as a fact: none for a bare number ("on 12 users" is a count, not
 * the 12th of the month) or a future reading (a misread duration: "hasn't run in a day" → tomorrow;
 * the duration reading covers it).
 */
export function pointInTime(text: string, start: number, when: Date, now: Date): Found | undefined {
  if (/^\d+$/.test(text.trim())) return undefined;
  const secondsAgo = Math.round((now.getTime() - when.getTime()) / 1000);
  if (!Number.isFinite(secondsAgo) || secondsAgo < 0) return undefined;
  return {
    type: 'datetime',
    text,
    value: when.toISOString(),
    secondsAgo,
    start,
    end: start + text.length,
  };
}
