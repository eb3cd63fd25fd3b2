import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { type AssistantServices, turnLanguage } from './assistantServices';
import { ClarifyDialog, type ClarifyOptions } from './clarifyDialog';
import type { FollowUp } from './followUp';
import { sendRecognitionTrace } from './recognitionTrace';
import { toActivity } from './replyActivity';
import { readSubmission } from './submissions';

export interface FeedbackOptions {
  topicId: string;
  /** Topics to offer when the answer did not help, most likely first. */
  alternatives: string[];
  /** How the answer was reached, kept with the verdict for the knowledge authors. */
  origin?: AnswerOrigin;
}

/** The recognizer's decision and best scores behind an answer; a button pick is decision "command". */
export interface AnswerOrigin {
  decision: string;
  scores: { id: string; score: number }[];
}

/**
 * Waits for the answer card's "Did this solve it?": a button or a typed yes/no. "No" offers the
 * next likely topics and the helpdesk. Any other message ends this dialog unanswered, to be
 * handled as a new message.
 */
export class FeedbackDialog extends Dialog<FeedbackOptions> {
  static readonly id = 'feedbackDialog';

  constructor(private readonly services: AssistantServices) {
    super(FeedbackDialog.id);
  }

  override async beginDialog(dc: DialogContext, options?: FeedbackOptions): Promise<DialogTurnResult> {
    if (!options) return dc.endDialog({ kind: 'done' } satisfies FollowUp);
    Object.assign((dc.activeDialog as { state: object }).state, options);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog?.state as FeedbackOptions;
    const { context } = dc;
    const submission = readSubmission(context.activity.value);
    if (submission?.action === 'feedback') {
      const alternatives =
        submission.topicId === state.topicId ? state.alternatives : this.related(submission.topicId);
      return respondToFeedback(
        dc,
        this.services,
        submission.helpful,
        submission.topicId,
        alternatives,
        submission.topicId === state.topicId ? state.origin : undefined,
      );
    }
    const text = context.activity.text?.trim();
    const match = text && !submission ? this.services.commands.match(text, turnLanguage(context)) : undefined;
    if (match?.command === 'yes' || match?.command === 'no') {
      return respondToFeedback(
        dc,
        this.services,
        match.command === 'yes',
        state.topicId,
        state.alternatives,
        state.origin,
      );
    }
    return dc.endDialog({ kind: 'unrelated' } satisfies FollowUp);
  }

  private related(topicId: string): string[] {
    return this.services.kb.definitions.find((d) => d.id === topicId)?.related ?? [];
  }
}

/** Records the user's verdict on an answer and replies: thanks, or alternatives and the helpdesk. */
export async function respondToFeedback(
  dc: DialogContext,
  services: AssistantServices,
  helpful: boolean,
  topicId: string,
  alternatives: string[],
  origin: AnswerOrigin = { decision: 'card', scores: [] },
): Promise<DialogTurnResult> {
  const { context } = dc;
  const language = turnLanguage(context);
  services.logger.info('feedback', { topicId, helpful, language, channel: context.activity.channelId });
  await services.feedback.verdict({
    topicId,
    language,
    helpful,
    decision: origin.decision,
    scores: origin.scores,
    channel: context.activity.channelId,
  });
  await sendRecognitionTrace(context, {
    language,
    decision: 'command',
    command: 'feedback',
    topics: [{ id: topicId, score: 1 }],
    entities: [],
  });
  if (helpful) {
    await context.sendActivity(
      toActivity(services.replies.say(language, 'feedback.thanks'), context.activity.channelId),
    );
    return dc.endDialog({ kind: 'done' } satisfies FollowUp);
  }
  const options: ClarifyOptions = {
    options: alternatives.filter((id) => id !== topicId).slice(0, 3),
    kind: 'alternatives',
    topicId,
  };
  return dc.activeDialog
    ? dc.replaceDialog(ClarifyDialog.id, options)
    : dc.beginDialog(ClarifyDialog.id, options);
}
