import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { knowledgeDir } from './assistant';

/**
 * What a language's strings.yaml says for a key, read from the file itself rather than through the
 * Localizer or ReplyBuilder under test. For a language other than English the text must differ
 * from the English one, so a reply in the wrong language cannot pass for the right one.
 */
export function knowledgeString(language: string, key: string, dir = knowledgeDir): string {
  const read = (lang: string): unknown =>
    (
      YAML.parse(fs.readFileSync(path.join(dir, 'locales', lang, 'strings.yaml'), 'utf8')) as Record<
        string,
        unknown
      >
    )[key];
  const text = read(language);
  if (typeof text !== 'string') throw new Error(`${language}/strings.yaml has no string "${key}"`);
  if (language !== 'en' && text === read('en'))
    throw new Error(`${language}/strings.yaml "${key}" is the English text: it cannot show the language`);
  return text;
}
