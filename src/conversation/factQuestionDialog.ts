import type { DialogContext, DialogTurnResult } from './dialogLibrary';
import { foldText } from '../domain/language/textAnalyzer';
import type { AssistantServices } from './assistantServices';
import { factsInMessage } from './userTime';
import { FeedbackDialog, respondToFeedback, type FeedbackOptions } from './feedbackDialog';
import type { CommandContext } from '../domain/language/commandRecognizer';
import { readSubmission } from '../domain/cards/submissions';
import { WaitingDialog } from './waitingDialog';
import { answerTopic, sendWhatTheFactMeans } from './topicAnswer';
import { clauses } from '../domain/language/clauses';
import type { Entity } from '../domain/entities/entityExtractor';
import { withoutFacts } from '../domain/entities/facts';

/** The most words besides the fact after "not sure" for the fact still to count ("maybe 2 days ago"). */
const UNSURE_REMARK_MAX_WORDS = 4;

/**
 * After an answer whose advice depends on a fact the message did not give ("when did the last
 * sync run?"): asks for it with the likely answers as buttons, and accepts free text ("26 uur
 * geleden"). What the fact means follows, with the steps to start with. Feedback on the first answer is
 * still taken; any other message ends this dialog as unrelated.
 */
export class FactQuestionDialog extends WaitingDialog<FeedbackOptions, FeedbackOptions> {
  static readonly id = 'factQuestionDialog';

  awaitedReplies(): CommandContext {
    return { expected: ['dontKnow', 'yes', 'no'] };
  }

  constructor(services: AssistantServices) {
    super(FactQuestionDialog.id, services);
  }

  override async beginDialog(dc: DialogContext, options?: FeedbackOptions): Promise<DialogTurnResult> {
    const language = this.language(dc);
    const topic = options && this.services.kb.topic(options.topicId, language);
    const diagnosis = options && this.services.kb.definition(options.topicId)?.diagnosis;
    if (!options || !topic || !diagnosis) return this.done(dc);
    await this.reply(dc, this.services.replies.factQuestion(topic, diagnosis.options, language));
    return this.wait(dc, options);
  }

  /**
   * "ni idea, el correo llegó hoy pero no sé desde cuándo está así": not knowing said first, and the
   * time in what follows is of something else told around it. "not sure, maybe 2 days ago" is the fact,
   * said roughly: besides the fact, a few words at most.
   */
  private notKnowingFirst(dc: DialogContext, text: string, facts: readonly Entity[]): boolean {
    const [first, ...rest] = clauses(text);
    if (!first || rest.length === 0) return false;
    if (this.services.commands.matchPhrase(first, this.reading(dc))?.command !== 'dontKnow') return false;
    return (
      withoutFacts(rest.join(' '), facts)
        .split(/\s+/)
        .filter((word) => /\p{L}/u.test(word)).length > UNSURE_REMARK_MAX_WORDS
    );
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = this.state(dc);
    const { context } = dc;
    const language = this.language(dc);
    const { kb, entities, commands } = this.services;
    const diagnosis = kb.definition(state.topicId)?.diagnosis;
    const topic = kb.topic(state.topicId, language);
    const submission = readSubmission(context.activity.value);
    if (!diagnosis || !topic) return this.unrelated(dc);

    if (submission?.action === 'feedback') {
      // This question's alternatives stand, whichever answer's button it was.
      const same = submission.topicId === state.topicId;
      return respondToFeedback(dc, this.services, {
        helpful: submission.helpful,
        topicId: submission.topicId,
        alternatives: state.alternatives,
        ...(same ? { origin: state.origin, notHelped: state.notHelped } : {}),
      });
    }
    const text = context.activity.text?.trim() ?? '';
    let key =
      submission?.action === 'fact' && submission.topicId === state.topicId ? submission.key : undefined;
    if (!key && text) {
      const folded = foldText(text);
      key = diagnosis.options.find(
        (o) => foldText(topic.diagnosisText?.options[o.key] ?? '') === folded,
      )?.key;
    }
    const found = text ? factsInMessage(entities, dc.context, text) : [];
    const option = diagnosis.options.find((o) => o.key === key);
    const value = option?.value;
    const factFromText = answerTopic(this.services, state.topicId, language, found);
    const understood =
      option !== undefined ||
      (factFromText !== undefined &&
        !factFromText.missingFact &&
        found.length > 0 &&
        !this.notKnowingFirst(dc, text, found));
    const match =
      !understood && text ? commands.match(text, this.reading(dc), this.awaitedReplies()) : undefined;
    if (match?.command === 'dontKnow') {
      // The general guidance already sent stands: say so, and wait for the verdict on it.
      await this.trace(dc, 'dontKnow', { topicId: state.topicId });
      await this.reply(dc, this.services.replies.say(language, 'fact.dontKnow'));
      return dc.replaceDialog(FeedbackDialog.id, state);
    }
    if (!understood) {
      if (match?.command === 'yes' || match?.command === 'no') {
        return respondToFeedback(dc, this.services, { helpful: match.command === 'yes', ...state });
      }
      return this.unrelated(dc);
    }
    await this.trace(dc, 'fact', { topicId: state.topicId, entities: found });
    if (option && value === undefined) {
      // "I don't know": the general guidance already sent stands; wait for the verdict on it.
      await this.reply(dc, this.services.replies.say(language, 'fact.dontKnow'));
      return dc.replaceDialog(FeedbackDialog.id, state);
    }
    const answer = option
      ? answerTopic(this.services, state.topicId, language, [], {
          kind: diagnosis.fact,
          value: value as number,
          // A button's label is what the user said, as precisely as they said it.
          said: topic.diagnosisText?.options[option.key] ?? option.key,
          exact: true,
        })
      : factFromText;
    if (answer) await sendWhatTheFactMeans(this.services, context, topic, answer);
    return dc.replaceDialog(FeedbackDialog.id, { ...state, factGiven: true } satisfies FeedbackOptions);
  }
}
