/**
 * npm run eval — the knowledge author's tool. Two measurements:
 *
 * 1. Sets through the whole bot: every line of a labeled TSV set goes through the bot (language
 *    middleware, dialogs, recognizer, cards) in a fresh conversation, as the Emulator sends it. Per
 *    language: topic top-1 and top-3, out-of-scope rejection, commands understood, the precision of
 *    answers (answered lines that answer the right topic), the clarify rate, the reply language; then a
 *    confusion table per intent and every miss.
 * 2. Cross-validation (--cv K): the examples of knowledge/locales/* /examples.tsv split in K folds;
 *    each fold is understood by models trained without it, routed as a first message is (commands,
 *    then topics). This is the figure for what the examples teach, free of the dev set's calibration.
 *
 *   npm run eval                                   dev set + eval set + 5-fold cross-validation
 *   npm run eval -- --set FILE.tsv [--set …]       other sets (lang<TAB>expect[<TAB>persona]<TAB>text)
 *   npm run eval -- --cv 0                         no cross-validation
 *   npm run eval -- --mismatch                     every line sent with locale en-US
 *   npm run eval -- --json out.json                every result, for comparing runs
 *
 * expect: a topic id (several with |), none (out of scope), vague, or command:<name>
 * (command:switchLanguage:<code> for a language switch).
 */
import fs from 'node:fs';
import path from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { detectAll } from 'tinyld';
import { createAssistant } from '../src/app';
import { readSettings } from '../src/infrastructure/config';
import { silentLogger } from '../src/infrastructure/logger';
import { loadKnowledge } from '../src/domain/knowledge/loadKnowledge';
import { CommandRecognizer, intentOfCommand } from '../src/domain/language/commandRecognizer';
import { IntentClassifier } from '../src/domain/recognition/intentClassifier';
import { TopicRecognizer } from '../src/domain/recognition/topicRecognizer';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const utterances = path.join(__dirname, '..', 'test', 'utterances');
const setFiles = args
  .map((a, i) => (a === '--set' ? args[i + 1] : undefined))
  .filter((f): f is string => f !== undefined)
  .map((f) => path.resolve(f));
if (setFiles.length === 0) setFiles.push(path.join(utterances, 'dev.tsv'), path.join(utterances, 'eval.tsv'));
const folds = Number(option('--cv') ?? '5');
const mismatch = args.includes('--mismatch');

interface Row {
  language: string;
  expected: string[];
  text: string;
}
/** What the bot made of a line: `topic:<id>`, `clarify`, `vague`, `fallback` or `command:<name>`. */
interface Outcome {
  got: string;
  topics: string[];
}
interface Result extends Row, Outcome {
  set: string;
  top1: boolean;
  top3: boolean;
  replyLanguage: string;
  ms: number;
}

function readSet(file: string): Row[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const columns = line.split('\t');
      return {
        language: columns[0] ?? '',
        expected: (columns[1] ?? '').split('|'),
        text: columns[columns.length - 1] ?? '',
      };
    });
}

const kindOf = (expected: string): 'topic' | 'none' | 'vague' | 'command' =>
  expected === 'none'
    ? 'none'
    : expected === 'vague'
      ? 'vague'
      : expected.startsWith('command:')
        ? 'command'
        : 'topic';

function judge(row: Row, outcome: Outcome): { top1: boolean; top3: boolean } {
  const [first = ''] = row.expected;
  switch (kindOf(first)) {
    case 'none': {
      const rejected = !outcome.got.startsWith('topic:') && outcome.got !== 'clarify';
      return { top1: rejected, top3: rejected };
    }
    case 'vague':
      return { top1: outcome.got === 'vague', top3: ['vague', 'clarify'].includes(outcome.got) };
    case 'command': {
      const right = row.expected.includes(outcome.got);
      return { top1: right, top3: right };
    }
    case 'topic':
      return {
        top1: row.expected.some((t) => outcome.got === `topic:${t}`),
        top3:
          (outcome.got.startsWith('topic:') || outcome.got === 'clarify') &&
          outcome.topics.slice(0, 3).some((t) => row.expected.includes(t)),
      };
  }
}

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

