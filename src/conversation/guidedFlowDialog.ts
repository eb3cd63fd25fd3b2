import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { foldText } from '../domain/language/textAnalyzer';
import { type AssistantServices, turnLanguage } from './assistantServices';
import { FeedbackDialog, type FeedbackOptions } from './feedbackDialog';
import type { FollowUp } from './followUp';
import type { AwaitsReply } from './awaitedReplies';
import type { CommandContext } from '../domain/language/commandRecognizer';
import { sendRecognitionTrace } from './recognitionTrace';
import { toActivity } from './replyActivity';
import { readSubmission } from '../domain/cards/submissions';

type Answer = 'yes' | 'no' | 'unknown';
type Move = Answer | 'back' | 'restart' | 'leave';

interface FlowState {
  flowId: string;
  current: string;
  checked: { step: string; answer: Answer }[];
}

export interface GuidedFlowOptions {
  flowId: string;
}

/**
 * Walks a guided check of knowledge/flows/: one question at a time, each answer (button or typed
 * yes / no / don't know) leading to the next question or to an outcome with the likely cause, the
 * fix, and a summary of what was checked for the helpdesk. The user can go back a step, start
 * again or stop at any point; a message that is none of these leaves the check and is handled as
 * a new message.
 */
export class GuidedFlowDialog extends Dialog<GuidedFlowOptions> implements AwaitsReply {
  static readonly id = 'guidedFlowDialog';

  constructor(private readonly services: AssistantServices) {
    super(GuidedFlowDialog.id);
  }

  override async beginDialog(dc: DialogContext, options?: GuidedFlowOptions): Promise<DialogTurnResult> {
    const flow = options && this.services.kb.flow(options.flowId);
    if (!flow) return dc.endDialog({ kind: 'done' } satisfies FollowUp);
    const state: FlowState = { flowId: flow.id, current: flow.start, checked: [] };
    Object.assign((dc.activeDialog as { state: object }).state, state);
    await this.trace(dc, flow.topic, 'flow');
    return this.ask(dc, state);
  }

  awaitedReplies(): CommandContext {
    return { expected: ['yes', 'no', 'dontKnow', 'back'] };
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog?.state as FlowState;
    const flow = this.services.kb.flow(state.flowId);
    if (!flow) return dc.endDialog({ kind: 'unrelated' } satisfies FollowUp);
    const move = this.readMove(dc, state);
    if (!move) return dc.endDialog({ kind: 'unrelated' } satisfies FollowUp);
    await this.trace(dc, flow.topic, `flow:${move}`);
    const language = turnLanguage(dc.context);

    switch (move) {
      case 'leave':
        await dc.context.sendActivity(
          toActivity(this.services.replies.say(language, 'flow.left'), dc.context.activity.channelId),
        );
        return dc.endDialog({ kind: 'done' } satisfies FollowUp);
      case 'restart':
        state.current = flow.start;
        state.checked = [];
        return this.ask(dc, state);
      case 'back': {
        const previous = state.checked.pop();
        if (previous) state.current = previous.step;
        return this.ask(dc, state);
      }
    }
    const next = flow.steps[state.current]?.[move];
    if (!next) return dc.endDialog({ kind: 'unrelated' } satisfies FollowUp);
    state.checked.push({ step: state.current, answer: move });
    if (next in flow.steps) {
      state.current = next;
      return this.ask(dc, state);
    }
    const reply = this.services.replies.flowOutcome(flow.id, next, state.checked, flow.topic, language);
    await dc.context.sendActivity(toActivity(reply, dc.context.activity.channelId));
    const related = this.services.kb.definition(flow.topic)?.related ?? [];
    return dc.replaceDialog(FeedbackDialog.id, {
      topicId: flow.topic,
      alternatives: related,
    } satisfies FeedbackOptions);
  }

  private async ask(dc: DialogContext, state: FlowState): Promise<DialogTurnResult> {
    const reply = this.services.replies.flowStep(
      state.flowId,
      state.current,
      state.checked.length + 1,
      turnLanguage(dc.context),
    );
    await dc.context.sendActivity(toActivity(reply, dc.context.activity.channelId));
    return Dialog.EndOfTurn;
  }

  /** A button of the current question, or yes / no / don't know / back typed in any language. */
  private readMove(dc: DialogContext, state: FlowState): Move | undefined {
    const submission = readSubmission(dc.context.activity.value);
    if (submission?.action === 'flowAnswer' && submission.flowId === state.flowId) {
      // A button of an earlier question is stale: only moves that do not depend on the question count.
      const stale = submission.step !== state.current;
      return stale && !['restart', 'leave'].includes(submission.answer) ? undefined : submission.answer;
    }
    if (submission) return undefined;
    const text = dc.context.activity.text?.trim();
    if (!text) return undefined;
    const language = turnLanguage(dc.context);
    const match = this.services.commands.match(text, language, this.awaitedReplies());
    if (match?.command === 'yes') return 'yes';
    if (match?.command === 'no') return 'no';
    if (match?.command === 'dontKnow') return 'unknown';
    if (match?.command === 'back') return 'back';
    const l = this.services.replies.localizer(language);
    const folded = foldText(text);
    return (['yes', 'no', 'unknown', 'back', 'restart', 'leave'] as const).find(
      (m) => foldText(l.t(`flow.${m}`)) === folded,
    );
  }

  private async trace(dc: DialogContext, topicId: string, command: string): Promise<void> {
    await sendRecognitionTrace(dc.context, {
      language: turnLanguage(dc.context),
      decision: 'command',
      command,
      topics: [{ id: topicId, score: 1 }],
      entities: [],
    });
  }
}
