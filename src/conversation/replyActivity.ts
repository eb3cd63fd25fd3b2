import { randomUUID } from 'node:crypto';
import { ActionTypes, ActivityTypes, CardFactory, type Activity, type TurnContext } from 'botbuilder';
import { markQuestion } from '../domain/cards/questionCards';
import type { Reply } from '../domain/replies/replyBuilder';

/** Channels that show no Adaptive Cards: they get the card's plain-text version instead. */
const TEXT_ONLY_CHANNELS = new Set(['sms', 'email', 'telegram', 'kik', 'groupme']);

/** Turns a channel-free Reply into a Bot Framework message activity. */
export function toActivity(reply: Reply, channelId: string): Partial<Activity> {
  if (!reply.card) return { type: ActivityTypes.Message, text: reply.text };
  if (TEXT_ONLY_CHANNELS.has(channelId)) {
    return { type: ActivityTypes.Message, text: reply.plainText ?? reply.text };
  }
  return {
    type: ActivityTypes.Message,
    text: reply.text,
    summary: reply.plainText,
    ...(reply.suggestions?.length
      ? {
          suggestedActions: {
            to: [],
            actions: reply.suggestions.map((s) => ({ type: ActionTypes.ImBack, title: s, value: s })),
          },
        }
      : {}),
    // A question card's answer buttons carry its id, so an old card clicked again is recognized.
    attachments: [CardFactory.adaptiveCard(reply.asks ? markQuestion(reply.card, randomUUID()) : reply.card)],
  };
}

/** Sends a reply in the form this turn's channel shows. */
export async function sendReply(context: TurnContext, reply: Reply): Promise<void> {
  await context.sendActivity(toActivity(reply, context.activity.channelId));
}
