import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { STRING_KEYS } from '../src/domain/language/stringKeys';

const root = path.join(__dirname, '..');
const localesDir = path.join(root, 'knowledge', 'locales');
const languages = fs
  .readdirSync(localesDir)
  .filter((d) => fs.existsSync(path.join(localesDir, d, 'strings.yaml')))
  .sort();

function filesUnder(dir: string, extension: string, skip: string[] = []): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
    const file = path.join(entry.parentPath, entry.name);
    return entry.isFile() && entry.name.endsWith(extension) && !skip.includes(file) ? [file] : [];
  });
}

/** The code that says things: src/ (not the key list itself), the card templates and the Web Chat page. */
const stringKeysFile = path.join(root, 'src', 'domain', 'language', 'stringKeys.ts');
const code = [
  ...filesUnder(path.join(root, 'src'), '.ts', [stringKeysFile]),
  ...filesUnder(path.join(root, 'cards'), '.json'),
  ...filesUnder(path.join(root, 'webchat'), '.js'),
]
  .map((file) => fs.readFileSync(file, 'utf8'))
  .join('\n');

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A key is used when the code names it whole ('answer.lead', or ${t.answer.lead} in a card), or builds
 * it from a prefix and a word the code names (`flow.${move}` with 'yes'): the compiler holds such a
 * template to StringKey, so every word it can take is a key.
 */
export function isUsed(key: string, text: string): boolean {
  if (new RegExp(`['"\`]${escape(key)}['"\`]|\\$\\{t\\.${escape(key)}\\}`).test(text)) return true;
  const cut = key.lastIndexOf('.');
  const [prefix, word] = [key.slice(0, cut + 1), key.slice(cut + 1)];
  return new RegExp(`\`${escape(prefix)}\\$\\{`).test(text) && new RegExp(`'${escape(word)}'`).test(text);
}

describe('StringKey (src/domain/language/stringKeys.ts, npm run kb:keys)', () => {
  it('finds the five languages', () => {
    expect(languages).toEqual(['de', 'en', 'es', 'fr', 'nl']);
  });

  it.each(languages)('has exactly the keys of locales/%s/strings.yaml', (language) => {
    const strings = YAML.parse(
      fs.readFileSync(path.join(localesDir, language, 'strings.yaml'), 'utf8'),
    ) as Record<string, string>;
    expect([...STRING_KEYS].sort()).toEqual(Object.keys(strings).sort());
  });

  it('lists each key once', () => {
    expect(new Set(STRING_KEYS).size).toBe(STRING_KEYS.length);
  });

  it('has no key that src/, cards/ or webchat/ never use', () => {
    expect(STRING_KEYS.filter((key) => !isUsed(key, code))).toEqual([]);
  });

  it('tells a used key from an unused one', () => {
    const sample = "l.t('answer.lead'); l.t(`flow.${m}`); const moves = ['yes']; ${t.welcome.title}";
    expect(isUsed('answer.lead', sample)).toBe(true);
    expect(isUsed('welcome.title', sample)).toBe(true);
    expect(isUsed('flow.yes', sample)).toBe(true);
    expect(isUsed('flow.no', sample)).toBe(false);
    expect(isUsed('answer.links', sample)).toBe(false);
  });
});
