import { Dialog, type DialogContext, type DialogTurnResult } from './dialogLibrary';
import { type AssistantServices, turnLanguage } from './assistantServices';
import { factsInMessage } from './userTime';
import { ClarifyDialog, type ClarifyOptions } from './clarifyDialog';
import { EscalationDialog, type EscalationOptions } from './escalationDialog';
import type { CommandContext } from '../domain/language/commandRecognizer';
import type { FollowUp } from './followUp';
import { traceCommand } from './recognitionTrace';
import { sendReply } from './replyActivity';
import { readSubmission } from '../domain/cards/submissions';
import { WaitingDialog } from './waitingDialog';
import { answerTopic, sendWhatTheFactMeans } from './topicAnswer';
import { factFrom } from '../domain/diagnosis/diagnosis';
import type { Entity } from '../domain/entities/entityExtractor';
import { isCountOrTime, withoutFacts } from '../domain/entities/facts';
import { clauses } from '../domain/language/clauses';
import { foldText, PhraseRewriter } from '../domain/language/textAnalyzer';
import { readStepAnswer, type StepVerdict } from '../domain/language/stepAnswers';

/** A number stated after an answer is taken as a fact from this on ("20 objects"), not "tried 3 times". */
const MIN_NOTED_COUNT = 10;
/**
 * "No, it was 5 days ago" corrects the fact; "no, ya abrieron caso con Microsoft hace dos días y nada"
 * is a no with a story around its date. Besides the reply and the facts, a correction says at most this
 * many words.
 */
const CORRECTION_MAX_WORDS = 3;
/** Words besides the facts that are only a remark on them, never a question of their own. */
const REMARK_MAX_WORDS = 2;
/** A report longer than this is more often a new story than what came of the steps. */
const REPORT_MAX_WORDS = 30;

export interface FeedbackOptions {
  topicId: string;
  /** Topics to offer when the answer did not help, most likely first. */
  alternatives: string[];
  /** How the answer was reached, kept with the verdict for the knowledge authors. */
  origin?: AnswerOrigin;
  /** Topics of this same problem whose answers already did not help (picked as alternatives since). */
  notHelped?: string[];
  /** The answer took a fact the user gave: "back" asks for it again, to be given anew. */
  factGiven?: boolean;
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
export class FeedbackDialog extends WaitingDialog<FeedbackOptions, FeedbackOptions> {
  static readonly id = 'feedbackDialog';

  awaitedReplies(state: Partial<FeedbackOptions>): CommandContext {
    return { expected: state.factGiven ? ['yes', 'no', 'dontKnow', 'back'] : ['yes', 'no', 'dontKnow'] };
  }

  /**
   * @param factQuestionId the dialog that asks for the fact an answer depends on ("back" asks again);
   *   given by the parent, as that dialog hands over to this one.
   */
  /** One per language the bot reads, so bounded by the knowledge's languages. */
  private readonly fillerRemovers = new Map<string, PhraseRewriter>();

  constructor(
    services: AssistantServices,
    private readonly factQuestionId: string,
  ) {
    super(FeedbackDialog.id, services);
  }

  override async beginDialog(dc: DialogContext, options?: FeedbackOptions): Promise<DialogTurnResult> {
    if (!options) return this.done(dc);
    return this.wait(dc, options);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = this.state(dc);
    const { context } = dc;
    const submission = readSubmission(context.activity.value);
    if (submission?.action === 'feedback') {
      return respondToFeedback(dc, this.services, {
        helpful: submission.helpful,
        ...verdictOn(submission.topicId, state, this.services.kb.related(submission.topicId)),
      });
    }
    const text = context.activity.text?.trim();
    const match =
      text && !submission
        ? this.services.commands.match(text, this.reading(dc), this.awaitedReplies(state))
        : undefined;
    if (match?.command === 'back' && state.factGiven) {
      // "Wait, wrong number": the question that took the fact is asked again.
      await this.trace(dc, 'back', { topicId: state.topicId });
      const { factGiven: _given, ...before } = state;
      return dc.replaceDialog(this.factQuestionId, before);
    }
    if (match?.command === 'dontKnow') {
      // "Not sure" to "did this solve it?": the question still stands; say how to answer it later.
      await this.trace(dc, 'dontKnow', { topicId: state.topicId });
      await this.reply(dc, this.services.replies.say(this.language(dc), 'feedback.notSure'));
      return this.wait(dc, state);
    }
    const verdict = match?.command === 'yes' || match?.command === 'no' ? match : undefined;
    // "No, it was 5 days ago" corrects the fact: what the fact means comes before a verdict read only
    // from the opening words, unless what comes with the verdict is more than a correction. A report
    // that it works now ("ran a cycle and today's date shows") is no fact, whatever time it names.
    const outcome =
      !verdict && text && !submission
        ? readStepAnswer(text, this.services.kb.pack(this.reading(dc)).profile.outcomeWords, REPORT_MAX_WORDS)
        : undefined;
    const factFirst =
      (!verdict && outcome !== 'yes') ||
      (verdict?.source === 'leading' && this.isCorrection(dc, verdict.rest ?? ''));
    if (text && !submission && factFirst && (await this.tookLateFact(dc, state, text)))
      return Dialog.EndOfTurn;
    if (verdict)
      return respondToFeedback(dc, this.services, { helpful: verdict.command === 'yes', ...state });
    if (text && !submission) return this.readReport(dc, state, text, outcome);
    return this.unrelated(dc);
  }

