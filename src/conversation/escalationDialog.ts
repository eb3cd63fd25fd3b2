import { ActivityTypes, EventFactory, type Activity } from 'botbuilder';
import type { DialogContext, DialogTurnResult } from './dialogLibrary';
import { newTicketReference, type HistoryEntry, type Ticket } from '../domain/helpdesk/ticket';
import type { AssistantServices } from './assistantServices';
import type { CommandContext } from '../domain/language/commandRecognizer';
import { readSubmission } from '../domain/cards/submissions';
import { WaitingDialog } from './waitingDialog';
import { factsInMessage } from './userTime';
import { isCountOrTime } from '../domain/entities/facts';
import type { CommandName } from '../domain/knowledge/schema';

/** Replies to "anything to add?" that add nothing: the request goes as it is. */
const NOTHING_TO_ADD: readonly CommandName[] = ['no', 'thanks', 'yes', 'dontKnow'];

/** What a message typed at "anything to add?" is. */
type DetailsReading =
  | { kind: 'details' }
  | { kind: 'nothingToAdd'; command: CommandName }
  | { kind: 'cancel' }
  | { kind: 'newQuestion' };

export interface EscalationOptions {
  /** The topic the user was helped with, if any: it names the problem for the helpdesk. */
  topicId?: string;
}

interface EscalationState {
  stage: 'details' | 'confirm';
  problem: string;
  details: string;
  topicId?: string;
}

/**
 * "Talk to a person": shows what will be sent (the problem, prefilled from the conversation), asks
 * whether to add anything, asks to confirm, then hands over: the Bot Framework handoff event with
 * the conversation's transcript, the helpdesk webhook, and the ticket store. The user gets a
 * reference and an honest word on whether the helpdesk has it yet.
 */
export class EscalationDialog extends WaitingDialog<EscalationOptions, EscalationState> {
  static readonly id = 'escalationDialog';

  /** What the user adds for the helpdesk is free text: only exact phrases are commands there. */
  awaitedReplies(state: Partial<EscalationState>): CommandContext {
    return state.stage === 'confirm' ? { expected: ['yes', 'no'] } : { exactOnly: true };
  }

  constructor(services: AssistantServices) {
    super(EscalationDialog.id, services);
  }

  override async beginDialog(dc: DialogContext, options?: EscalationOptions): Promise<DialogTurnResult> {
    const language = this.language(dc);
    const history = await this.services.history.get(dc.context, []);
    const topicId = options?.topicId ?? [...history].reverse().find((e) => e.topicId)?.topicId;
    const state: EscalationState = {
      stage: 'details',
      problem: this.problemFrom(history, topicId, language, dc.context.activity.text),
      details: '',
      ...(topicId ? { topicId } : {}),
    };
    await this.trace(dc, 'escalate');
    await this.reply(dc, this.services.replies.escalationDetails(state.problem, language));
    return this.wait(dc, state);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = this.state(dc);
    const { context } = dc;
    const language = this.language(dc);
    const submission = readSubmission(context.activity.value);
    const text = context.activity.text?.trim() ?? '';
    if (submission && submission.action !== 'escalate') return this.unrelated(dc);
    const command =
      !submission && text
        ? this.services.commands.match(text, this.reading(dc), this.awaitedReplies(state))?.command
        : undefined;
    const step = submission?.action === 'escalate' ? submission.step : undefined;

    if (step === 'abort' || (state.stage === 'confirm' && command === 'no')) {
      await this.trace(dc, 'escalationCancelled');
      await this.reply(dc, this.services.replies.say(language, 'escalation.notSent'));
      return this.done(dc);
    }
    if (state.stage === 'confirm' && (step === 'send' || command === 'yes')) {
      return this.handOver(dc, state);
    }
    // "ok, mil gracias" at "Send this to the helpdesk?" is a yes, not more details.
    // What was to be added is in already, so a number read in it ("mil gracias") does not count here.
    const closing =
      state.stage === 'confirm' && !submission && text
        ? this.shortReply(dc, text, { factsCount: false })
        : undefined;
    if (closing === 'thanks') {
      await this.trace(dc, closing);
      return this.handOver(dc, state);
    }
    if (state.stage === 'details' && !submission && text) {
      const reading = this.readDetails(dc, state, text);
      if (reading.kind === 'nothingToAdd') {
        await this.trace(dc, reading.command);
        return this.handOver(dc, state);
      }
      if (reading.kind === 'cancel') {
        await this.trace(dc, 'cancel');
        await this.reply(dc, this.services.replies.say(language, 'escalation.notSent'));
        return this.done(dc);
      }
      if (reading.kind === 'newQuestion') {
        // The person was asked for and stays asked for: the request goes with the question in it, and
        // the question is answered as a new message. Its trace is the main dialog's reading of it.
        state.details = text;
        if (!(await this.sendTicket(dc, state, { traced: false }))) return this.done(dc);
        return this.unrelated(dc);
      }
    }
    if (step === 'skip' || step === 'start') {
      state.stage = 'confirm';
    } else if (text) {
      // Anything typed is the user's addition; typed again at the confirmation, it adds to it.
      state.details = state.details ? `${state.details}\n${text}` : text;
      state.stage = 'confirm';
    }
    await this.trace(dc, 'escalate');
    await this.reply(dc, this.services.replies.escalationConfirm(state.problem, state.details, language));
    return this.wait(dc, state);
  }

