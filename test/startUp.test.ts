import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SavedStems } from '../src/domain/language/savedStems';
import { TextAnalyzer } from '../src/domain/language/textAnalyzer';
import { WarmUp } from '../src/infrastructure/warmUp';
import { knowledgeDir } from './support/assistant';
import { loadKnowledge } from '../src/domain/knowledge/loadKnowledge';

describe('the warm-up after the port opens', () => {
  it('begins only after the delay, so the first requests are answered before it', async () => {
    const warmUp = new WarmUp();
    const ran: number[] = [];
    warmUp.add('task', () => Promise.resolve(void ran.push(Date.now())));
    const started = Date.now();
    const done = warmUp.start(undefined, 120);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual([]);
    expect(warmUp.status()).toEqual({ task: false });
    await done;
    expect((ran[0] as number) - started).toBeGreaterThanOrEqual(100);
    expect(warmUp.status()).toEqual({ task: true });
  });
});

describe('stems kept between starts', () => {
  const kb = loadKnowledge(knowledgeDir);
  const profile = kb.pack('nl').profile;
  let folder: string;
  beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), 'stems-'))));
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('a second start reads the stems the first one made, and analyzes to the same terms', () => {
    const file = path.join(folder, 'stems.json');
    const first = SavedStems.read([file]);
    const text = 'de wachtwoorden worden niet gesynchroniseerd naar de cloud';
    const terms = new TextAnalyzer(profile, kb.synonyms, first.of(profile.stemmer)).analyze(text).terms;
    first.save();
    const second = SavedStems.read([file]);
    expect(second.of(profile.stemmer).get('wachtwoorden')).toBe(
      first.of(profile.stemmer).get('wachtwoorden'),
    );
    expect(new TextAnalyzer(profile, kb.synonyms, second.of(profile.stemmer)).analyze(text).terms).toEqual(
      terms,
    );
  });

  it('stems of another snowball-stemmers version are not used', () => {
    const file = path.join(folder, 'stems.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ stemmer: '0.0.0-other', stems: { dutch: { wachtwoorden: 'x' } } }),
    );
    expect(SavedStems.read([file]).of('dutch').size).toBe(0);
  });

  it('a place that cannot be written is skipped for the next one', () => {
    const blocked = path.join(folder, 'a-file');
    fs.writeFileSync(blocked, '');
    const next = path.join(folder, 'next', 'stems.json');
    const stems = SavedStems.read([path.join(blocked, 'stems.json'), next]);
    stems.of('dutch').set('wachtwoorden', 'wachtwoord');
    stems.save();
    expect(SavedStems.read([next]).of('dutch').get('wachtwoorden')).toBe('wachtwoord');
  });
});

describe('what start-up loads', () => {
  it("loads none of botbuilder-dialogs' prompts, recognizers or expressions, which no dialog here uses", () => {
    const loaded = execFileSync(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        '-e',
        "require('./src/app'); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /recognizers-text|adaptive-expressions|botbuilder-dialogs[\\\\/]lib[\\\\/](prompts|choices)/.test(f))))",
      ],
      { cwd: path.join(__dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    expect(JSON.parse(loaded)).toEqual([]);
  }, 30_000);
});