  /**
   * What the user found or did, told instead of yes or no ("removed the alias from the shared mailbox
   * and she's there now"): its outcome words are the verdict. A new question goes on as one, and so
   * does the problem said again ("password sync still not working"): it is answered again.
   */
  private readReport(
    dc: DialogContext,
    state: FeedbackOptions,
    text: string,
    outcome: StepVerdict | undefined,
  ): Promise<DialogTurnResult> {
    // Most messages here are new questions: only one that tells an outcome is read as a topic twice.
    if (!outcome) return this.unrelated(dc);
    const recognition = this.services.recognizer.recognize(text, this.reading(dc));
    const otherTopic = recognition.decision === 'answer' && recognition.options[0] !== state.topicId;
    const restated = recognition.decision === 'answer' && !otherTopic;
    if (otherTopic || (outcome === 'no' && restated)) return this.unrelated(dc);
    return respondToFeedback(dc, this.services, { helpful: outcome === 'yes', ...state });
  }

  /**
   * "Yesterday around 3pm", sent after the answer: the fact this topic's advice depends on, given late
   * or corrected, gets what it means. A fact it does not depend on ("eergisteren aangemaakt denk ik"
   * after "a new user is missing") is noted, and the question stays open. Neither when the message is
   * a question of its own.
   */
  private async tookLateFact(dc: DialogContext, state: FeedbackOptions, text: string): Promise<boolean> {
    const { context } = dc;
    const language = this.language(dc);
    const { kb, entities } = this.services;
    const found = factsInMessage(entities, context, text);
    const diagnosis = kb.definition(state.topicId)?.diagnosis;
    const topic = kb.topic(state.topicId, language);
    if (diagnosis && topic && factFrom(diagnosis, found)) {
      const facts = found.filter(isCountOrTime);
      if (!this.saysNothingElse(dc, state, text, facts, false)) return false;
      const answer = answerTopic(this.services, state.topicId, language, found);
      if (!answer || answer.missingFact) return false;
      await this.trace(dc, 'fact', { topicId: state.topicId, entities: found });
      await sendWhatTheFactMeans(this.services, context, topic, answer);
      state.factGiven = true;
      return true;
    }
    // Only what reads as a fact of the problem ("20 objects", not "tried 3 times"), and only when
    // nothing besides it reads as another topic at all: a new problem stated with a time is no remark.
    const noted = found.filter(
      (e) =>
        isCountOrTime(e) &&
        !(e.type === 'number' && e.value < MIN_NOTED_COUNT && !this.countsWhatIsAffected(dc, text, e)),
    );
    if (noted.length === 0 || !this.saysNothingElse(dc, state, text, noted, true)) return false;
    await this.trace(dc, 'fact', { topicId: state.topicId, entities: found });
    await this.reply(dc, this.services.replies.say(language, 'fact.noted'));
    return true;
  }

  /** What is said with a verdict is a correction of the fact: a fact and a few words at most. */
  private isCorrection(dc: DialogContext, rest: string): boolean {
    const facts = factsInMessage(this.services.entities, dc.context, rest);
    if (facts.length === 0) return false;
    const words = this.besidesTheFacts(dc, rest, facts).split(/\s+/);
    return words.filter((word) => /\p{L}{2}/u.test(word)).length <= CORRECTION_MAX_WORDS;
  }

  /**
   * A small count said with what it counts or a limit next to it: "maar 1 account", "un seul", or
   * a word further back ("just the one").
   */
  private countsWhatIsAffected(dc: DialogContext, text: string, count: Entity): boolean {
    const { countWords } = this.services.kb.pack(this.reading(dc)).profile.entities;
    const at = text.indexOf(count.text);
    if (at < 0 || countWords.length === 0) return false;
    const before = text.slice(0, at).trim().split(/\s+/).slice(-2);
    const after =
      text
        .slice(at + count.text.length)
        .trim()
        .split(/\s+/)[0] ?? '';
    const words = new Set(countWords.map(foldText));
    return [...before, after].some((word) => words.has(foldText(word)));
  }

