/**
 * The entity corpus: what the extractor reads from every utterance of test/utterances/ (in its own
 * language, and the ones with digits in every language) and from generated fact sentences (each
 * language's fact words and duration units beside numbers, counts in every notation, dates). Writes
 * the readings as JSON, or compares them with an earlier file, so that a change to entity reading
 * shows every difference it makes.
 *
 *   npx tsx scripts/entityCorpus.ts --write /tmp/entities-before.json
 *   npx tsx scripts/entityCorpus.ts --compare /tmp/entities-before.json
 *
 * docs/entity-reading.md lists how the readings differ from those of @microsoft/recognizers-text,
 * which read English, French and Spanish counts and points in time until December 2026.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { EntityExtractor, type Entity } from '../src/domain/entities/entityExtractor';
import {
  errorCatalogSchema,
  languageProfileSchema,
  type EntityReading,
} from '../src/domain/knowledge/schema';

const root = path.resolve(__dirname, '..');
const knowledgeDir = path.join(root, 'knowledge');
/** A fixed "now": Wednesday 25 November 2026, as in test/entities.test.ts. */
const NOW = new Date('2026-11-25T10:00:00Z');

export interface CorpusText {
  language: string;
  text: string;
}

export function readings(): Map<string, EntityReading> {
  const found = new Map<string, EntityReading>();
  for (const language of fs.readdirSync(path.join(knowledgeDir, 'locales')).sort()) {
    const file = path.join(knowledgeDir, 'locales', language, 'language.yaml');
    if (fs.existsSync(file)) {
      found.set(language, languageProfileSchema.parse(YAML.parse(fs.readFileSync(file, 'utf8'))).entities);
    }
  }
  return found;
}

export function corpusExtractor(): EntityExtractor {
  const catalog = errorCatalogSchema.parse(
    YAML.parse(fs.readFileSync(path.join(knowledgeDir, 'errors.yaml'), 'utf8')),
  );
  return new EntityExtractor(readings(), catalog);
}

/** The texts, in a fixed order. */
export function corpus(): CorpusText[] {
  const languages = [...readings().keys()];
  const texts: CorpusText[] = [];
  const utteranceDir = path.join(root, 'test', 'utterances');
  for (const file of fs.readdirSync(utteranceDir).sort()) {
    for (const line of fs.readFileSync(path.join(utteranceDir, file), 'utf8').split('\n')) {
      if (!line.trim() || line.startsWith('#')) continue;
      const [language, , text] = line.split('\t');
      if (!language || !text) continue;
      texts.push({ language, text });
      if (/\d/.test(text)) {
        for (const other of languages) if (other !== language) texts.push({ language: other, text });
      }
    }
  }
  const numbers = ['3', '12', '26', '350.000', '60,000', '60 000', '1.5', '2,5', '1000'];
  for (const [language, reading] of readings()) {
    const words = [
      ...reading.factWords,
      ...Object.keys(reading.durationUnits),
      ...Object.keys(reading.numberWords),
    ];
    words.forEach((word, i) => {
      texts.push({ language, text: `${numbers[i % numbers.length] ?? '3'} ${word}` });
      texts.push({ language, text: `${word} ${numbers[(i + 3) % numbers.length] ?? '12'}` });
      texts.push({ language, text: `sync ${word}` });
    });
    for (const [word] of Object.entries(reading.numberWords)) {
      for (const unit of Object.keys(reading.durationUnits).slice(0, 6)) {
        texts.push({ language, text: `${word} ${unit}` });
      }
    }
    for (const n of numbers)
      texts.push({ language, text: `${n} objects / objecten / Objekte / objets / objetos` });
  }
  return texts;
}

export function readCorpus(extractor: EntityExtractor, texts: CorpusText[]): Entity[][] {
  return texts.map(({ text, language }) => extractor.extract(text, language, NOW));
}

function main(): void {
  const args = process.argv.slice(2);
  const texts = corpus();
  const extractor = corpusExtractor();
  const started = performance.now();
  const results = readCorpus(extractor, texts);
  const ms = performance.now() - started;
  const withFacts = results.filter((r) => r.length > 0).length;
  console.log(
    `${texts.length} texts, ${withFacts} with facts, ${results.flat().length} facts, read in ${ms.toFixed(0)} ms (${(ms / texts.length).toFixed(2)} ms a text, first use of every pattern included)`,
  );
  const write = args.indexOf('--write');
  if (write >= 0) {
    const file = args[write + 1] as string;
    fs.writeFileSync(
      file,
      JSON.stringify(
        texts.map((t, i) => ({ ...t, entities: results[i] })),
        null,
        1,
      ),
    );
    console.log(`written to ${file}`);
  }
  const compare = args.indexOf('--compare');
  if (compare >= 0) {
    const before = JSON.parse(fs.readFileSync(args[compare + 1] as string, 'utf8')) as (CorpusText & {
      entities: Entity[];
    })[];
    let differences = 0;
    before.forEach((b, i) => {
      const now = JSON.stringify(results[i]);
      if (texts[i]?.text !== b.text || now !== JSON.stringify(b.entities)) {
        differences++;
        console.log(`[${b.language}] ${b.text}\n  before: ${JSON.stringify(b.entities)}\n  now:    ${now}`);
      }
    });
    console.log(`${differences} of ${before.length} texts read differently`);
  }
}

if (require.main === module) main();
