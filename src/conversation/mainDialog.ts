import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import {
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogState,
  type DialogTurnResult,
  type WaterfallStepContext,
} from './dialogLibrary';
import type { TopicRecognition } from '../domain/recognition/topicRecognizer';
import {
  type AssistantServices,
  pastedPassage,
  readingLanguage,
  setTurnLanguage,
  turnLanguage,
} from './assistantServices';
import { factsInMessage } from './userTime';
import { ClarifyDialog } from './clarifyDialog';
import { EscalationDialog } from './escalationDialog';
import { remember } from './history';
import { FactQuestionDialog } from './factQuestionDialog';
import { GuidedFlowDialog } from './guidedFlowDialog';
import { FeedbackDialog, respondToFeedback, type AnswerOrigin, type FeedbackOptions } from './feedbackDialog';
import type { FollowUp } from './followUp';
import { InterruptibleDialog } from './interruptibleDialog';
import { sendRecognitionTrace, traceCommand } from './recognitionTrace';
import { sendReply } from './replyActivity';
import { readSubmission } from '../domain/cards/submissions';
import { isForReportReader, SyncErrorReportDialog } from './syncErrorReportDialog';
import { answerWithTenantCheck, requestFreshTenantCheck } from './tenantCheck';
import type { Entity } from '../domain/entities/entityExtractor';
import { namedSyncError } from '../domain/entities/syncErrors';
import { factTopicsFor } from '../domain/diagnosis/diagnosis';
import { PHRASING_SCORE } from '../domain/recognition/tuning';

const ROUTE = 'route';
const MAX_ALTERNATIVES = 3;
/** Longer than any question or pasted alert e-mail; a sync error report is read before this check. */
const MAX_QUESTION_LENGTH = 6_000;

/** What an answer is about and how it was reached. */
interface AnswerRequest {
  topicId: string;
  /** Offered when the answer does not help, most likely first. */
  alternatives: string[];
  /** Facts read from the message, for the diagnosis. */
  entities?: Entity[];
  /** A button or a number picked the topic: the answer sends the trace itself, as that command. */
  tracedAsCommand?: boolean;
  origin?: AnswerOrigin;
  /** Topics of this problem whose answers already did not help. */
  notHelped?: string[];
}

interface RouteOptions {
  /** Answer this topic straight away (picked on a clarify card or typed as its number). */
  topicId?: string;
  /** Picked as an alternative: the topics of this problem whose answers did not help. */
  notHelped?: string[];
}

/**
 * The conversation's root: routes each message (commands, card buttons, questions) to an answer,
 * a clarifying question or a fallback, then waits for the reply that the answer asked for.
 */
export class MainDialog extends InterruptibleDialog {
  static readonly id = 'mainDialog';

  constructor(services: AssistantServices) {
    super(MainDialog.id, services);
    this.addDialog(new ClarifyDialog(services));
    this.addDialog(new FeedbackDialog(services, FactQuestionDialog.id));
    this.addDialog(new FactQuestionDialog(services));
    this.addDialog(new GuidedFlowDialog(services));
    this.addDialog(new EscalationDialog(services));
    this.addDialog(new SyncErrorReportDialog(services));
    this.addDialog(new WaterfallDialog(ROUTE, [this.routeStep.bind(this), this.followUpStep.bind(this)]));
    this.initialDialogId = ROUTE;
  }

