import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import type { StringKey } from './stringKeys';

/**
 * Each knowledge base's string trees by language: built once (a card needs one on every turn, and
 * building it cost milliseconds); one entry per language, so bounded by the knowledge base.
 */
const trees = new WeakMap<KnowledgeBase, Map<string, Record<string, unknown>>>();

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value))
    if (child && typeof child === 'object') deepFreeze(child as object);
  return Object.freeze(value);
}

/** The bot's sentences in one language, from knowledge/locales/<lang>/strings.yaml. */
export class Localizer {
  constructor(
    private readonly kb: KnowledgeBase,
    readonly language: string,
  ) {}

  /** The string of `key` with each `{name}` replaced; an unknown key is a programming error. */
  t(key: StringKey, values: Record<string, string> = {}): string {
    const text =
      this.kb.pack(this.language).strings[key] ?? this.kb.pack(this.kb.defaultLanguage).strings[key];
    if (text === undefined)
      throw new Error(`no string "${key}" in knowledge/locales/${this.language}/strings.yaml`);
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
  }

  /** All strings as a nested object ({ answer: { steps: '…' } }), for card templates; read-only. */
  tree(): Record<string, unknown> {
    let byLanguage = trees.get(this.kb);
    if (!byLanguage) trees.set(this.kb, (byLanguage = new Map()));
    let tree = byLanguage.get(this.language);
    if (!tree) byLanguage.set(this.language, (tree = deepFreeze(this.buildTree())));
    return tree;
  }

  private buildTree(): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    const strings = {
      ...this.kb.pack(this.kb.defaultLanguage).strings,
      ...this.kb.pack(this.language).strings,
    };
    for (const [key, text] of Object.entries(strings)) {
      const parts = key.split('.');
      let node = root;
      parts.slice(0, -1).forEach((p) => (node = (node[p] ??= {}) as Record<string, unknown>));
      node[parts[parts.length - 1] as string] = text;
    }
    return root;
  }
}
