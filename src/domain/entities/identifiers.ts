import type { EntityReading, ErrorCatalog } from '../knowledge/schema';
import type { Found } from './facts';
import { alternation, escapeRegExp, foldKeepingLength, LETTER_AFTER, LETTER_BEFORE } from './text';

interface Keyword {
  pattern: RegExp;
  value: string;
}

const wholeWord = (s: string): RegExp =>
  new RegExp(`${LETTER_BEFORE}${escapeRegExp(foldKeepingLength(s))}${LETTER_AFTER}`, 'gu');

/** Which sync error and which attribute a message names, from the error catalog (errors.yaml). */
export class CatalogReader {
  private readonly codes: Keyword[];
  private readonly attributes: Keyword[];

  constructor(catalog: ErrorCatalog) {
    this.codes = catalog.errors.flatMap((e) =>
      [e.code, ...e.aliases].map((s) => ({ pattern: wholeWord(s), value: e.code })),
    );
    this.attributes = Object.entries(catalog.attributes).flatMap(([name, aliases]) =>
      [name, ...aliases].map((s) => ({ pattern: wholeWord(s), value: name })),
    );
  }

  /** Each error code and attribute once, where first named. */
  read(folded: string, original: string): Found[] {
    return [
      ...this.keywords(this.codes, 'errorCode', folded, original),
      ...this.keywords(this.attributes, 'attribute', folded, original),
    ];
  }

  private keywords(
    list: Keyword[],
    type: 'errorCode' | 'attribute',
    folded: string,
    original: string,
  ): Found[] {
    const found: Found[] = [];
    const seen = new Set<string>();
    for (const { pattern, value } of list) {
      for (const m of folded.matchAll(pattern)) {
        const start = m.index ?? 0;
        if (seen.has(value)) continue;
        seen.add(value);
        found.push({
          type,
          text: original.slice(start, start + m[0].length),
          value,
          start,
          end: start + m[0].length,
        });
      }
    }
    return found;
  }
}

/** Event ids after the language's event words ("event 611", "gebeurtenis-id: 6100"). */
export class EventIdReader {
  private readonly pattern: RegExp;

  constructor(reading: EntityReading) {
    this.pattern = new RegExp(
      `${LETTER_BEFORE}(?:${alternation(reading.eventWords)})\\s*(?:id\\s*)?[:#]?\\s*(\\d{2,5})${LETTER_AFTER}`,
      'gu',
    );
  }

  eventIds(folded: string, original: string): Found[] {
    return [...folded.matchAll(this.pattern)].map((m) => {
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
}
