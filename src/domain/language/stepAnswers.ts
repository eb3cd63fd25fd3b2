import { foldText, PhraseRewriter } from './textAnalyzer';

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
  const said = new Set(readerOf(words).found(folded));
  return said.size === 1 ? ([...said][0] as StepVerdict) : undefined;
}

/** Built once per list: the lists live as long as the knowledge, and a message waits on one. */
const readers = new WeakMap<StepAnswerWords, PhraseRewriter>();

/** Each answer phrase to its verdict; a phrase in both lists is refused when the knowledge loads. */
function readerOf(words: StepAnswerWords): PhraseRewriter {
  let reader = readers.get(words);
  if (!reader) {
    const verdicts: Record<string, StepVerdict> = {};
    for (const kind of ['yes', 'no'] as const) for (const phrase of words[kind]) verdicts[phrase] = kind;
    reader = new PhraseRewriter(verdicts);
    readers.set(words, reader);
  }
  return reader;
}
