import {
  ActivityTypes,
  CardFactory,
  type Middleware,
  type StatePropertyAccessor,
  type TurnContext,
} from 'botbuilder';
import type { CardJson } from '../../domain/cards/cardTemplates';
import { answerLabel, questionIdOf, questionIdOfCard } from '../../domain/cards/questionCards';
import { turnLanguage } from '../../conversation/assistantServices';
import { toActivity } from '../../conversation/replyActivity';
import type { ReplyBuilder } from '../../domain/replies/replyBuilder';

/** The question cards of a conversation still waiting for their answer, and the ids already answered. */
export interface QuestionCardsState {
  /** `card` and `text` only on channels that can replace the card: elsewhere they would never be read. */
  open: { id: string; card?: CardJson; text?: string }[];
  answered: string[];
}

/** Cards kept to be updated once answered (the latest; an older one is then just left as it is). */
const MAX_OPEN = 8;
const MAX_ANSWERED = 100;
/** Channels that let a bot replace a message it sent (updateActivity). */
const UPDATABLE_CHANNELS = new Set(['msteams']);
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * Cards that follow the conversation. A question card's first answer is taken; where the channel
 * lets the bot replace its messages (Teams), the card is then replaced by the same card with the
 * answer and no answer buttons. A second click on an answered card (a channel that cannot update
 * it, or a click already on its way) gets a polite "already answered" and changes nothing.
 */
export class AnsweredQuestions {
  constructor(
    private readonly state: StatePropertyAccessor<QuestionCardsState>,
    private readonly replies: ReplyBuilder,
  ) {}

  /**
   * Register before ConsistentTurns: its send handler must see the question cards when the dialogs
   * send them, before ConsistentTurns holds the replies until the state is saved.
   */
  readonly recorder: Middleware = {
    onTurn: async (context, next) => {
      context.onSendActivities(async (ctx, activities, send) => {
        for (const activity of activities) {
          for (const attachment of activity.attachments ?? []) {
            if (attachment.contentType !== ADAPTIVE_CARD) continue;
            const id = questionIdOfCard(attachment.content);
            if (!id) continue;
            // A card is kept in the conversation state only where it can be replaced: several cards
            // of 10 to 60 KB each, read, hashed and written back on every turn, cost time and memory.
            await this.remember(
              ctx,
              UPDATABLE_CHANNELS.has(ctx.activity.channelId)
                ? {
                    id,
                    card: attachment.content as CardJson,
                    ...(activity.text ? { text: activity.text } : {}),
                  }
                : { id },
            );
          }
        }
        return send();
      });
      await next();
    },
  };

  /** Register after the language middleware: answers an old click in the user's language. */
  readonly guard: Middleware = {
    onTurn: async (context, next) => {
      const id =
        context.activity.type === ActivityTypes.Message ? questionIdOf(context.activity.value) : undefined;
      if (!id) return next();
      const state = await this.read(context);
      const language = turnLanguage(context);
      if (state.answered.includes(id)) {
        await context.sendActivity(
          toActivity(this.replies.say(language, 'question.alreadyAnswered'), context.activity.channelId),
        );
        return;
      }
      const open = state.open.find((q) => q.id === id);
      await this.state.set(context, {
        open: state.open.filter((q) => q.id !== id),
        answered: [...state.answered, id].slice(-MAX_ANSWERED),
      });
      const { channelId, replyToId, value } = context.activity;
      if (open?.card && replyToId && UPDATABLE_CHANNELS.has(channelId)) {
        const answer = answerLabel(open.card, value) ?? '';
        await context.updateActivity({
          id: replyToId,
          type: ActivityTypes.Message,
          ...(open.text ? { text: open.text } : {}),
          attachments: [CardFactory.adaptiveCard(this.replies.answered(open.card, answer, language))],
        });
      }
      await next();
    },
  };

  private async read(context: TurnContext): Promise<QuestionCardsState> {
    const state = await this.state.get(context, { open: [], answered: [] });
    return { open: state.open ?? [], answered: state.answered ?? [] };
  }

  private async remember(context: TurnContext, question: QuestionCardsState['open'][number]): Promise<void> {
    const state = await this.read(context);
    await this.state.set(context, {
      open: [...state.open.filter((q) => q.id !== question.id), question].slice(-MAX_OPEN),
      answered: state.answered,
    });
  }
}