  /**
   * `part` without the facts' own text and the words that only hedge or qualify them ("around",
   * "since", "only", "accounts").
   */
  private besidesTheFacts(dc: DialogContext, part: string, facts: readonly Entity[]): string {
    return this.fillerRemover(this.reading(dc))
      .rewrite(foldText(withoutFacts(part, facts)))
      .split(/\s+/)
      .filter(Boolean)
      .join(' ');
  }

  /**
   * Removes a language's words that only hedge or qualify a fact, whole phrases longest first ("aux
   * alentours de" and "so gegen" as "vers" is); built once per language.
   */
  private fillerRemover(language: string): PhraseRewriter {
    let remover = this.fillerRemovers.get(language);
    if (!remover) {
      const { approximateWords, sinceWords, countWords } = this.services.kb.pack(language).profile.entities;
      remover = new PhraseRewriter(
        Object.fromEntries([...approximateWords, ...sinceWords, ...countWords].map((w) => [w, ''])),
      );
      this.fillerRemovers.set(language, remover);
    }
    return remover;
  }

  /**
   * Whether the message is the facts and at most a remark: what it says besides them tells a new
   * question ("since yesterday two users share a UPN") from the fact alone ("sorry, it was 5 days
   * ago"). `strict`: a clarify card's worth of another topic is a question too.
   */
  private saysNothingElse(
    dc: DialogContext,
    state: FeedbackOptions,
    text: string,
    facts: readonly Entity[],
    strict: boolean,
  ): boolean {
    const { recognizer } = this.services;
    const besidesTheFacts = (part: string): string => this.besidesTheFacts(dc, part, facts);
    const hasWords = (part: string): boolean => /\p{L}{2}/u.test(part);
    // Nothing but the fact ("yesterday around 3pm"), or the fact first and a remark after it ("hier vers
    // 18h, depuis le pc du bureau"), leaves no question to read.
    if (!hasWords(besidesTheFacts(clauses(text)[0] ?? text))) return true;
    const rest = besidesTheFacts(text);
    // Too few words to ask anything ("alleen hij, 1 account", "een stuk of 12"): a remark on the fact.
    if (rest.split(/\s+/).filter(hasWords).length <= REMARK_MAX_WORDS) return true;
    const recognition = recognizer.recognize(rest, this.reading(dc));
    if (recognition.outOfScope) return false;
    const otherTopic = recognition.options.some((id) => id !== state.topicId);
    if (recognition.decision === 'answer') return !otherTopic;
    return !(strict && recognition.decision === 'clarify' && otherTopic);
  }
}

/**
 * A verdict on `topicId` given while `state` waited: the waiting answer's own alternatives, origin and
 * earlier misses when it is that answer; an older card's button only knows its topic's related ones.
 */
export function verdictOn(
  topicId: string,
  state: FeedbackOptions,
  related: string[],
): Omit<FeedbackVerdict, 'helpful'> {
  return topicId === state.topicId ? state : { topicId, alternatives: related };
}

/** The user's word on an answer and what the conversation knows about that answer. */
export interface FeedbackVerdict extends FeedbackOptions {
  helpful: boolean;
}

/**
 * Records the user's verdict on an answer and replies: thanks; or, the first time an answer did not
 * help, the next likely topics with the helpdesk beside them; or, when the second answer did not help
 * either or nothing else fits, the helpdesk handover itself.
 */
export async function respondToFeedback(
  dc: DialogContext,
  services: AssistantServices,
  verdict: FeedbackVerdict,
): Promise<DialogTurnResult> {
  const {
    helpful,
    topicId,
    alternatives,
    origin = { decision: 'card', scores: [] },
    notHelped = [],
  } = verdict;
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
  await traceCommand(context, 'feedback', { topicId, helpful });
  if (helpful) {
    await sendReply(context, services.replies.say(language, 'feedback.thanks'));
    return dc.endDialog({ kind: 'done' } satisfies FollowUp);
  }
  const tried = [...new Set([...notHelped, topicId])];
  const remaining = alternatives.filter((id) => !tried.includes(id)).slice(0, 3);
  if (tried.length >= 2 || remaining.length === 0) {
    const sorry = services.replies.say(
      language,
      tried.length >= 2 ? 'feedback.sorryAgain' : 'feedback.sorry',
    );
    await sendReply(context, sorry);
    // The problem is named after the first topic tried: what the user asked about to begin with.
    const escalation: EscalationOptions = { topicId: tried[0] as string };
    return dc.activeDialog
      ? dc.replaceDialog(EscalationDialog.id, escalation)
      : dc.beginDialog(EscalationDialog.id, escalation);
  }
  const options: ClarifyOptions = {
    options: remaining,
    kind: 'alternatives',
    topicId,
    notHelped: tried,
  };
  return dc.activeDialog
    ? dc.replaceDialog(ClarifyDialog.id, options)
    : dc.beginDialog(ClarifyDialog.id, options);
}
