import {
  ComponentDialog,
  DialogTurnStatus,
  type DialogContext,
  type DialogTurnResult,
} from './dialogLibrary';
import type { TurnContext } from 'botbuilder';
import { type AssistantServices, readingLanguage, setTurnLanguage, turnLanguage } from './assistantServices';
import { factsInMessage } from './userTime';
import { isCountOrTime } from '../domain/entities/facts';
import type { CommandName } from '../domain/knowledge/schema';
import { repliesAwaited } from './awaitedReplies';
import { EscalationDialog } from './escalationDialog';
import { traceCommand } from './recognitionTrace';
import { sendReply } from './replyActivity';
import type { StringKey } from '../domain/language/stringKeys';

/** Commands that leave the waiting question open; the ones that end it (cancel, escalate…) always win. */
const LIGHT_COMMANDS: readonly CommandName[] = ['help', 'greeting', 'thanks', 'menu'];

/**
 * A component dialog that lets the user interrupt at any point: help, menu, greeting, thanks and a
 * language switch are answered and the waiting question stays open; cancel and start over end
 * whatever was going on.
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  protected constructor(
    id: string,
    protected readonly services: AssistantServices,
  ) {
    super(id);
  }

  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(inner)) ?? super.onContinueDialog(inner);
  }

  /** Handles a command message; undefined when the message is not one (yes/no belong to the dialog asking). */
  protected async interrupt(dc: DialogContext): Promise<DialogTurnResult | undefined> {
    const { context } = dc;
    const text = context.activity.text?.trim();
    if (!text) return undefined;
    const waiting = repliesAwaited(dc);
    const match = this.services.commands.match(text, readingLanguage(context), waiting);
    // Yes, no, don't know and back belong to the dialog asking, as does any reply it expects.
    if (!match || ['yes', 'no', 'dontKnow', 'back'].includes(match.command)) return undefined;
    if (waiting.expected?.includes(match.command)) return undefined;
    // "heute morgen um 8" at a fact question is the fact, not a greeting: a question that waits reads
    // a message stating a time or an amount before the classifier's guess at a light command does.
    if (
      waiting.expected &&
      match.source === 'classifier' &&
      LIGHT_COMMANDS.includes(match.command) &&
      this.statesAFact(context, text)
    )
      return undefined;

    const { replies } = this.services;
    const open = dc.activeDialog !== undefined;
    const keepWaiting = async (key: StringKey): Promise<DialogTurnResult> => {
      await sendReply(context, replies.say(turnLanguage(context), key));
      return { status: open ? DialogTurnStatus.waiting : DialogTurnStatus.complete };
    };
    if (match.command === 'switchLanguage') {
      await this.services.languagePreference.set(context, { language: match.language, explicit: true });
      setTurnLanguage(context, match.language);
    }
    await traceCommand(context, match.command);
    const language = turnLanguage(context);
    switch (match.command) {
      case 'help':
        return keepWaiting('help.text');
      case 'greeting':
        return keepWaiting('greeting.reply');
      case 'thanks':
        return keepWaiting('thanks.reply');
      case 'switchLanguage':
        return keepWaiting('language.switched');
      case 'menu':
        await sendReply(context, replies.menu(language));
        return { status: open ? DialogTurnStatus.waiting : DialogTurnStatus.complete };
      case 'cancel':
        await sendReply(context, replies.say(language, 'cancel.done'));
        return dc.cancelAllDialogs();
      case 'restart':
        await sendReply(context, replies.say(language, 'restart.done'));
        return dc.cancelAllDialogs();
      case 'escalate':
        await dc.cancelAllDialogs();
        return dc.beginDialog(EscalationDialog.id);
    }
  }

  private statesAFact(context: TurnContext, text: string): boolean {
    const found = factsInMessage(this.services.entities, context, text);
    return found.some(isCountOrTime);
  }
}
