import fs from 'node:fs';
import path from 'node:path';
import { Template } from 'adaptivecards-templating';

export type CardJson = Record<string, unknown>;
export const CARD_NAMES = [
  'answer',
  'conclusion',
  'clarify',
  'menu',
  'welcome',
  'flowStep',
  'flowOutcome',
  'ticket',
  'syncErrorReport',
  'syncErrorReportPage',
] as const;
export type CardName = (typeof CARD_NAMES)[number];

export class CardTemplateError extends Error {}

/**
 * Expanded cards kept: most cards depend only on the topic, the language and a fact's conclusion, and
 * expanding a template (adaptive-expressions) costs milliseconds a card, more than the rest of a turn.
 * Cards that carry the user's own words (escalation, tickets) rarely repeat and fall out first.
 */
const MAX_EXPANDED = 500;

/** The Adaptive Card templates of cards/, read once and expanded with adaptivecards-templating. */
export class CardTemplates {
  private readonly templates = new Map<CardName, Template>();
  /** Least recently used first (a Map keeps insertion order), at most MAX_EXPANDED. */
  private readonly expanded = new Map<string, CardJson>();

  constructor(dir: string) {
    for (const name of CARD_NAMES) {
      const file = path.join(dir, `${name}.json`);
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        throw new CardTemplateError(`${file}: cannot be read as JSON: ${(error as Error).message}`);
      }
      const card = json as { type?: unknown; version?: unknown };
      if (card.type !== 'AdaptiveCard') throw new CardTemplateError(`${file}: type: must be "AdaptiveCard"`);
      if (typeof card.version !== 'string' || Number(card.version) > 1.5) {
        throw new CardTemplateError(`${file}: version: must be "1.5" or lower so that Teams renders it`);
      }
      this.templates.set(name, new Template(json));
    }
  }

  /** The card for these data; a copy, so that whoever sends it may change it. */
  expand(name: CardName, data: Record<string, unknown>): CardJson {
    const key = `${name}\u0000${JSON.stringify(data)}`;
    let card = this.expanded.get(key);
    if (card) {
      this.expanded.delete(key);
    } else {
      const template = this.templates.get(name);
      if (!template) throw new CardTemplateError(`no card template "${name}"`);
      card = template.expand({ $root: data }) as CardJson;
      if (this.expanded.size >= MAX_EXPANDED) {
        const oldest = this.expanded.keys().next().value;
        if (oldest !== undefined) this.expanded.delete(oldest);
      }
    }
    this.expanded.set(key, card);
    return structuredClone(card);
  }
}