  /**
   * A message typed where the helpdesk asks "anything to add?". People take "I'll pass this on" as
   * done and go on: "ok thanks", "nein, das wars nicht", or a new question ("also, how many objects do
   * we sync?"). Only a short message with no fact in it is such a reply; anything else that does not
   * read as another question is what they add.
   */
  private readDetails(dc: DialogContext, state: EscalationState, text: string): DetailsReading {
    const { commands, recognizer } = this.services;
    const short = this.shortReply(dc, text);
    if (short && NOTHING_TO_ADD.includes(short)) return { kind: 'nothingToAdd', command: short };
    if (short === 'cancel') return { kind: 'cancel' };
    // "actually hold on, it just synced. drop it": a whole first or last clause that is cancel.
    if (commands.clauseCommand(text, this.reading(dc), 'cancel')) return { kind: 'cancel' };
    // "laat toch maar, collega heeft het al opgelost": a first clause that is cancel in own words, or
    // a last one ("ah attendez ça vient de marcher, oubliez la demande").
    const reading = this.reading(dc);
    if (commands.opensWith(text, reading, 'cancel') || commands.closesWith(text, reading, 'cancel'))
      return { kind: 'cancel' };
    // Asked for a person before any topic, the first thing typed is the problem itself.
    if (!state.topicId) return { kind: 'details' };
    // "no, it started on Monday for 15 users": the question answered, then what they add, however
    // much it sounds like a topic. A question after the answer ("no, but how many objects…?") is read.
    const answeredFirst = commands.match(text, this.reading(dc), { expected: NOTHING_TO_ADD });
    if (answeredFirst && !text.includes('?')) return { kind: 'details' };
    const recognition = recognizer.recognize(text, this.reading(dc));
    const otherTopic = recognition.decision === 'answer' && recognition.options[0] !== state.topicId;
    const otherQuestion = recognition.outOfScope && text.includes('?');
    return otherTopic || otherQuestion ? { kind: 'newQuestion' } : { kind: 'details' };
  }

  /**
   * The command a short message is ("ok thanks", "nee hoor", "laat maar"), if any; with `factsCount`,
   * only when it states no count or time ("no, 15 users" is details).
   */
  private shortReply(
    dc: DialogContext,
    text: string,
    { factsCount }: { factsCount: boolean } = { factsCount: true },
  ): CommandName | undefined {
    const { commands, entities, kb } = this.services;
    const words = text.split(/\s+/).filter(Boolean).length;
    if (words > kb.recognition.understanding.nothingToAddMaxWords) return undefined;
    if (factsCount && factsInMessage(entities, dc.context, text).some(isCountOrTime)) return undefined;
    return commands.match(text, this.reading(dc), { expected: NOTHING_TO_ADD })?.command;
  }

  private async handOver(dc: DialogContext, state: EscalationState): Promise<DialogTurnResult> {
    await this.sendTicket(dc, state, { traced: true });
    return this.done(dc);
  }

  /** Sends the request and tells the user where it stands; false when it could not be stored. */
  private async sendTicket(
    dc: DialogContext,
    state: EscalationState,
    { traced }: { traced: boolean },
  ): Promise<boolean> {
    const { context } = dc;
    const { activity } = context;
    const language = this.language(dc);
    const transcript = await this.services.history.get(context, []);
    const ticket: Ticket = {
      reference: newTicketReference(),
      createdAt: new Date().toISOString(),
      language,
      channel: activity.channelId,
      conversationId: activity.conversation.id,
      user: {
        id: activity.from.id,
        ...(activity.from.name ? { name: activity.from.name } : {}),
        ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
      },
      problem: state.problem,
      details: state.details,
      ...(state.topicId ? { topicId: state.topicId } : {}),
      transcript: [...transcript],
    };
    if (traced) await this.trace(dc, 'escalationSent');
    let status;
    try {
      status = await this.services.helpdesk.submit(ticket);
    } catch (error) {
      this.services.logger.error('ticket could not be stored', { error: (error as Error).message });
      const { replies } = this.services;
      await this.reply(dc, {
        text: `${replies.say(language, 'escalation.failed').text} ${replies.helpdeskLine(language)}`,
      });
      return false;
    }
    await context.sendActivity(
      EventFactory.createHandoffInitiation(
        context,
        { reference: ticket.reference, problem: ticket.problem, details: ticket.details, language },
        { activities: transcriptActivities(transcript, activity) },
      ),
    );
    const { replies } = this.services;
    const values = { reference: ticket.reference };
    const message =
      status === 'delivered'
        ? replies.say(language, 'escalation.delivered', values).text
        : status === 'queued'
          ? `${replies.say(language, 'escalation.queued', values).text} ${replies.helpdeskLine(language)}`
          : `${replies.say(language, 'escalation.stored', values).text} ${replies.helpdeskLine(language)}`;
    await this.reply(dc, { text: message });
    return true;
  }

  /** The topic's title, else the user's last question before asking for a person. */
  private problemFrom(
    history: HistoryEntry[],
    topicId: string | undefined,
    language: string,
    currentText: string | undefined,
  ): string {
    const topic = topicId ? this.services.kb.topic(topicId, language) : undefined;
    const questions = history
      .filter((e) => e.from === 'user' && e.text !== currentText?.trim())
      .filter((e) => !this.services.commands.match(e.text, language));
    const lastQuestion = questions[questions.length - 1]?.text;
    if (topic && lastQuestion) return `${topic.title} ("${lastQuestion}")`;
    return (
      topic?.title ?? lastQuestion ?? this.services.replies.say(language, 'escalation.unknownProblem').text
    );
  }
}

/** The history as message activities, the shape a handoff transcript carries. */
function transcriptActivities(history: HistoryEntry[], current: Activity): Activity[] {
  return history.map(
    (entry) =>
      ({
        type: ActivityTypes.Message,
        text: entry.text,
        timestamp: new Date(entry.at),
        channelId: current.channelId,
        conversation: current.conversation,
        from: entry.from === 'user' ? current.from : current.recipient,
        recipient: entry.from === 'user' ? current.recipient : current.from,
      }) as Activity,
  );
}
