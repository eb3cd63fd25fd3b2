import type { DialogContext, DialogTurnResult } from './dialogLibrary';
import { foldText } from '../domain/language/textAnalyzer';
import type { AssistantServices } from './assistantServices';
import { FeedbackDialog, type FeedbackOptions } from './feedbackDialog';
import type { CommandContext } from '../domain/language/commandRecognizer';
import { readSubmission, type FlowMove } from '../domain/cards/submissions';
import { WaitingDialog } from './waitingDialog';
import { readStepAnswer } from '../domain/language/stepAnswers';

type Answer = Extract<FlowMove, 'yes' | 'no' | 'unknown'>;
const MOVES: readonly FlowMove[] = ['yes', 'no', 'unknown', 'back', 'restart', 'leave'];

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
export class GuidedFlowDialog extends WaitingDialog<GuidedFlowOptions, FlowState> {
  static readonly id = 'guidedFlowDialog';

  constructor(services: AssistantServices) {
    super(GuidedFlowDialog.id, services);
  }

  override async beginDialog(dc: DialogContext, options?: GuidedFlowOptions): Promise<DialogTurnResult> {
    const flow = options && this.services.kb.flow(options.flowId);
    if (!flow) return this.done(dc);
    this.wait(dc, { flowId: flow.id, current: flow.start, checked: [] });
    await this.trace(dc, 'flow', { topicId: flow.topic });
    return this.ask(dc, this.state(dc));
  }

  awaitedReplies(): CommandContext {
    return { expected: ['yes', 'no', 'dontKnow', 'back'] };
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = this.state(dc);
    const flow = this.services.kb.flow(state.flowId);
    if (!flow) return this.unrelated(dc);
    const move = this.readMove(dc, state);
    if (!move) return this.unrelated(dc);
    await this.trace(dc, `flow:${move}`, { topicId: flow.topic });
    const language = this.language(dc);

    switch (move) {
      case 'leave':
        await this.reply(dc, this.services.replies.say(language, 'flow.left'));
        return this.done(dc);
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
    if (!next) return this.unrelated(dc);
    state.checked.push({ step: state.current, answer: move });
    if (next in flow.steps) {
      state.current = next;
      return this.ask(dc, state);
    }
    const reply = this.services.replies.flowOutcome(flow.id, next, state.checked, flow.topic, language);
    await this.reply(dc, reply);
    return dc.replaceDialog(FeedbackDialog.id, {
      topicId: flow.topic,
      alternatives: this.services.kb.related(flow.topic),
    } satisfies FeedbackOptions);
  }

  private async ask(dc: DialogContext, state: FlowState): Promise<DialogTurnResult> {
    const reply = this.services.replies.flowStep(
      state.flowId,
      state.current,
      state.checked.length + 1,
      this.language(dc),
    );
    await this.reply(dc, reply);
    return this.wait(dc, state);
  }

  /** A button of the current question, or yes / no / don't know / back typed in any language. */
  private readMove(dc: DialogContext, state: FlowState): FlowMove | undefined {
    const submission = readSubmission(dc.context.activity.value);
    if (submission?.action === 'flowAnswer' && submission.flowId === state.flowId) {
      // A button of an earlier question is stale: only moves that do not depend on the question count.
      const stale = submission.step !== state.current;
      return stale && !['restart', 'leave'].includes(submission.answer) ? undefined : submission.answer;
    }
    if (submission) return undefined;
    const text = dc.context.activity.text?.trim();
    if (!text) return undefined;
    const language = this.language(dc);
    const match = this.services.commands.match(text, this.reading(dc), this.awaitedReplies());
    if (match?.command === 'yes') return 'yes';
    if (match?.command === 'no') return 'no';
    if (match?.command === 'dontKnow') return 'unknown';
    if (match?.command === 'back') return 'back';
    const l = this.services.replies.localizer(language);
    const folded = foldText(text);
    const labelled = MOVES.find((m) => foldText(l.t(`flow.${m}`)) === folded);
    if (labelled) return labelled;
    // "ok checked, ADSync service is stopped": what was seen answers the question.
    const step = this.services.kb.flowText(state.flowId, this.reading(dc))?.steps[state.current];
    return readStepAnswer(text, step?.answers);
  }
}
