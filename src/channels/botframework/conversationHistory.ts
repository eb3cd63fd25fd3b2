import type { Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { HistoryEntry } from '../../domain/helpdesk/ticket';
import { remember } from '../../conversation/history';

/**
 * Keeps what the user typed in the conversation's state, so an escalation can hand the helpdesk
 * the whole story. The dialogs add what the bot answered (see remember()).
 */
export class ConversationHistory implements Middleware {
  constructor(private readonly history: StatePropertyAccessor<HistoryEntry[]>) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const text = context.activity.type === 'message' ? context.activity.text : undefined;
    if (text) await remember(this.history, context, 'user', text);
    await next();
  }
}
