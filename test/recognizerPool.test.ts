import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { EntityExtractor } from '../src/domain/entities/entityExtractor';
import { InlineRecognizers, RecognizerPool } from '../src/domain/entities/recognizerPool';
import {
  errorCatalogSchema,
  languageProfileSchema,
  type EntityReading,
} from '../src/domain/knowledge/schema';
import { WarmUp } from '../src/infrastructure/warmUp';
import { knowledgeDir } from './support/assistant';

const NOW = new Date('2026-11-25T10:00:00Z');

function englishOnly(recognizers: InlineRecognizers | RecognizerPool): EntityExtractor {
  const read = (file: string): unknown => YAML.parse(fs.readFileSync(path.join(knowledgeDir, file), 'utf8'));
  const en = languageProfileSchema.parse(read('locales/en/language.yaml')).entities;
  return new EntityExtractor(
    new Map<string, EntityReading>([['en', en]]),
    errorCatalogSchema.parse(read('errors.yaml')),
    recognizers,
  );
}

describe('the recognizers in a worker thread', () => {
  const pool = new RecognizerPool();
  const inline = englishOnly(new InlineRecognizers());
  const pooled = englishOnly(pool);
  afterAll(() => pooled.close());

  const texts = [
    'sync stopped since yesterday morning',
    'we have three hundred thousand objects and 60,000 users',
    'Sync failed. We have 350,000 objects. It stopped on March 12.',
    'since March 12 sync has not run for 26 hours',
  ];

  it('reads with chrono-node and the plain number pattern until the culture is warm, then as inline', async () => {
    expect(pool.isWarm('en-us')).toBe(false);
    // Cold: no recognizer, so a count in words is not read (it is once warm).
    const cold = await pooled.extract('we have three hundred thousand objects', 'en', NOW);
    expect(cold.filter((e) => e.type === 'number')).toEqual([]);
    expect((await pooled.extract('sync stopped since yesterday', 'en', NOW)).map((e) => e.type)).toContain(
      'datetime',
    );

    const warmUp = new WarmUp();
    warmUp.add('entity recognizers', () => pooled.warmUp());
    expect(warmUp.status()).toEqual({ 'entity recognizers': false });
    await warmUp.start();
    expect(warmUp.status()).toEqual({ 'entity recognizers': true });
    expect(pool.isWarm('en-us')).toBe(true);
    for (const text of texts) {
      expect(await pooled.extract(text, 'en', NOW)).toEqual(await inline.extract(text, 'en', NOW));
    }
  }, 120_000);

  it('keeps the event loop free while the worker reads', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const readings = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pooled.extract(`${texts[i % texts.length] ?? ''} ${i}`, 'en', NOW),
      ),
    );
    clearInterval(timer);
    expect(readings.every((r) => r.length > 0)).toBe(true);
    // The timer ran while the readings were under way: they did not block this thread.
    expect(ticks).toBeGreaterThan(0);
  }, 60_000);
});
