import type { Entity } from '../entities/entityExtractor';
import type { Topic } from '../knowledge/knowledgeBase';
import type { Diagnosis } from '../knowledge/schema';

/** What a diagnosis or the live tenant check concludes; the reply builder shows it above the steps. */
export interface Conclusion {
  text: string;
  /** good: all is normal; warning: something is off; attention: broken. */
  severity: 'good' | 'warning' | 'attention';
  /** The topic's steps (numbered from 1) to start with. */
  startWith?: number[];
}

export interface Fact {
  kind: Diagnosis['fact'];
  value: number;
  /** How the user put it ("26 hours", "since yesterday", a button's label): what the bot states back. */
  said?: string;
  /** The words carry the value as precisely as the rules read it ("26 hours", "an hour", a button). */
  exact?: boolean;
}

/** "{said} (about {amount})" in the user's language: a vague fact stated back with its rough value. */
export type Approximately = (said: string, amount: string) => string;

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
const WEEK = 7 * DAY;
/** Single units ("an hour", "a day", "een week"): said without a number, yet exact. */
const UNITS = new Set([MINUTE, HOUR, DAY, WEEK]);
/** What of the user's words may be stated back on a card: words, numbers, a little punctuation. */
const SAID_TEXT = /[^\p{L}\p{N}\s'’.,:/-]/gu;
const MAX_SAID = 60;

function saidOf(text: string): string | undefined {
  const said = text.replace(SAID_TEXT, '').replace(/\s+/g, ' ').trim().slice(0, MAX_SAID);
  return said || undefined;
}

/**
 * The fact a topic's rules read, from the message's entities: for `elapsed`, the longest time span
 * named (a duration, or how long ago a point in time was; "3 days ago" is read as the 3 days said,
 * not from the start of that day); for `count`, the largest number. It keeps the user's words.
 */
export function factFrom(diagnosis: Diagnosis, entities: Entity[]): Fact | undefined {
  if (diagnosis.fact === 'count') {
    const numbers = entities.flatMap((e) => (e.type === 'number' && e.value >= 1 ? [e] : []));
    const largest = numbers.reduce<(typeof numbers)[number] | undefined>(
      (best, e) => (!best || e.value > best.value ? e : best),
      undefined,
    );
    return largest ? { kind: 'count', value: largest.value } : undefined;
  }
  const durations = entities.flatMap((e) => (e.type === 'duration' ? [e] : []));
  const candidates = [
    ...durations.map((e) => ({
      value: e.seconds,
      text: e.text,
      exact: /\d/.test(e.text) || UNITS.has(e.seconds),
    })),
    ...entities.flatMap((e) =>
      e.type === 'datetime' && !durations.some((d) => e.text.toLowerCase().includes(d.text.toLowerCase()))
        ? [{ value: e.secondsAgo, text: e.text, exact: false }]
        : [],
    ),
  ];
  const longest = candidates.reduce<(typeof candidates)[number] | undefined>(
    (best, c) => (!best || c.value > best.value ? c : best),
    undefined,
  );
  if (!longest) return undefined;
  const said = saidOf(longest.text);
  return { kind: 'elapsed', value: longest.value, ...(said ? { said, exact: longest.exact } : {}) };
}

/** The topics whose diagnosis reads a fact this message states (a count only from minCount up). */
export function factTopicsFor(
  definitions: readonly { id: string; diagnosis?: Diagnosis }[],
  entities: Entity[],
  minCount: number,
): string[] {
  return definitions
    .filter((d) => {
      if (!d.diagnosis) return false;
      const fact = factFrom(d.diagnosis, entities);
      return fact !== undefined && (fact.kind !== 'count' || fact.value >= minCount);
    })
    .map((d) => d.id);
}

/** A rough span, rounded down to the unit a person would use: "9 hours", "1 day", "2 weeks". */
function roughSpan(seconds: number, locale: string): string {
  const [unit, size] =
    seconds < 90 * MINUTE
      ? ['minute', MINUTE]
      : seconds < DAY
        ? ['hour', HOUR]
        : seconds < 2 * WEEK
          ? ['day', DAY]
          : ['week', WEEK];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(
    Math.max(1, Math.floor(seconds / (size as number))),
  );
}

/**
 * The fact as the user put it, in their words and their precision: "26 hours" when they said 26
 * hours, "since yesterday (about 1 day)" when they said since yesterday, "350.000" for a count.
 * A fact without words (a test, an older caller) is stated in the unit its size suggests.
 */
export function formatFact(fact: Fact, locale: string, approximately?: Approximately): string {
  if (fact.kind === 'count')
    return fact.said && fact.exact ? fact.said : new Intl.NumberFormat(locale).format(fact.value);
  if (fact.said && (fact.exact || !approximately)) return fact.said;
  if (fact.said && approximately) return approximately(fact.said, roughSpan(fact.value, locale));
  const s = fact.value;
  const [unit, amount] =
    s < 120
      ? ['second', s]
      : s < 2 * 3600
        ? ['minute', s / 60]
        : s < 72 * 3600
          ? ['hour', s / 3600]
          : ['day', s / 86400];
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'long',
    maximumFractionDigits: 0,
  }).format(amount);
}

/** Applies the topic's rules to the fact: the conclusion the answer card shows first. */
export function diagnose(
  topic: Topic,
  diagnosis: Diagnosis,
  fact: Fact,
  locale: string,
  approximately?: Approximately,
): Conclusion | undefined {
  const rule = diagnosis.rules.find((r) => r.below === undefined || fact.value < r.below);
  const template = rule && topic.diagnosisText?.conclusions[rule.conclusion];
  if (!rule || !template) return undefined;
  const text = template.replace(/\{fact\}/g, formatFact(fact, locale, approximately));
  return {
    // A conclusion may now open with the user's own lower-case words ("since yesterday").
    text: text.charAt(0).toLocaleUpperCase(locale) + text.slice(1),
    severity: rule.severity,
    startWith: rule.startWith,
  };
}
