import type { TurnContext } from 'botbuilder';
import type { TopicScore } from '../domain/recognition/topicRecognizer';
import { turnLanguage } from './assistantServices';

export type TraceDecision = 'answer' | 'clarify' | 'fallback' | 'command';

export interface RecognitionTraceValue {
  text: string;
  locale: string;
  language: string;
  decision: TraceDecision;
  topics: TopicScore[];
  entities: unknown[];
  /** What made the decision when it was not the topic recognizer: the command or button. */
  command?: string;
  /** decision clarify: the message only said sync is broken, so the card asks which symptom. */
  vague?: boolean;
  /** decision fallback: the message is about something else than directory sync. */
  outOfScope?: boolean;
  /** command feedback: whether the user said the answer helped ("perfect, thanks") or not. */
  helpful?: boolean;
}

const TRACE_SENT = Symbol('recognitionTraceSent');
const MAX_TOPICS = 5;

/**
 * Sends the recognition trace of contract.md §2, once per message. Bot Framework only delivers
 * traces on the emulator channel, which is what they are for (the Emulator's inspector).
 */
export async function sendRecognitionTrace(
  context: TurnContext,
  value: Omit<RecognitionTraceValue, 'text' | 'locale'>,
): Promise<void> {
  if (context.turnState.get(TRACE_SENT)) return;
  context.turnState.set(TRACE_SENT, true);
  const full: RecognitionTraceValue = {
    text: context.activity.text ?? '',
    locale: context.activity.locale ?? '',
    ...value,
    topics: value.topics.slice(0, MAX_TOPICS),
  };
  await context.sendTraceActivity('TopicRecognizer', full, 'recognition', 'Topic recognition');
}

/**
 * The trace of a message that was a command or a button rather than a question: what it was taken as,
 * the topic it was about if any, and the facts read from it.
 */
export async function traceCommand(
  context: TurnContext,
  command: string,
  about: { topicId?: string; entities?: unknown[]; language?: string; helpful?: boolean } = {},
): Promise<void> {
  await sendRecognitionTrace(context, {
    language: about.language ?? turnLanguage(context),
    decision: 'command',
    command,
    topics: about.topicId ? [{ id: about.topicId, score: 1 }] : [],
    entities: about.entities ?? [],
    ...(about.helpful === undefined ? {} : { helpful: about.helpful }),
  });
}

export function recognitionTraceSent(context: TurnContext): boolean {
  return context.turnState.get(TRACE_SENT) === true;
}
