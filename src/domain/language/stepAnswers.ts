import { escapeRegExp, foldText } from './textAnalyzer';

export type StepVerdict = 'yes' | 'no';

/** What a reply to a guided check's question says when it tells what was seen (flows' `answers`). */
export interface StepAnswerWords {
  yes: readonly string[];
  no: readonly string[];
}

/**
 * The most words a reply may have to be read as what was seen: a longer message is more often a new
 * question that happens to hold one of the words ("the service is stopped and now passwords fail too").
 */
const STEP_ANSWER_MAX_WORDS = 12;

/**
 * Yes or no to a guided check's question, told as what the user saw (and, with the language's
 * outcome words, to "did this solve it?" told as what the user did): "ok checked, ADSync service is
 * stopped" to "is the ADSync service running?". The longest words win where they overlap ("not
 * running" over "running", "no errors" over "errors"); a reply that says both, or a question, is
 * neither.
 */
export function readStepAnswer(
  text: string,
  words: StepAnswerWords | undefined,
  maxWords = STEP_ANSWER_MAX_WORDS,
): StepVerdict | undefined {
  if (!words || text.trim().endsWith('?')) return undefined;
  const folded = foldText(text);
  if (folded.split(' ').length > maxWords) return undefined;
  const reader = readerOf(words);
  if (!reader) return undefined;
  const said = new Set<StepVerdict>();
  for (const match of folded.matchAll(reader.pattern)) said.add(reader.kinds.get(match[0]) as StepVerdict);
  return said.size === 1 ? [...said][0] : undefined;
}

interface AnswerReader {
  kinds: Map<string, StepVerdict>;
  pattern: RegExp;
}

/** Built once per list: the lists live as long as the knowledge, and a message waits on one. */
const readers = new WeakMap<StepAnswerWords, AnswerReader | null>();

function readerOf(words: StepAnswerWords): AnswerReader | undefined {
  const known = readers.get(words);
  if (known !== undefined) return known ?? undefined;
  const kinds = new Map<string, StepVerdict>();
  for (const kind of ['yes', 'no'] as const)
    for (const phrase of words[kind]) {
      const key = foldText(phrase);
      // A phrase in both lists is refused when the knowledge loads (knowledgeChecks.ts).
      if (key) kinds.set(key, kind);
    }
  const alternatives = [...kinds.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const reader =
    kinds.size === 0
      ? null
      : { kinds, pattern: new RegExp(`(?<=^| )(?:${alternatives.join('|')})(?= |$)`, 'g') };
  readers.set(words, reader);
  return reader ?? undefined;
}