interface TraceValue {
  decision: string;
  vague?: boolean;
  command?: string;
  language: string;
  topics: { id: string }[];
}

function outcomeOfTrace(trace: TraceValue | undefined): Outcome {
  const topics = (trace?.topics ?? []).map((t) => t.id);
  if (!trace) return { got: 'none', topics };
  if (trace.decision === 'command') {
    const command = trace.command === 'switchLanguage' ? `switchLanguage:${trace.language}` : trace.command;
    return { got: `command:${command}`, topics };
  }
  if (trace.decision === 'answer') return { got: `topic:${topics[0]}`, topics };
  if (trace.decision === 'clarify') return { got: trace.vague ? 'vague' : 'clarify', topics };
  return { got: trace.decision, topics };
}

async function throughTheBot(rows: Row[], set: string): Promise<Result[]> {
  const settings = readSettings({ ...process.env, LOG_LEVEL: 'silent' });
  const assistant = createAssistant(settings, silentLogger);
  assistant.classifier.prepare();
  const adapter = new TestAdapter((context) => assistant.bot.run(context), { channelId: 'emulator' }, true);
  adapter.use(assistant.languageMiddleware);
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
      // A fresh person each line: a language switch on one line must not follow the next ones.
      from: { id: `eval-user-${set}-${n}`, name: 'User' },
      conversation: { id: `eval-${set}-${n++}` } as Activity['conversation'],
    });
    const ms = performance.now() - started;
    const replies = adapter.activeQueue.splice(0) as Partial<Activity>[];
    const trace = replies.find((r) => r.type === 'trace' && r.name === 'TopicRecognizer')?.value as
      TraceValue | undefined;
    const outcome = outcomeOfTrace(trace);
    const visible = visibleText(replies);
    const replyLanguage = visible.trim() ? (detectAll(visible)[0]?.lang ?? '?') : '-';
    results.push({ ...row, ...outcome, ...judge(row, outcome), set, replyLanguage, ms });
  }
  return results;
}

const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : '   n/a');

function summary(rs: Result[]): string {
  const of = (kind: string) => rs.filter((r) => kindOf(r.expected[0] ?? '') === kind);
  const topics = of('topic');
  const none = of('none');
  const commands = of('command');
  const answered = rs.filter((r) => r.got.startsWith('topic:'));
  const rightAnswers = answered.filter((r) => r.expected.some((t) => r.got === `topic:${t}`));
  return [
    `top-1 ${pct(topics.filter((r) => r.top1).length, topics.length).padStart(6)}`,
    `top-3 ${pct(topics.filter((r) => r.top3).length, topics.length).padStart(6)}`,
    `clarify ${pct(topics.filter((r) => r.got === 'clarify' || r.got === 'vague').length, topics.length).padStart(6)}`,
    `answers right ${pct(rightAnswers.length, answered.length).padStart(6)}`,
    `out of scope rejected ${pct(none.filter((r) => r.top1).length, none.length).padStart(6)}`,
    `commands ${pct(commands.filter((r) => r.top1).length, commands.length).padStart(6)}`,
    `escalate ${pct(commands.filter((r) => r.expected[0] === 'command:escalate' && r.top1).length, commands.filter((r) => r.expected[0] === 'command:escalate').length).padStart(6)}`,
    `(${topics.length} topic, ${none.length} out, ${commands.length} command, ${of('vague').length} vague)`,
  ].join('  ');
}

