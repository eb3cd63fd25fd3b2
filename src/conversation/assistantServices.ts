import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { EntityExtractor } from '../domain/entities/entityExtractor';
import type { DeliveryStatus } from '../infrastructure/helpdesk/helpdeskDispatcher';
import type { HistoryEntry, Ticket } from '../domain/helpdesk/ticket';
import type { KnowledgeBase } from '../domain/knowledge/knowledgeBase';
import type { CommandRecognizer } from '../domain/language/commandRecognizer';
import type { LanguagePreference } from '../domain/language/languagePolicy';
import type { Logger } from '../infrastructure/logger';
import type { FeedbackLog } from '../infrastructure/records/feedbackLog';
import type { TopicRecognizer } from '../domain/recognition/topicRecognizer';
import type { ReplyBuilder } from '../domain/replies/replyBuilder';
import type { ReportReplies } from '../domain/replies/reportReplies';
import type { ReportSettings } from '../infrastructure/config';
import type { SyncStatusSource } from '../domain/syncStatus/syncStatus';

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

/** The live tenant check as the dialogs use it (SYNC_STATUS_CHECK=graph). */
export interface TenantCheckService {
  source: SyncStatusSource;
  /** How long an answer waits for the measurement before it answers without it. */
  timeoutMs: number;
  /**
   * Every request is authenticated by Bot Framework (an App ID is set), so a Teams activity's
   * aadObjectId is the channel's word, not the client's. Without it no identity is trusted.
   */
  verifiedIdentity: boolean;
}

const TURN_LANGUAGE = Symbol('turnLanguage');

/** The language chosen for this turn's replies (set by the bot before the dialogs run). */
export function turnLanguage(context: TurnContext): string {
  return (context.turnState.get(TURN_LANGUAGE) as string | undefined) ?? 'en';
}

const READING_LANGUAGE = Symbol('readingLanguage');

/**
 * The language this turn's message is read in: the language it is written in, which differs from
 * the reply language only after the user asked for replies in another language.
 */
export function readingLanguage(context: TurnContext): string {
  return (context.turnState.get(READING_LANGUAGE) as string | undefined) ?? turnLanguage(context);
}

const PASTED_PASSAGE = Symbol('pastedPassage');

/** Prose pasted in quotes into this turn's message, in a language of its own (an English alert). */
export interface PastedPassage {
  text: string;
  language: string;
}

export function pastedPassage(context: TurnContext): PastedPassage | undefined {
  return context.turnState.get(PASTED_PASSAGE) as PastedPassage | undefined;
}

export function setPastedPassage(context: TurnContext, passage: PastedPassage): void {
  context.turnState.set(PASTED_PASSAGE, passage);
}

export function setTurnLanguage(context: TurnContext, language: string, reading?: string): void {
  context.turnState.set(TURN_LANGUAGE, language);
  if (reading) context.turnState.set(READING_LANGUAGE, reading);
}
