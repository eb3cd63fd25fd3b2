/**
 * npm run eval — the knowledge author's tool: sends every labeled utterance of a TSV set through the
 * whole bot (language middleware, dialogs, recognizer, cards) in a fresh conversation, as the
 * Emulator would, and prints top-1, top-3 and out-of-scope rejection per language and per topic,
 * how often the reply was in the user's language, and every miss.
 *
 *   npm run eval                                  test/utterances/eval.tsv, each line with its language's locale
 *   npm run eval -- --mismatch                    every line sent with locale en-US (language from the text)
 *   npm run eval -- --set FILE.tsv --json out.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { detectAll } from 'tinyld';
import { createAssistant } from '../src/app';
import { readSettings } from '../src/config';
import { silentLogger } from '../src/logger';

const args = process.argv.slice(2);
const option = (name: string, fallback?: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const setFile = path.resolve(
  option('--set', path.join(__dirname, '..', 'test', 'utterances', 'eval.tsv')) as string,
);
const mismatch = args.includes('--mismatch');

interface Row {
  language: string;
  expected: string[];
  text: string;
}
interface Result extends Row {
  decision: string;
  topics: string[];
  top1: boolean;
  top3: boolean;
  replyLanguage: string;
  card: boolean;
  ms: number;
}

const rows: Row[] = fs
  .readFileSync(setFile, 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((line) => {
    const [language = '', expected = '', text = ''] = line.split('\t');
    return { language, expected: expected.split('|'), text };
  });

function visibleText(replies: Partial<Activity>[]): string {
  const strings: string[] = [];
  const walk = (node: unknown, key = ''): void => {
    if (typeof node === 'string') {
      if (['text', 'title'].includes(key)) strings.push(node);
    } else if (Array.isArray(node)) node.forEach((n) => walk(n, key));
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) if (k !== 'data') walk(v, k);
  };
  for (const reply of replies.filter((r) => r.type === 'message')) {
    strings.push(reply.text ?? '');
    walk((reply.attachments ?? []).map((a) => a.content));
  }
  return strings.join(' ').replace(/https?:\/\/\S+/g, '');
}

async function main(): Promise<void> {
  const settings = readSettings({ ...process.env, LOG_LEVEL: 'silent' });
  const assistant = createAssistant(settings, silentLogger);
  const adapter = new TestAdapter((context) => assistant.bot.run(context), { channelId: 'emulator' }, true);
  adapter.use(assistant.languageMiddleware);
  // A line's client locale: its language with the region of its Learn locale (nl → nl-NL).
  const localeOf = (language: string): string =>
    assistant.kb.supports(language)
      ? `${language}-${assistant.kb.pack(language).profile.learnLocale.slice(3).toUpperCase()}`
      : language;

  const results: Result[] = [];
  let n = 0;
  for (const row of rows) {
    const started = performance.now();
    await adapter.processActivity({
      type: 'message',
      text: row.text,
      locale: mismatch ? 'en-US' : localeOf(row.language),
      conversation: { id: `eval-${n++}` } as Activity['conversation'],
    });
    const ms = performance.now() - started;
    const replies = adapter.activeQueue.splice(0) as Partial<Activity>[];
    const trace = replies.find((r) => r.type === 'trace' && r.name === 'TopicRecognizer')?.value as
      { decision: string; topics: { id: string }[] } | undefined;
    const decision = trace?.decision ?? 'none';
    const topics = (trace?.topics ?? []).map((t) => t.id);
    const inScope = row.expected[0] !== 'none';
    const top1 = inScope
      ? decision === 'answer' && row.expected.includes(topics[0] ?? '')
      : !['answer', 'clarify'].includes(decision);
    const top3 = inScope
      ? ['answer', 'clarify'].includes(decision) && topics.slice(0, 3).some((t) => row.expected.includes(t))
      : top1;
    const visible = visibleText(replies);
    const replyLanguage = visible.trim() ? (detectAll(visible)[0]?.lang ?? '?') : '-';
    const card = replies.some((r) =>
      (r.attachments ?? []).some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive'),
    );
    results.push({ ...row, decision, topics: topics.slice(0, 3), top1, top3, replyLanguage, card, ms });
  }

  const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
  const group = <K extends string>(key: (r: Result) => K): Map<K, Result[]> => {
    const map = new Map<K, Result[]>();
    for (const r of results) map.set(key(r), [...(map.get(key(r)) ?? []), r]);
    return map;
  };
  const inScope = (rs: Result[]) => rs.filter((r) => r.expected[0] !== 'none');
  const outOfScope = (rs: Result[]) => rs.filter((r) => r.expected[0] === 'none');
  const line = (rs: Result[]): string => {
    const i = inScope(rs);
    const o = outOfScope(rs);
    return `top-1 ${pct(i.filter((r) => r.top1).length, i.length).padStart(6)}  top-3 ${pct(i.filter((r) => r.top3).length, i.length).padStart(6)}  out-of-scope rejected ${pct(o.filter((r) => r.top1).length, o.length).padStart(6)}  reply language ${pct(rs.filter((r) => r.replyLanguage === r.language).length, rs.length).padStart(6)}  (${i.length} in scope, ${o.length} out)`;
  };

  console.log(
    `${path.relative(process.cwd(), setFile)}: ${results.length} utterances${mismatch ? ', all sent with locale en-US' : ''}`,
  );
  console.log('\nper language');
  for (const [language, rs] of group((r) => r.language)) console.log(`  ${language.padEnd(4)} ${line(rs)}`);
  console.log('\nper topic (top-1 / top-3)');
  for (const [topic, rs] of [...group((r) => r.expected[0] ?? '')].sort()) {
    if (topic === 'none') continue;
    console.log(
      `  ${topic.padEnd(24)} ${pct(rs.filter((r) => r.top1).length, rs.length).padStart(6)} / ${pct(rs.filter((r) => r.top3).length, rs.length).padStart(6)}  (${rs.length})`,
    );
  }
  const misses = results.filter((r) => !r.top1);
  console.log(`\nmisses (${misses.length})`);
  for (const r of misses)
    console.log(
      `  [${r.language}] ${r.text}\n        => ${r.decision} ${r.topics.join(', ')}  (want ${r.expected.join('|')})`,
    );
  const wrongLanguage = results.filter((r) => r.replyLanguage !== r.language);
  console.log(`\nreplies not in the user's language by tinyld (${wrongLanguage.length})`);
  for (const r of wrongLanguage.slice(0, 20))
    console.log(`  [${r.language}] ${r.text} => ${r.replyLanguage}`);
  const answers = results.filter((r) => r.decision === 'answer');
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  const quantile = (q: number): string =>
    (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
  console.log(
    `\nanswers with a card: ${pct(answers.filter((r) => r.card).length, answers.length)}; in-process turn ms p50 ${quantile(0.5)} p95 ${quantile(0.95)}`,
  );
  console.log(`OVERALL ${line(results)}`);
  const json = option('--json');
  if (json) fs.writeFileSync(json, JSON.stringify(results, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
