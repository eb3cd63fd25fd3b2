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

/** The Adaptive Card templates of cards/, read once and expanded with adaptivecards-templating. */
export class CardTemplates {
  private readonly templates = new Map<CardName, Template>();

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

  expand(name: CardName, data: Record<string, unknown>): CardJson {
    const template = this.templates.get(name);
    if (!template) throw new CardTemplateError(`no card template "${name}"`);
    return template.expand({ $root: data }) as CardJson;
  }
}
