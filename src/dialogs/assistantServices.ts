import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { EntityExtractor } from '../entities/entityExtractor';
import type { DeliveryStatus } from '../helpdesk/helpdeskDispatcher';
import type { HistoryEntry, Ticket } from '../helpdesk/ticket';
import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import type { CommandRecognizer } from '../language/commandRecognizer';
import type { LanguagePreference } from '../language/languagePolicy';
import type { Logger } from '../logger';
import type { FeedbackLog } from '../records/feedbackLog';
import type { TopicRecognizer } from '../recognition/topicRecognizer';
import type { ReplyBuilder } from '../replies/replyBuilder';
import type { ReportReplies } from '../replies/reportReplies';
import type { ReportSettings } from '../config';
import type { TenantCheckService } from './tenantCheck';

/** The core the dialogs orchestrate: knowledge, recognition and replies, none of them aware of Bot Framework. */
export interface AssistantServices {
  kb: KnowledgeBase;
  recognizer: TopicRecognizer;
  entities: EntityExtractor;
  commands: CommandRecognizer;
  replies: ReplyBuilder;
  logger: Logger;
  /** The language the user chose explicitly, kept in user state so it follows them. */
  languagePreference: StatePropertyAccessor<LanguagePreference>;
  /** What was said in this conversation, for a helpdesk handover. */
  history: StatePropertyAccessor<HistoryEntry[]>;
  /** Answer verdicts and unanswered questions, for the knowledge authors. */
  feedback: FeedbackLog;
  /** Stores a ticket and hands it to the helpdesk. */
  helpdesk: { submit(ticket: Ticket): Promise<DeliveryStatus> };
  /** The sync error report reader: its replies (and vocabulary) and its limits on files. */
  reports: { replies: ReportReplies; settings: ReportSettings };
  /** The live tenant check through Microsoft Graph; absent unless SYNC_STATUS_CHECK=graph. */
  tenantCheck?: TenantCheckService;
}

const TURN_LANGUAGE = Symbol('turnLanguage');

/** The language chosen for this turn's replies (set by the bot before the dialogs run). */
export function turnLanguage(context: TurnContext): string {
  return (context.turnState.get(TURN_LANGUAGE) as string | undefined) ?? 'en';
}

export function setTurnLanguage(context: TurnContext, language: string): void {
  context.turnState.set(TURN_LANGUAGE, language);
}