function report(title: string, results: Result[], details: boolean): void {
  const group = (key: (r: Result) => string): Map<string, Result[]> => {
    const map = new Map<string, Result[]>();
    for (const r of results) map.set(key(r), [...(map.get(key(r)) ?? []), r]);
    return map;
  };
  console.log(`\n=== ${title}: ${results.length} lines${mismatch ? ', all sent with locale en-US' : ''}`);
  for (const [language, rs] of [...group((r) => r.language)].sort())
    console.log(`  ${language.padEnd(4)} ${summary(rs)}`);
  console.log(`  all  ${summary(results)}`);
  const withLanguage = results.filter((r) => r.replyLanguage !== '');
  if (withLanguage.some((r) => r.replyLanguage !== ''))
    console.log(
      `  reply in the user's language (tinyld): ${pct(withLanguage.filter((r) => r.replyLanguage === r.language).length, withLanguage.length)}`,
    );
  if (!details) return;
  console.log('\n  per intent: right / lines, and what the misses became');
  for (const [intent, rs] of [...group((r) => r.expected[0] ?? '')].sort()) {
    const misses = new Map<string, number>();
    for (const r of rs.filter((x) => !x.top1)) misses.set(r.got, (misses.get(r.got) ?? 0) + 1);
    const confused = [...misses]
      .sort((a, b) => b[1] - a[1])
      .map(([got, count]) => `${got} ${count}`)
      .join(', ');
    console.log(
      `  ${intent.padEnd(30)} ${String(rs.filter((r) => r.top1).length).padStart(4)} / ${String(rs.length).padEnd(4)} ${pct(rs.filter((r) => r.top1).length, rs.length).padStart(6)}  ${confused}`,
    );
  }
  const misses = results.filter((r) => !r.top1);
  console.log(`\n  misses (${misses.length})`);
  for (const r of misses.slice(0, Number(option('--misses') ?? '60')))
    console.log(
      `  [${r.language}] ${r.text.slice(0, 140)}\n        => ${r.got} ${r.topics.slice(0, 3).join(', ')}  (want ${r.expected.join('|')})`,
    );
}

/** K-fold cross-validation of the examples: models trained without a fold understand it. */
function crossValidate(k: number): Result[] {
  const settings = readSettings({ ...process.env, LOG_LEVEL: 'silent' });
  const kb = loadKnowledge(settings.knowledgeDir);
  const results: Result[] = [];
  for (let fold = 0; fold < k; fold++) {
    const trainKb = kb.withExamples((_, i) => i % k !== fold);
    const classifier = new IntentClassifier(trainKb, { cacheDirs: [] });
    const recognizer = new TopicRecognizer(trainKb, classifier);
    const commands = new CommandRecognizer(trainKb, classifier);
    for (const language of kb.languages) {
      kb.pack(language).examples.forEach((example, i) => {
        if (i % k !== fold) return;
        const expected = example.intent === 'out-of-scope' ? 'none' : example.intent;
        const row: Row = { language, expected: [expected], text: example.text };
        const started = performance.now();
        const command = commands.match(example.text, language);
        let outcome: Outcome;
        if (command) {
          outcome = { got: intentOfCommand(command), topics: [] };
        } else {
          const recognition = recognizer.recognize(example.text, language);
          const topics = recognition.topics.map((t) => t.id);
          outcome =
            recognition.decision === 'answer'
              ? { got: `topic:${recognition.options[0]}`, topics }
              : recognition.decision === 'clarify'
                ? { got: recognition.vague ? 'vague' : 'clarify', topics }
                : { got: 'fallback', topics };
        }
        results.push({
          ...row,
          ...outcome,
          ...judge(row, outcome),
          set: `cv${fold}`,
          replyLanguage: '',
          ms: performance.now() - started,
        });
      });
    }
  }
  return results;
}

async function main(): Promise<void> {
  const all: Result[] = [];
  for (const file of setFiles) {
    const results = await throughTheBot(readSet(file), path.basename(file));
    report(path.relative(process.cwd(), file), results, true);
    all.push(...results);
  }
  if (folds >= 2) {
    const started = Date.now();
    const results = crossValidate(folds);
    report(
      `${folds}-fold cross-validation of knowledge/locales/*/examples.tsv (${Math.round((Date.now() - started) / 1000)} s)`,
      results,
      args.includes('--cv-details'),
    );
    all.push(...results);
  }
  const json = option('--json');
  if (json) fs.writeFileSync(json, JSON.stringify(all, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
