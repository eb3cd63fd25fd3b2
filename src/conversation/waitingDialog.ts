import { Dialog, type DialogContext, type DialogTurnResult } from './dialogLibrary';
import type { CommandContext } from '../domain/language/commandRecognizer';
import type { Reply } from '../domain/replies/replyBuilder';
import { type AssistantServices, readingLanguage, turnLanguage } from './assistantServices';
import type { AwaitsReply } from './awaitedReplies';
import type { FollowUp } from './followUp';
import { traceCommand } from './recognitionTrace';
import { sendReply } from './replyActivity';

/**
 * A dialog that asks one thing and waits for the reply, keeping what it needs in typed state.
 *
 * Why not botbuilder's prompts: a prompt keeps asking until it gets a valid answer, so whatever else
 * the user types is swallowed as a bad answer. These dialogs end instead when a message is no reply
 * to them ({ kind: 'unrelated' }), and the main dialog handles it as a new message, so a question
 * asked in the middle of a check is never lost. A reply also comes in several forms at once (a
 * button of this card, a number, a label, yes or no in any language), which no one prompt reads.
 */
export abstract class WaitingDialog<Options extends object, State extends object>
  extends Dialog<Options>
  implements AwaitsReply
{
  protected constructor(
    id: string,
    protected readonly services: AssistantServices,
  ) {
    super(id);
  }

  /** The replies this dialog expects, read as such rather than as commands; see awaitedReplies.ts. */
  abstract awaitedReplies(state: Partial<State>): CommandContext;

  /** What this dialog keeps between turns: what wait() stored, changed in place by the turn. */
  protected state(dc: DialogContext): State {
    return dc.activeDialog?.state as State;
  }

  /** Keeps the state and ends the turn: the next message comes to continueDialog. */
  protected wait(dc: DialogContext, state: State): DialogTurnResult {
    if (dc.activeDialog) Object.assign(dc.activeDialog.state, state);
    return Dialog.EndOfTurn;
  }

  protected language(dc: DialogContext): string {
    return turnLanguage(dc.context);
  }

  /** The language the message is read in (see readingLanguage). */
  protected reading(dc: DialogContext): string {
    return readingLanguage(dc.context);
  }

  protected async reply(dc: DialogContext, reply: Reply): Promise<void> {
    await sendReply(dc.context, reply);
  }

  /** The recognition trace of a reply to this dialog: the command it was taken as, and its topic. */
  protected async trace(
    dc: DialogContext,
    command: string,
    about: { topicId?: string; entities?: unknown[] } = {},
  ): Promise<void> {
    await traceCommand(dc.context, command, about);
  }

  /** Handled: nothing more to do. */
  protected done(dc: DialogContext): Promise<DialogTurnResult> {
    return dc.endDialog({ kind: 'done' } satisfies FollowUp);
  }

  /** Not a reply to this dialog: the main dialog handles the message as a new one. */
  protected unrelated(dc: DialogContext): Promise<DialogTurnResult> {
    return dc.endDialog({ kind: 'unrelated' } satisfies FollowUp);
  }

  /** The user picked a topic: the main dialog answers it, knowing which answers did not help. */
  protected pick(dc: DialogContext, topicId: string, notHelped: string[] = []): Promise<DialogTurnResult> {
    return dc.endDialog({
      kind: 'topic',
      topicId,
      ...(notHelped.length ? { notHelped } : {}),
    } satisfies FollowUp);
  }
}
