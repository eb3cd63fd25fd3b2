import fs from 'node:fs';
import path from 'node:path';
import type { Template } from 'adaptivecards-templating';

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
  /** Each card's JSON, checked at start-up; its Template is made at its first expansion. */
  private readonly sources = new Map<CardName, unknown>();
  private readonly templates = new Map<CardName, Template>();
  /**
   * Each expanded card as JSON text, least recently used first (a Map keeps insertion order), at most
   * MAX_EXPANDED: parsing the text is the copy each caller gets, cheaper than structuredClone and
   * smaller to keep than the object tree.
   */
  private readonly expanded = new Map<string, string>();

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
      this.sources.set(name, json);
    }
  }

  /** Frozen objects given again and again (a language's string tree), each as a number in the cache keys. */
  private readonly sharedIds = new WeakMap<object, number>();

  /**
   * A frozen object cannot change, so the object itself identifies its content: it stands in a cache
   * key as a short token instead of being written out whole on every expansion (a language's string
   * tree is most of an answer card's data).
   */
  private sharedToken(value: unknown, root: unknown): unknown {
    if (value === null || typeof value !== 'object' || value === root || !Object.isFrozen(value))
      return value;
    let id = this.sharedIds.get(value);
    if (id === undefined) this.sharedIds.set(value, (id = this.nextSharedId++));
    return `\u0000shared ${id}`;
  }

  private nextSharedId = 0;

  private templateClass?: typeof import('adaptivecards-templating').Template;

  /**
   * Loads adaptivecards-templating and adaptive-expressions (about 0.2 s of CPU, measured): before the
   * port opens, so that no first card waits for it. Each card's Template is made at its first use.
   */
  loadTemplating(): typeof import('adaptivecards-templating').Template {
    if (this.templateClass) return this.templateClass;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const templating = require('adaptivecards-templating') as typeof import('adaptivecards-templating');
    return (this.templateClass = templating.Template);
  }

  /** Makes every card's Template (about 0.1 s, measured): a warm-up task after the port opens. */
  prepare(): void {
    for (const name of this.sources.keys()) this.template(name);
  }

  private template(name: CardName): Template | undefined {
    let template = this.templates.get(name);
    if (template) return template;
    const json = this.sources.get(name);
    if (json === undefined) return undefined;
    const TemplateClass = this.loadTemplating();
    this.templates.set(name, (template = new TemplateClass(json)));
    return template;
  }

  /** The card for these data; a copy, so that whoever sends it may change it. */
  expand(name: CardName, data: Record<string, unknown>): CardJson {
    const key = `${name}\u0000${JSON.stringify(data, (_, value: unknown) => this.sharedToken(value, data))}`;
    let card = this.expanded.get(key);
    if (card !== undefined) {
      this.expanded.delete(key);
    } else {
      const template = this.template(name);
      if (!template) throw new CardTemplateError(`no card template "${name}"`);
      card = JSON.stringify(template.expand({ $root: data }));
      if (this.expanded.size >= MAX_EXPANDED) {
        const oldest = this.expanded.keys().next().value;
        if (oldest !== undefined) this.expanded.delete(oldest);
      }
    }
    this.expanded.set(key, card);
    return JSON.parse(card) as CardJson;
  }
}
