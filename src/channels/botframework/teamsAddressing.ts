import { TurnContext, type Activity } from 'botbuilder';

const SHARED_CONVERSATIONS = new Set(['channel', 'groupChat']);

/**
 * Whether a message is for the bot. In Teams channels and group chats people talk to each other:
 * the bot answers only when it is @mentioned (or a button on one of its cards is clicked).
 * Everywhere else, every message is for the bot.
 */
export function isAddressedToBot(activity: Partial<Activity>): boolean {
  if (activity.channelId !== 'msteams') return true;
  if (!SHARED_CONVERSATIONS.has(activity.conversation?.conversationType ?? '')) return true;
  if (activity.value !== undefined && activity.value !== null) return true;
  return TurnContext.getMentions(activity).some((m) => m.mentioned?.id === activity.recipient?.id);
}

/** The message without the bot's "<at>Bot</at>" mention, which is not part of the question. */
export function stripBotMention(activity: Partial<Activity>): void {
  // A card button's message may carry a mention but no text: the SDK would call replace on undefined.
  if (typeof activity.text !== 'string') return;
  TurnContext.removeRecipientMention(activity);
  activity.text = activity.text.trim();
}
