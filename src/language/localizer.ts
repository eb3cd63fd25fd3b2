import type { KnowledgeBase } from '../knowledge/knowledgeBase';

/** The bot's sentences in one language, from knowledge/locales/<lang>/strings.yaml. */
export class Localizer {
  constructor(
    private readonly kb: KnowledgeBase,
    readonly language: string,
  ) {}

  /** The string of `key` with each `{name}` replaced; an unknown key is a programming error. */
  t(key: string, values: Record<string, string> = {}): string {
    const text =
      this.kb.pack(this.language).strings[key] ?? this.kb.pack(this.kb.defaultLanguage).strings[key];
    if (text === undefined)
      throw new Error(`no string "${key}" in knowledge/locales/${this.language}/strings.yaml`);
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
  }

  /** All strings as a nested object ({ answer: { steps: '…' } }), for card templates. */
  tree(): Record<string, unknown> {
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
