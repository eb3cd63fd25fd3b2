import type { Entity } from '../entities/entityExtractor';
import type { Topic } from '../knowledge/knowledgeBase';
import type { Diagnosis } from '../knowledge/schema';
import type { Conclusion } from '../replies/replyBuilder';

export interface Fact {
  kind: Diagnosis['fact'];
  value: number;
}

/**
 * The fact a topic's rules read, from the message's entities: for `elapsed`, the longest time span
 * named (a duration, or how long ago a point in time was); for `count`, the largest number.
 */
export function factFrom(diagnosis: Diagnosis, entities: Entity[]): Fact | undefined {
  const values =
    diagnosis.fact === 'elapsed'
      ? entities.flatMap((e) =>
          e.type === 'duration' ? [e.seconds] : e.type === 'datetime' ? [e.secondsAgo] : [],
        )
      : entities.flatMap((e) => (e.type === 'number' && e.value >= 1 ? [e.value] : []));
  return values.length ? { kind: diagnosis.fact, value: Math.max(...values) } : undefined;
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

/** The fact as a person says it, in the user's locale: "26 hours", "350.000". */
export function formatFact(fact: Fact, locale: string): string {
  if (fact.kind === 'count') return new Intl.NumberFormat(locale).format(fact.value);
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
): Conclusion | undefined {
  const rule = diagnosis.rules.find((r) => r.below === undefined || fact.value < r.below);
  const template = rule && topic.diagnosisText?.conclusions[rule.conclusion];
  if (!rule || !template) return undefined;
  return {
    text: template.replace(/\{fact\}/g, formatFact(fact, locale)),
    severity: rule.severity,
    startWith: rule.startWith,
  };
}
