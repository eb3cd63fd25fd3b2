import type { Activity, Attachment } from 'botbuilder';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export interface RecognitionTrace {
  text: string;
  locale: string;
  language: string;
  decision: string;
  topics: { id: string; score: number }[];
  entities: unknown[];
  command?: string;
  vague?: boolean;
  outOfScope?: boolean;
}

type AnyActivity = Partial<Activity>;

export const traceOf = (replies: AnyActivity[]): RecognitionTrace | undefined =>
  replies.find((a) => a.type === 'trace' && a.name === 'TopicRecognizer')?.value as
    RecognitionTrace | undefined;

export const messagesOf = (replies: AnyActivity[]): AnyActivity[] =>
  replies.filter((a) => a.type === 'message');

export const cardsOf = (replies: AnyActivity[]): Record<string, unknown>[] =>
  messagesOf(replies).flatMap((a) =>
    (a.attachments ?? [])
      .filter((x: Attachment) => x.contentType === ADAPTIVE_CARD)
      .map((x: Attachment) => x.content as Record<string, unknown>),
  );

/** Every string in a value, for text checks on cards. */
export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsOf(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stringsOf(v, out));
  return out;
}

/** The Action.Submit payloads of a card, with their button titles. */
export function submitActionsOf(card: unknown): { title: string; data: Record<string, unknown> }[] {
  const found: { title: string; data: Record<string, unknown> }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Submit')
      found.push({ title: String(record.title), data: record.data as Record<string, unknown> });
    Object.values(record).forEach(walk);
  };
  walk(card);
  return found;
}

export function openUrlsOf(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.OpenUrl') found.push(String(record.url));
    Object.values(record).forEach(walk);
  };
  walk(card);
  return found;
}
