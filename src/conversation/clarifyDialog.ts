import type { DialogContext, DialogTurnResult } from './dialogLibrary';
import { foldText } from '../domain/language/textAnalyzer';
import type { AssistantServices } from './assistantServices';
import type { CommandContext } from '../domain/language/commandRecognizer';
import { readSubmission } from '../domain/cards/submissions';
import { WaitingDialog } from './waitingDialog';

export interface ClarifyOptions {
  options: string[];
  /** clarify: "which of these do you mean?"; alternatives: after an answer that did not help. */
  kind: 'clarify' | 'alternatives' | 'symptoms';
  /** alternatives: the topic whose answer did not help (the helpdesk button carries it). */
  topicId?: string;
  /** alternatives: every topic of this problem whose answer did not help, carried to the pick. */
  notHelped?: string[];
}

interface ClarifyState {
  options: string[];
  notHelped: string[];
}

/**
 * Offers a few topics as buttons and waits for the pick: a button, the option's number or its
 * label typed. Anything else ends the dialog as unrelated, so a new question is never lost.
 */
export class ClarifyDialog extends WaitingDialog<ClarifyOptions, ClarifyState> {
  static readonly id = 'clarifyDialog';

  /**
   * "No", "none of them", "geen van beide": none of the options fits. "No idea", "not sure": the user
   * cannot tell either, which gets the same offer (describe it otherwise, or the helpdesk).
   */
  awaitedReplies(): CommandContext {
    return { expected: ['no', 'dontKnow'] };
  }

  constructor(services: AssistantServices) {
    super(ClarifyDialog.id, services);
  }

  override async beginDialog(dc: DialogContext, options?: ClarifyOptions): Promise<DialogTurnResult> {
    const language = this.language(dc);
    const ids = options?.options ?? [];
    const reply =
      options?.kind === 'alternatives'
        ? this.services.replies.alternatives(ids, language, options.topicId)
        : this.services.replies.clarify(
            ids,
            language,
            options?.kind === 'symptoms' ? 'clarify.symptoms' : 'clarify.question',
          );
    await this.reply(dc, reply);
    // The alternatives card always offers the helpdesk: its button comes back as a new message.
    if (ids.length === 0) return this.done(dc);
    return this.wait(dc, { options: ids, notHelped: options?.notHelped ?? [] });
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = this.state(dc);
    const offered = (state?.options ?? []).slice();
    const { context } = dc;
    const language = this.language(dc);
    const submission = readSubmission(context.activity.value);
    const typed = context.activity.text?.trim();
    const said =
      !submission && typed
        ? this.services.commands.match(typed, this.reading(dc), this.awaitedReplies())?.command
        : undefined;
    const saidNone = said === 'no' || said === 'dontKnow' ? said : undefined;
    if (submission?.action === 'none' || saidNone) {
      await this.trace(dc, saidNone ?? 'none');
      await this.reply(dc, this.services.replies.rephrase(language));
      return this.done(dc);
    }
    // A button of this card: the pick keeps what this card knew (which answers did not help).
    const pickedButton =
      submission?.action === 'topic' && offered.includes(submission.topicId) ? submission.topicId : undefined;
    if (submission && !pickedButton) return this.unrelated(dc);

    const text = foldText(context.activity.text ?? '');
    const number = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    const byNumber = Number.isInteger(number) ? offered[number - 1] : undefined;
    const byLabel = offered.find((id) => {
      const topic = this.services.kb.topic(id, language);
      return topic !== undefined && (foldText(topic.menuLabel) === text || foldText(topic.title) === text);
    });
    const picked = pickedButton ?? byNumber ?? byLabel;
    if (!picked) return this.unrelated(dc);
    return this.pick(dc, picked, state?.notHelped ?? []);
  }
}
