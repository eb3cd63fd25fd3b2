import type { ConversationState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { turnLanguage } from '../../conversation/assistantServices';
import { toActivity } from '../../conversation/replyActivity';
import type { Logger } from '../../infrastructure/logger';
import type { ReplyBuilder } from '../../domain/replies/replyBuilder';
import { isStateConflict } from '../../infrastructure/storage/optimisticState';

/**
 * The adapter's onTurnError: logs the failure (never the activity's text or any secret), apologizes
 * in the user's language, and resets only this conversation's dialog state so the next message
 * starts clean. A turn lost to concurrent updates of the same conversation is said so instead.
 */
export function createTurnErrorHandler(
  conversationState: ConversationState,
  dialogState: StatePropertyAccessor<DialogState>,
  replies: ReplyBuilder,
  logger: Logger,
): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    if (isStateConflict(error)) {
      // Other turns of this conversation kept changing its state: what they saved is right, so
      // keep it, and ask for this message again rather than pretend it was handled.
      logger.warn('turn dropped after repeated state conflicts', { channel: context.activity.channelId });
      await context
        .sendActivity(
          toActivity(replies.say(turnLanguage(context), 'error.conflict'), context.activity.channelId),
        )
        .catch(() => undefined);
      return;
    }
    logger.error('turn failed', {
      error: error.message,
      stack: error.stack,
      channel: context.activity.channelId,
      activityType: context.activity.type,
    });
    try {
      await context.sendActivity(
        toActivity(replies.say(turnLanguage(context), 'error.apology'), context.activity.channelId),
      );
    } catch (sendError) {
      logger.warn('could not send the apology', { error: (sendError as Error).message });
    }
    try {
      await dialogState.delete(context);
      await conversationState.saveChanges(context, true);
    } catch (stateError) {
      logger.warn('could not reset the dialog state', { error: (stateError as Error).message });
    }
  };
}
