/**
 * npm run eval:language — how well the message-language detector does on short help-chat questions,
 * beside the generic tinyld detector, by message length. Reads the labeled sets under test/utterances.
 */
import fs from 'node:fs';
import path from 'node:path';
import { detect } from 'tinyld';
import { createAssistant } from '../src/app';
import { readSettings } from '../src/infrastructure/config';
import { silentLogger } from '../src/infrastructure/logger';

const settings = readSettings();
const { kb, languageDetector: detector } = createAssistant(settings, silentLogger);
const rows = ['eval.tsv', 'regression.tsv'].flatMap((file) =>
  fs
    .readFileSync(path.join(__dirname, '..', 'test', 'utterances', file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [language = '', , text = ''] = line.split('\t');
      return { language, text };
    }),
);
const buckets = [
  { name: '1-3 words', test: (n: number) => n <= 3 },
  { name: '4-6 words', test: (n: number) => n >= 4 && n <= 6 },
  { name: '7+ words', test: (n: number) => n >= 7 },
];
console.log(`${rows.length} labeled messages (${kb.languages.join(', ')})`);
console.log(`${'length'.padEnd(12)} ${'count'.padStart(5)} ${'ours'.padStart(7)} ${'tinyld'.padStart(7)}`);
for (const bucket of [...buckets, { name: 'all', test: () => true }]) {
  const inBucket = rows.filter((r) => bucket.test(r.text.split(/\s+/).length));
  const ours = inBucket.filter((r) => {
    const best = detector.rank(r.text)[0];
    return best !== undefined && best.words > 0 && best.language === r.language;
  }).length;
  const theirs = inBucket.filter((r) => detect(r.text) === r.language).length;
  const pct = (n: number) => `${((100 * n) / Math.max(1, inBucket.length)).toFixed(1)}%`;
  console.log(
    `${bucket.name.padEnd(12)} ${String(inBucket.length).padStart(5)} ${pct(ours).padStart(7)} ${pct(theirs).padStart(7)}`,
  );
}
console.log('ours: top-ranked language with at least one distinctive word; the bot falls back to the');
console.log('conversation language or the locale when no word is distinctive (see languagePolicy.ts).');