  /** Runs one turn: continues the waiting dialog, or starts routing this message. */
  async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>): Promise<void> {
    const dialogs = new DialogSet(dialogState);
    dialogs.add(this);
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  /**
   * A dialog begun by an interruption (a person asked for mid-answer) has no route step under it to
   * take a message it leaves as unrelated: the message is routed afresh here instead of going unread.
   */
  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    const result = await super.onContinueDialog(inner);
    const unrelated = (result.result as FollowUp | undefined)?.kind === 'unrelated';
    return result.status === DialogTurnStatus.complete && unrelated
      ? inner.beginDialog(ROUTE, {} satisfies RouteOptions)
      : result;
  }

  private async routeStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const language = turnLanguage(context);
    const picked = step.options?.topicId;
    if (picked)
      return this.answer(step, {
        topicId: picked,
        alternatives: this.services.kb.related(picked),
        tracedAsCommand: true,
        ...(step.options?.notHelped ? { notHelped: step.options.notHelped } : {}),
      });

    // A pasted or attached sync error report goes to the report reader, before any recognition.
    if (isForReportReader(this.services, context.activity)) return step.beginDialog(SyncErrorReportDialog.id);

    const typed = context.activity.text?.trim();
    // A long paste that is no report: say what helps instead of reading pages for a topic.
    if (typed && typed.length > MAX_QUESTION_LENGTH) {
      await sendRecognitionTrace(context, { language, decision: 'fallback', topics: [], entities: [] });
      await sendReply(context, this.services.replies.say(language, 'message.tooLong'));
      return step.endDialog();
    }
    if (typed && this.services.commands.match(typed, readingLanguage(context))?.command === 'escalate') {
      return step.beginDialog(EscalationDialog.id);
    }
    const interrupted = await this.interrupt(step);
    if (interrupted)
      return interrupted.status === DialogTurnStatus.cancelled ? interrupted : step.endDialog();

    // A reply with no question waiting for it ("no", "geen idee"): say so instead of guessing a topic.
    const reply =
      typed && !context.activity.value
        ? this.services.commands.match(typed, readingLanguage(context))
        : undefined;
    if (reply && ['yes', 'no', 'dontKnow', 'back'].includes(reply.command)) {
      // "graag doorzetten naar 2e lijn, alle stappen gedaan en het werkt nog steeds niet": with nothing
      // open, the no in it answers nothing; the person asked for in another clause is what it asks.
      if (typed && this.services.commands.saidInAClause(typed, readingLanguage(context), 'escalate'))
        return step.beginDialog(EscalationDialog.id);
      // "perfecto, eso es todo. gracias": thanks said with more, whatever else the classifier hears.
      if (typed && this.services.commands.clauseCommand(typed, readingLanguage(context), 'thanks')) {
        await traceCommand(context, 'thanks');
        await sendReply(context, this.services.replies.say(language, 'thanks.reply'));
        return step.endDialog();
      }
      await traceCommand(context, reply.command);
      await sendReply(context, this.services.replies.say(language, 'conversation.nothingOpen'));
      return step.endDialog();
    }

    const submission = readSubmission(context.activity.value);
    switch (submission?.action) {
      case 'topic':
        if (this.services.kb.topic(submission.topicId, language)) {
          if (submission.checkTenant) requestFreshTenantCheck(context);
          return this.answer(step, {
            topicId: submission.topicId,
            alternatives: this.services.kb.related(submission.topicId),
            tracedAsCommand: true,
          });
        }
        break;
      case 'ask':
        return this.handleQuestion(step, submission.text);
      case 'feedback':
        return respondToFeedback(step, this.services, {
          helpful: submission.helpful,
          topicId: submission.topicId,
          alternatives: this.services.kb.related(submission.topicId),
        });
      case 'menu':
        await traceCommand(context, 'menu');
        await sendReply(context, this.services.replies.menu(language));
        return step.endDialog();
      case 'language':
        if (this.services.kb.supports(submission.language)) {
          await this.services.languagePreference.set(context, {
            language: submission.language,
            explicit: true,
          });
          setTurnLanguage(context, submission.language);
          await traceCommand(context, 'switchLanguage', { language: submission.language });
          await sendReply(context, this.services.replies.say(submission.language, 'language.switched'));
          return step.endDialog();
        }
        break;
      case 'escalate':
        return step.beginDialog(EscalationDialog.id, {
          ...(submission.topicId ? { topicId: submission.topicId } : {}),
        });
      case 'flow':
        if (this.services.kb.flow(submission.flowId))
          return step.beginDialog(GuidedFlowDialog.id, { flowId: submission.flowId });
        break;
      case 'none':
        await traceCommand(context, 'none');
        await sendReply(context, this.services.replies.rephrase(language));
        return step.endDialog();
    }
    return this.handleQuestion(step, context.activity.text ?? '');
  }

  private async followUpStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as FollowUp | undefined;
    if (result?.kind === 'topic')
      return step.replaceDialog(ROUTE, {
        topicId: result.topicId,
        ...(result.notHelped ? { notHelped: result.notHelped } : {}),
      } satisfies RouteOptions);
    if (result?.kind === 'unrelated') return step.replaceDialog(ROUTE, {} satisfies RouteOptions);
    return step.endDialog();
  }

  /**
   * "Kreeg deze mail: «Directory synchronization hasn't occurred…» wat nu?": the user's words are read
   * in their language, the pasted alert in its own; the alert answers when the message alone does not.
   */
  private readAlsoPastedPassage(
    context: TurnContext,
    recognition: TopicRecognition,
    factTopics: readonly string[],
  ): TopicRecognition {
    const passage = pastedPassage(context);
    if (!passage || recognition.decision === 'answer') return recognition;
    const ofPassage = this.services.recognizer.recognize(passage.text, passage.language, factTopics);
    return ofPassage.decision === 'answer' ? ofPassage : recognition;
  }

  private async handleQuestion(step: WaterfallStepContext, text: string): Promise<DialogTurnResult> {
    const language = turnLanguage(step.context);
    const reading = readingLanguage(step.context);
    const entities = factsInMessage(this.services.entities, step.context, text);
    const { kb } = this.services;
    const factTopics = factTopicsFor(kb.definitions, entities, kb.recognition.factMinCount);
    const recognition = this.withNamedError(
      this.readAlsoPastedPassage(
        step.context,
        this.services.recognizer.recognize(text, reading, factTopics),
        factTopics,
      ),
      entities,
    );
    await sendRecognitionTrace(step.context, {
      language,
      decision: recognition.decision,
      topics: recognition.topics,
      entities,
      ...(recognition.vague ? { vague: true } : {}),
      ...(recognition.outOfScope ? { outOfScope: true } : {}),
    });
    this.services.logger.debug('recognized', {
      decision: recognition.decision,
      topics: recognition.topics.slice(0, 3),
      intents: recognition.intents,
      language,
    });
    switch (recognition.decision) {
      case 'answer': {
        const topicId = recognition.options[0] as string;
        return this.answer(step, {
          topicId,
          alternatives: this.alternativesFor(topicId, recognition),
          entities,
          origin: { decision: 'answer', scores: recognition.topics.slice(0, 3) },
        });
      }
      case 'clarify':
        return step.beginDialog(ClarifyDialog.id, {
          options: recognition.options,
          kind: recognition.vague ? 'symptoms' : 'clarify',
        });
      case 'fallback': {
        const { activity } = step.context;
        await this.services.feedback.gap(
          { text, language, channel: activity.channelId },
          activity.from?.name ? [activity.from.name] : [],
        );
        const reply = recognition.outOfScope
          ? this.services.replies.outOfScope(language)
          : this.services.replies.fallback(language, this.closestTopics(recognition));
        await remember(this.services.history, step.context, 'bot', reply.text);
        await sendReply(step.context, reply);
        return step.endDialog();
      }
    }
  }

  /** The topics a message not understood scored some way towards, best first, for the fallback menu. */
  private closestTopics(recognition: TopicRecognition): string[] {
    const { recognition: settings } = this.services.kb;
    const floor = settings.clarifyThreshold * PHRASING_SCORE.fallbackSuggestionFromShareOfClarify;
    return recognition.topics
      .filter((t) => t.score >= floor)
      .slice(0, settings.maxClarifyOptions)
      .map((t) => t.id);
  }

  private async answer(step: WaterfallStepContext, request: AnswerRequest): Promise<DialogTurnResult> {
    const {
      topicId,
      alternatives,
      entities = [],
      origin = { decision: 'command', scores: [] },
      notHelped = [],
    } = request;
    const language = turnLanguage(step.context);
    const answer = await answerWithTenantCheck(this.services, step.context, topicId, language, entities);
    if (!answer) return step.endDialog();
    if (request.tracedAsCommand) await traceCommand(step.context, 'topic', { topicId, entities });
    await remember(this.services.history, step.context, 'bot', answer.reply.text, topicId);
    await sendReply(step.context, answer.reply);
    return step.beginDialog(answer.missingFact ? FactQuestionDialog.id : FeedbackDialog.id, {
      topicId,
      alternatives,
      origin,
      ...(notHelped.length ? { notHelped } : {}),
    } satisfies FeedbackOptions);
  }

  /** A message that names a sync error type is about that error's topic, whatever else it says. */
  private withNamedError(recognition: TopicRecognition, entities: Entity[]): TopicRecognition {
    const error = namedSyncError(this.services.kb, entities);
    if (!error) return recognition;
    const others = recognition.topics.filter((t) => t.id !== error.topicId);
    return {
      ...recognition,
      decision: 'answer',
      options: [error.topicId],
      topics: [{ id: error.topicId, score: 1 }, ...others],
    };
  }

  /** The runners-up of this recognition, then the topic's related topics. */
  private alternativesFor(topicId: string, recognition: TopicRecognition): string[] {
    const floor =
      this.services.kb.recognition.clarifyThreshold * PHRASING_SCORE.alternativeFromShareOfClarify;
    const runnersUp = recognition.topics.filter((t) => t.id !== topicId && t.score >= floor).map((t) => t.id);
    return [...new Set([...runnersUp, ...this.services.kb.related(topicId)])].slice(0, MAX_ALTERNATIVES);
  }
}
