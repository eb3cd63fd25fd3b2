import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { HistoryEntry } from '../domain/helpdesk/ticket';

const MAX_ENTRIES = 30;
const MAX_TEXT = 500;

/** Appends a line to the conversation's history kept for a helpdesk handover. */
export async function remember(
  history: StatePropertyAccessor<HistoryEntry[]>,
  context: TurnContext,
  from: HistoryEntry['from'],
  text: string,
  topicId?: string,
): Promise<void> {
  const trimmed = text.trim();
  if (!trimmed) return;
  const entries = await history.get(context, []);
  entries.push({
    from,
    text: trimmed.slice(0, MAX_TEXT),
    at: new Date().toISOString(),
    ...(topicId ? { topicId } : {}),
  });
  if (entries.length > MAX_ENTRIES) entries.splice(0, entries.length - MAX_ENTRIES);
  await history.set(context, entries);
}
