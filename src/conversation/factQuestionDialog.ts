import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { foldText } from '../domain/language/textAnalyzer';
import { type AssistantServices, turnLanguage } from './assistantServices';
import { FeedbackDialog, respondToFeedback, type FeedbackOptions } from './feedbackDialog';
import type { FollowUp } from './followUp';
import type { AwaitsReply } from './awaitedReplies';
import type { CommandContext } from '../domain/language/commandRecognizer';
import { sendRecognitionTrace } from './recognitionTrace';
import { toActivity } from './replyActivity';
import { readSubmission } from './submissions';
import { answerTopic, sendWhatTheFactMeans } from './topicAnswer';

/**
 * After an answer whose advice depends on a fact the message did not give ("when did the last
 * sync run?"): asks for it with the likely answers as buttons, and accepts free text ("26 uur
 * geleden"). What the fact means follows, with the steps to start with. Feedback on the first answer is
 * still taken; any other message ends this dialog as unrelated.
 */
export class FactQuestionDialog extends Dialog<FeedbackOptions> implements AwaitsReply {
  static readonly id = 'factQuestionDialog';

  awaitedReplies(): CommandContext {
    return { expected: ['dontKnow', 'yes', 'no'] };
  }

  constructor(private readonly services: AssistantServices) {
    super(FactQuestionDialog.id);
  }

  override async beginDialog(dc: DialogContext, options?: FeedbackOptions): Promise<DialogTurnResult> {
    const language = turnLanguage(dc.context);
    const topic = options && this.services.kb.topic(options.topicId, language);
    const diagnosis = options && this.services.kb.definition(options.topicId)?.diagnosis;
    if (!options || !topic || !diagnosis) return dc.endDialog({ kind: 'done' } satisfies FollowUp);
    Object.assign((dc.activeDialog as { state: object }).state, options);
    await dc.context.sendActivity(
      toActivity(
        this.services.replies.factQuestion(topic, diagnosis.options, language),
        dc.context.activity.channelId,
      ),
    );
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog?.state as FeedbackOptions;
    const { context } = dc;
    const language = turnLanguage(context);
    const { kb, entities, commands } = this.services;
    const diagnosis = kb.definition(state.topicId)?.diagnosis;
    const topic = kb.topic(state.topicId, language);
    const submission = readSubmission(context.activity.value);
    if (!diagnosis || !topic) return dc.endDialog({ kind: 'unrelated' } satisfies FollowUp);

    if (submission?.action === 'feedback') {
      return respondToFeedback(
        dc,
        this.services,
        submission.helpful,
        submission.topicId,
        state.alternatives,
        submission.topicId === state.topicId ? state.origin : undefined,
        submission.topicId === state.topicId ? state.notHelped : undefined,
      );
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
    const found = text ? entities.extract(text, language) : [];
    const option = diagnosis.options.find((o) => o.key === key);
    const value = option?.value;
    const factFromText = answerTopic(this.services, state.topicId, language, found);
    const understood =
      option !== undefined || (factFromText !== undefined && !factFromText.missingFact && found.length > 0);
    const match = !understood && text ? commands.match(text, language, this.awaitedReplies()) : undefined;
    if (match?.command === 'dontKnow') {
      // The general guidance already sent stands: say so, and wait for the verdict on it.
      await sendRecognitionTrace(context, {
        language,
        decision: 'command',
        command: 'dontKnow',
        topics: [{ id: state.topicId, score: 1 }],
        entities: [],
      });
      await context.sendActivity(
        toActivity(this.services.replies.say(language, 'fact.dontKnow'), context.activity.channelId),
      );
      return dc.replaceDialog(FeedbackDialog.id, state);
    }
    if (!understood) {
      if (match?.command === 'yes' || match?.command === 'no') {
        return respondToFeedback(
          dc,
          this.services,
          match.command === 'yes',
          state.topicId,
          state.alternatives,
          state.origin,
          state.notHelped,
        );
      }
      return dc.endDialog({ kind: 'unrelated' } satisfies FollowUp);
    }
    await sendRecognitionTrace(context, {
      language,
      decision: 'command',
      command: 'fact',
      topics: [{ id: state.topicId, score: 1 }],
      entities: found,
    });
    if (option && value === undefined) {
      // "I don't know": the general guidance already sent stands; wait for the verdict on it.
      await context.sendActivity(
        toActivity(this.services.replies.say(language, 'fact.dontKnow'), context.activity.channelId),
      );
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
    return dc.replaceDialog(FeedbackDialog.id, state);
  }
}
