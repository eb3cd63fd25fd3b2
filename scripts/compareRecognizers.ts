/**
 * npm run eval:compare — the recognizers side by side on the dev set (test/utterances/dev.tsv), each
 * trained on the same material (the knowledge's phrasings, commands, out-of-scope and vague lines, and
 * examples.tsv), each line read in its labelled language, its best guess taken as it is (no thresholds):
 *   phrasings   today's fuse.js scorer with the exact command phrases (no examples: it has no training)
 *   nlp.js      @nlpjs/nlu's neural classifier with the language's @nlpjs/lang-* pack
 *   softmax     the classifier the bot uses (src/domain/recognition/intentModel.ts)
 *   combined    the bot's understanding: phrases, commands in own words, then both scores (recognition.yaml)
 * Prints top-1 per intent kind. This is how the classifier was chosen; it is slow (it trains nlp.js).
 */
import fs from 'node:fs';
import path from 'node:path';
import { readSettings } from '../src/infrastructure/config';
import { loadKnowledge } from '../src/domain/knowledge/loadKnowledge';
import { CommandRecognizer, intentOfCommand } from '../src/domain/language/commandRecognizer';
import { COMMAND_PREFIX, IntentClassifier, trainingCorpus } from '../src/domain/recognition/intentClassifier';
import { TopicRecognizer } from '../src/domain/recognition/topicRecognizer';

// nlp.js ships no types; the parts used here.
interface NlpContainer {
  use(plugin: unknown): void;
}
interface NluNeural {
  train(corpus: { utterance: string; intent: string }[]): Promise<unknown>;
  process(text: string): Promise<{ classifications: { intent: string; score: number }[] }>;
}
/* eslint-disable @typescript-eslint/no-require-imports */
const { containerBootstrap } = require('@nlpjs/core') as { containerBootstrap: () => Promise<NlpContainer> };
const { NluNeural: NluNeuralClass } = require('@nlpjs/nlu') as {
  NluNeural: new (settings: object, container: NlpContainer) => NluNeural;
};
const languagePacks: Record<string, unknown> = {
  en: (require('@nlpjs/lang-en') as Record<string, unknown>).LangEn,
  nl: (require('@nlpjs/lang-nl') as Record<string, unknown>).LangNl,
  de: (require('@nlpjs/lang-de') as Record<string, unknown>).LangDe,
  fr: (require('@nlpjs/lang-fr') as Record<string, unknown>).LangFr,
  es: (require('@nlpjs/lang-es') as Record<string, unknown>).LangEs,
};
/* eslint-enable @typescript-eslint/no-require-imports */

const kb = loadKnowledge(readSettings({ ...process.env, LOG_LEVEL: 'silent' }).knowledgeDir);
const rows = fs
  .readFileSync(path.join(__dirname, '..', 'test', 'utterances', 'dev.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const c = l.split('\t');
    const expect = c[1] ?? '';
    return {
      language: c[0] ?? 'en',
      intent: expect === 'none' ? 'out-of-scope' : expect,
      text: c[c.length - 1] ?? '',
    };
  });
const kindOf = (intent: string): string =>
  intent === 'out-of-scope'
    ? 'out of scope'
    : intent.startsWith(COMMAND_PREFIX)
      ? 'commands'
      : intent === 'vague'
        ? 'vague'
        : 'topics';

async function main(): Promise<void> {
  const classifier = new IntentClassifier(kb);
  const combined = new TopicRecognizer(kb, classifier);
  const commands = new CommandRecognizer(kb, classifier);
  const phrasingsOnly = new TopicRecognizer(kb.withExamples(() => false));
  const nlp = new Map<string, NluNeural>();
  for (const language of kb.languages) {
    const container = await containerBootstrap();
    container.use(languagePacks[language]);
    const nlu = new NluNeuralClass({ locale: language, log: false }, container);
    await nlu.train(trainingCorpus(kb, language).map((e) => ({ utterance: e.text, intent: e.intent })));
    nlp.set(language, nlu);
  }
  const guesses: Record<string, (text: string, language: string) => Promise<string>> = {
    phrasings: async (text, language) => {
      const phrase = commands.matchPhrase(text, language);
      if (phrase) return intentOfCommand(phrase);
      const r = phrasingsOnly.recognize(text, language);
      return r.vague
        ? 'vague'
        : r.decision === 'fallback'
          ? 'out-of-scope'
          : (r.topics[0]?.id ?? 'out-of-scope');
    },
    'nlp.js': async (text, language) =>
      (await (nlp.get(language) as NluNeural).process(text)).classifications[0]?.intent ?? 'None',
    softmax: async (text, language) => classifier.classify(text, language)[0]?.intent ?? '',
    combined: async (text, language) => {
      const command = commands.match(text, language);
      if (command) return intentOfCommand(command);
      const r = combined.recognize(text, language);
      return r.vague
        ? 'vague'
        : r.decision === 'fallback'
          ? 'out-of-scope'
          : (r.topics[0]?.id ?? 'out-of-scope');
    },
  };
  const kinds = ['topics', 'commands', 'out of scope', 'vague', 'all'];
  console.log(`dev set, ${rows.length} lines; best guess, no thresholds (combined: as routed, with them)\n`);
  console.log(['recognizer'.padEnd(12), ...kinds.map((k) => k.padStart(13))].join(''));
  for (const [name, guess] of Object.entries(guesses)) {
    const right = new Map<string, [number, number]>();
    for (const row of rows) {
      const hit = (await guess(row.text, row.language)) === row.intent ? 1 : 0;
      for (const kind of [kindOf(row.intent), 'all']) {
        const [a, b] = right.get(kind) ?? [0, 0];
        right.set(kind, [a + hit, b + 1]);
      }
    }
    console.log(
      [
        name.padEnd(12),
        ...kinds.map((k) => {
          const [a, b] = right.get(k) ?? [0, 0];
          return `${b ? ((100 * a) / b).toFixed(1) : '-'}%`.padStart(13);
        }),
      ].join(''),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
