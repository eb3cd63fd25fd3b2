import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { foldText } from '../domain/language/textAnalyzer';
import { type AssistantServices, turnLanguage } from './assistantServices';
import type { FollowUp } from './followUp';
import type { AwaitsReply } from './awaitedReplies';
import type { CommandContext } from '../domain/language/commandRecognizer';
import { sendRecognitionTrace } from './recognitionTrace';
import { toActivity } from './replyActivity';
import { readSubmission } from '../domain/cards/submissions';

export interface ClarifyOptions {
  options: string[];
  /** clarify: "which of these do you mean?"; alternatives: after an answer that did not help. */
  kind: 'clarify' | 'alternatives' | 'symptoms';
  /** alternatives: the topic whose answer did not help (the helpdesk button carries it). */
  topicId?: string;
  /** alternatives: every topic of this problem whose answer did not help, carried to the pick. */
  notHelped?: string[];
}

/**
 * Offers a few topics as buttons and waits for the pick: a button, the option's number or its
 * label typed. Anything else ends the dialog as unrelated, so a new question is never lost.
 */
export class ClarifyDialog extends Dialog<ClarifyOptions> implements AwaitsReply {
  static readonly id = 'clarifyDialog';

  /** "No", "none of them", "geen van beide": none of the options fits. */
  awaitedReplies(): CommandContext {
    return { expected: ['no'] };
  }

  constructor(private readonly services: AssistantServices) {
    super(ClarifyDialog.id);
  }

  override async beginDialog(dc: DialogContext, options?: ClarifyOptions): Promise<DialogTurnResult> {
    const language = turnLanguage(dc.context);
    const ids = options?.options ?? [];
    const reply =
      options?.kind === 'alternatives'
        ? this.services.replies.alternatives(ids, language, options.topicId)
        : this.services.replies.clarify(
            ids,
            language,
            options?.kind === 'symptoms' ? 'clarify.symptoms' : 'clarify.question',
          );
    await dc.context.sendActivity(toActivity(reply, dc.context.activity.channelId));
    // The alternatives card always offers the helpdesk: its button comes back as a new message.
    if (ids.length === 0) return dc.endDialog({ kind: 'done' } satisfies FollowUp);
    Object.assign((dc.activeDialog as { state: object }).state, {
      options: ids,
      notHelped: options?.notHelped ?? [],
    });
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog?.state as { options?: string[]; notHelped?: string[] } | undefined;
    const offered = (state?.options ?? []).slice();
    const { context } = dc;
    const language = turnLanguage(context);
    const submission = readSubmission(context.activity.value);
    const typed = context.activity.text?.trim();
    const saidNone =
      !submission &&
      typed &&
      this.services.commands.match(typed, language, this.awaitedReplies())?.command === 'no';
    if (submission?.action === 'none' || saidNone) {
      await sendRecognitionTrace(context, {
        language,
        decision: 'command',
        command: saidNone ? 'no' : 'none',
        topics: [],
        entities: [],
      });
      await context.sendActivity(
        toActivity(this.services.replies.rephrase(language), context.activity.channelId),
      );
      return dc.endDialog({ kind: 'done' } satisfies FollowUp);
    }
    // A button of this card: the pick keeps what this card knew (which answers did not help).
    const pickedButton =
      submission?.action === 'topic' && offered.includes(submission.topicId) ? submission.topicId : undefined;
    if (submission && !pickedButton) return dc.endDialog({ kind: 'unrelated' } satisfies FollowUp);

    const text = foldText(context.activity.text ?? '');
    const number = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    const byNumber = Number.isInteger(number) ? offered[number - 1] : undefined;
    const byLabel = offered.find((id) => {
      const topic = this.services.kb.topic(id, language);
      return topic !== undefined && (foldText(topic.menuLabel) === text || foldText(topic.title) === text);
    });
    const picked = pickedButton ?? byNumber ?? byLabel;
    if (!picked) return dc.endDialog({ kind: 'unrelated' } satisfies FollowUp);
    const notHelped = state?.notHelped ?? [];
    return dc.endDialog({
      kind: 'topic',
      topicId: picked,
      ...(notHelped.length ? { notHelped } : {}),
    } satisfies FollowUp);
  }
}
