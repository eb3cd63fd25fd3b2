/**
 * npm run calibrate — chooses the understanding thresholds of knowledge/recognition.yaml on tuning sets
 * (by default the spent held-out sets test/utterances/holdout-2026-12.tsv and holdout-2026-12b.tsv,
 * written the way users write and in no model's training; `--set FILE` as often as needed for others):
 * the settings that understand the most lines while the topics the bot answers stay right at least
 * `--precision` of the time (default 0.99). The dev set's figures are printed beside. Each line is
 * read once (phrasings, classifier); the candidates only replay the decision, as a first message is
 * routed: an exact command phrase, a command in the user's own words, then topics. Prints the best
 * settings to paste into recognition.yaml; writes nothing. `--sweep KEY` prints what each value of one
 * setting does instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readSettings } from '../src/infrastructure/config';
import { loadKnowledge } from '../src/domain/knowledge/loadKnowledge';
import type { RecognitionSettings } from '../src/domain/knowledge/schema';
import {
  CommandRecognizer,
  commandFromIntents,
  intentOfCommand,
} from '../src/domain/language/commandRecognizer';
import { IntentClassifier } from '../src/domain/recognition/intentClassifier';
import { type MessageEvidence, TopicRecognizer } from '../src/domain/recognition/topicRecognizer';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const minPrecision = Number(option('--precision', '0.99'));
const utterances = path.join(__dirname, '..', 'test', 'utterances');
const setFiles = args
  .map((a, i) => (a === '--set' ? args[i + 1] : undefined))
  .filter((f): f is string => f !== undefined)
  .map((f) => path.resolve(f));
if (setFiles.length === 0)
  setFiles.push(path.join(utterances, 'holdout-2026-12.tsv'), path.join(utterances, 'holdout-2026-12b.tsv'));
const devFile = path.join(utterances, 'dev.tsv');

const kb = loadKnowledge(readSettings({ ...process.env, LOG_LEVEL: 'silent' }).knowledgeDir);
const classifier = new IntentClassifier(kb);
const recognizer = new TopicRecognizer(kb, classifier);
const commands = new CommandRecognizer(kb, classifier);

interface Line {
  expected: string;
  phrase?: string;
  evidence: MessageEvidence;
  language: string;
}
const readLines = (file: string): Line[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const columns = l.split('\t');
      const language = columns[0] ?? 'en';
      const text = columns[columns.length - 1] ?? '';
      const phrase = commands.matchPhrase(text, language);
      return {
        expected: columns[1] ?? '',
        language,
        ...(phrase ? { phrase: intentOfCommand(phrase) } : {}),
        evidence: recognizer.read(text, language),
      };
    });
const lines: Line[] = setFiles.flatMap(readLines);
const devLines: Line[] = setFiles.includes(devFile) ? [] : readLines(devFile);

function outcome(line: Line, s: RecognitionSettings): string {
  if (line.phrase) return line.phrase;
  const command = commandFromIntents(line.evidence.intents, line.language, {}, s.understanding);
  if (command) return intentOfCommand(command);
  const r = recognizer.decide(line.evidence, s);
  if (r.decision === 'answer') return r.options[0] as string;
  if (r.decision === 'clarify') return r.vague ? 'vague' : 'clarify';
  return 'none';
}

function measure(
  s: RecognitionSettings,
  set: Line[] = lines,
): {
  right: number;
  precision: number;
  clarify: number;
  topicTop1: number;
} {
  let right = 0;
  let answered = 0;
  let answeredRight = 0;
  let topicLines = 0;
  let clarified = 0;
  let topicRight = 0;
  for (const line of set) {
    const got = outcome(line, s);
    const isTopic = !['none', 'vague'].includes(line.expected) && !line.expected.startsWith('command:');
    const ok =
      got === line.expected || (line.expected === 'none' && !kb.topicIds.includes(got) && got !== 'clarify');
    if (ok) right++;
    if (kb.topicIds.includes(got)) {
      answered++;
      if (got === line.expected) answeredRight++;
    }
    if (isTopic) {
      topicLines++;
      if (got === 'clarify' || got === 'vague') clarified++;
      if (got === line.expected) topicRight++;
    }
  }
  return {
    right: right / set.length,
    precision: answered ? answeredRight / answered : 1,
    clarify: clarified / topicLines,
    topicTop1: topicRight / topicLines,
  };
}

const base = kb.recognition;
const grid: Record<string, number[]> = {
  classifierWeight: [0.5, 0.6, 0.7, 0.8, 0.9, 1],
  commandThreshold: [0.25, 0.3, 0.35, 0.4, 0.5, 0.6],
  expectedCommandThreshold: [0.15, 0.2, 0.25, 0.3, 0.4],
  outOfScopeThreshold: [0.25, 0.3, 0.35, 0.4, 0.5, 0.6],
  vagueThreshold: [0.25, 0.3, 0.4, 0.5, 0.6],
  answerThreshold: [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6],
  answerMargin: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3],
  clarifyThreshold: [0.1, 0.15, 0.2, 0.25, 0.3],
  inScopeProbability: [0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1],
  leadOverNextTopic: [1.25, 1.5, 1.75, 2, 2.5, 3, 100],
  standOutMinScore: [0, 0.2, 0.25, 0.3, 0.35, 1],
};
const understandingKeys = [
  'classifierWeight',
  'commandThreshold',
  'expectedCommandThreshold',
  'outOfScopeThreshold',
  'vagueThreshold',
  'inScopeProbability',
  'leadOverNextTopic',
  'standOutMinScore',
];
const withValue = (s: RecognitionSettings, key: string, value: number): RecognitionSettings =>
  understandingKeys.includes(key)
    ? { ...s, understanding: { ...s.understanding, [key]: value } }
    : { ...s, [key]: value };
const score = (s: RecognitionSettings): number => {
  if (s.clarifyThreshold > s.answerThreshold) return -1;
  const m = measure(s);
  return m.precision >= minPrecision ? m.right : m.right - 10 * (minPrecision - m.precision);
};

// --sweep KEY: what each value of one setting does, the others as today, to see the trade-off.
const sweep = args.includes('--sweep') ? option('--sweep', '') : undefined;
if (sweep) {
  for (const value of grid[sweep] ?? []) {
    const m = measure(withValue(base, sweep, value));
    console.log(
      `${sweep} ${value}: lines right ${(100 * m.right).toFixed(1)}%, topic top-1 ${(100 * m.topicTop1).toFixed(1)}%, answers right ${(100 * m.precision).toFixed(1)}%, clarify ${(100 * m.clarify).toFixed(1)}%`,
    );
  }
  process.exit(0);
}

// Coordinate ascent from today's settings, a few rounds: each setting in turn takes its best value.
let best = base;
let bestScore = score(best);
for (let round = 0; round < 4; round++) {
  let changed = false;
  for (const [key, values] of Object.entries(grid)) {
    for (const value of values) {
      const candidate = withValue(best, key, value);
      const candidateScore = score(candidate);
      if (candidateScore > bestScore + 1e-9) {
        best = candidate;
        bestScore = candidateScore;
        changed = true;
      }
    }
  }
  if (!changed) break;
}
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const show = (name: string, s: RecognitionSettings): void => {
  for (const [setName, set] of [
    [setFiles.map((f) => path.basename(f)).join(' + '), lines],
    ...(devLines.length ? [['dev.tsv (for comparison)', devLines] as const] : []),
  ] as const) {
    const m = measure(s, set);
    console.log(
      `${name}, ${setName}: lines right ${pct(m.right)}, topic top-1 ${pct(m.topicTop1)}, answers right ${pct(m.precision)}, clarify ${pct(m.clarify)}`,
    );
  }
};
show('today', base);
show('best', best);
console.log('\nrecognition.yaml:');
for (const key of ['answerThreshold', 'answerMargin', 'clarifyThreshold'] as const)
  console.log(`${key}: ${best[key]}`);
console.log('understanding:');
for (const [key, value] of Object.entries(best.understanding)) console.log(`  ${key}: ${value}`);
