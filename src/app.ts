import {
  ConfigurationBotFrameworkAuthentication,
  TranscriptLoggerMiddleware,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type ConversationState,
  type Middleware,
  type Storage,
  type TranscriptLogger,
  type UserState,
} from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type restify from 'restify';
import { DirectorySyncBot } from './channels/botframework/directorySyncBot';
import { LanguageMiddleware, type ConversationLanguage } from './channels/botframework/languageMiddleware';
import { ConsistentTurns } from './channels/botframework/consistentTurns';
import { MessageRateLimit } from './channels/botframework/messageRateLimit';
import { toActivity } from './conversation/replyActivity';
import { ConversationHistory } from './channels/botframework/conversationHistory';
import { createTurnErrorHandler } from './channels/botframework/turnErrorHandler';
import { CardTemplates } from './domain/cards/cardTemplates';
import { readSettings, type Settings } from './infrastructure/config';
import { EntityExtractor } from './domain/entities/entityExtractor';
import type { AssistantServices } from './conversation/assistantServices';
import { HelpdeskDispatcher } from './infrastructure/helpdesk/helpdeskDispatcher';
import type { HistoryEntry } from './domain/helpdesk/ticket';
import { MainDialog } from './conversation/mainDialog';
import type { TenantCheckService } from './conversation/assistantServices';
import type { KnowledgeBase } from './domain/knowledge/knowledgeBase';
import { loadKnowledge } from './domain/knowledge/loadKnowledge';
import { CommandRecognizer } from './domain/language/commandRecognizer';
import { LanguageDetector } from './domain/language/languageDetector';
import { loadForeignLanguageDetector } from './domain/language/foreignLanguage';
import { languageOfLocale, type LanguagePreference } from './domain/language/languagePolicy';
import type { TextAnalyzer } from './domain/language/textAnalyzer';
import type { Logger } from './infrastructure/logger';
import { IntentClassifier } from './domain/recognition/intentClassifier';
import { TopicRecognizer } from './domain/recognition/topicRecognizer';
import { FeedbackLog } from './infrastructure/records/feedbackLog';
import { MemoryRecordStore, type RecordStore } from './infrastructure/records/recordStore';
import { ReplyBuilder } from './domain/replies/replyBuilder';
import { ReportReplies } from './domain/replies/reportReplies';
import { loadReportVocabulary } from './domain/reports/reportVocabulary';
import { BoundedMemoryStorage } from './infrastructure/storage/boundedMemoryStorage';
import { MEMORY_STORAGE_MAX_ITEMS } from './infrastructure/storage/stateStorage';
import { OptimisticConversationState, OptimisticUserState } from './infrastructure/storage/optimisticState';
import { AnsweredQuestions, type QuestionCardsState } from './channels/botframework/answeredQuestions';
import { AssistantAdapter } from './channels/server/assistantAdapter';
import { createServer } from './channels/server/createServer';
import { webChatRoutes } from './channels/webchat/webChatRoutes';
import { WarmUp } from './infrastructure/warmUp';
import { SavedStems } from './domain/language/savedStems';

export interface Assistant {
  kb: KnowledgeBase;
  services: AssistantServices;
  bot: DirectorySyncBot;
  mainDialog: MainDialog;
  /** Runs before the bot on every turn: register it on the adapter. */
  languageMiddleware: LanguageMiddleware;
  /** Which supported language a message's words belong to (the middleware's evidence). */
  languageDetector: LanguageDetector;
  /** What a message means (topic, command, out of scope): prepare() loads or trains its models. */
  classifier: IntentClassifier;
  conversationState: ConversationState;
  userState: UserState;
  /** Every middleware, in order: register them all on the adapter. */
  middleware: Middleware[];
  records: RecordStore;
  helpdesk: HelpdeskDispatcher;
  /** What runs after the port opens (loading the intent models); parts add their own tasks. */
  warmUp: WarmUp;
  /**
   * What any first turn would otherwise pay for itself, done before the port opens: the card templating
   * library (0.2 s at the first card), chrono-node's shared patterns (0.25 s at the first message
   * stating a time, in whatever language) and the default language's intent model. Start-up takes
   * that much longer; the first user does not wait for it.
   */
  prepareFirstTurn(): void;
  /** Ends what runs beside the turns (the helpdesk retries). */
  close(): Promise<void>;
}

/** Where the assistant keeps things; all default to this process's memory. */
export interface AssistantStores {
  storage?: Storage;
  records?: RecordStore;
  /** BOT_TRANSCRIPTS=on: the (masking) logger that keeps every activity. */
  transcripts?: TranscriptLogger;
  helpdeskWebhookUrl?: string;
  /** Waits between deliveries of a ticket the webhook refused (tests shorten them). */
  ticketRetryDelaysMs?: number[];
  /** SYNC_STATUS_CHECK=graph: the live tenant check. */
  tenantCheck?: TenantCheckService;
}

/** The report reader's limits when the caller gives none (tests): MAX_REPORT_BYTES and the rest at their defaults. */
const DEFAULT_REPORT_SETTINGS = readSettings({}).reports;

/** Builds the bot from its parts; everything here is free of HTTP. */
export function createAssistant(
  settings: Pick<Settings, 'knowledgeDir' | 'cardsDir' | 'helpdeskContact'> &
    Partial<Pick<Settings, 'messageRateLimit' | 'reports'>>,
  logger: Logger,
  stores: AssistantStores = {},
): Assistant {
  const kb = loadKnowledge(settings.knowledgeDir);
  const cards = new CardTemplates(settings.cardsDir);
  const classifier = new IntentClassifier(kb, { log: (message, fields) => logger.info(message, fields) });
  const stems = SavedStems.read();
  const recognizer = new TopicRecognizer(kb, classifier, stems);
  stems.save();
  const storage = stores.storage ?? new BoundedMemoryStorage(MEMORY_STORAGE_MAX_ITEMS);
  const records = stores.records ?? new MemoryRecordStore();
  const conversationState = new OptimisticConversationState(storage);
  const userState = new OptimisticUserState(storage);
  const replies = new ReplyBuilder(kb, cards, settings.helpdeskContact);
  const helpdesk = new HelpdeskDispatcher(
    records,
    (ticket) => ({
      // The shape a Teams Workflow ("when a Teams webhook request is received") posts as a card;
      // Power Automate and other receivers read the ticket itself.
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: replies.ticketCard(ticket),
        },
      ],
      ticket,
    }),
    logger,
    {
      webhookUrl: stores.helpdeskWebhookUrl ?? '',
      ...(stores.ticketRetryDelaysMs ? { retryDelaysMs: stores.ticketRetryDelaysMs } : {}),
    },
  );
  const history = conversationState.createProperty<HistoryEntry[]>('history');
  const services: AssistantServices = {
    kb,
    recognizer,
    entities: new EntityExtractor(
      new Map(kb.languages.map((l) => [l, kb.pack(l).profile.entities])),
      kb.errorCatalog,
    ),
    commands: new CommandRecognizer(kb, classifier),
    replies,
    logger,
    languagePreference: userState.createProperty<LanguagePreference>('languagePreference'),
    history,
    feedback: new FeedbackLog(records, logger),
    helpdesk,
    reports: {
      replies: new ReportReplies(kb, cards, loadReportVocabulary(settings.knowledgeDir, kb.errorCatalog)),
      settings: settings.reports ?? DEFAULT_REPORT_SETTINGS,
    },
    ...(stores.tenantCheck ? { tenantCheck: stores.tenantCheck } : {}),
  };
  const analyzers = new Map<string, TextAnalyzer>();
  for (const language of kb.languages) {
    const analyzer = recognizer.analyzer(language);
    if (analyzer) analyzers.set(language, analyzer);
  }
  const languageDetector = new LanguageDetector(kb, analyzers);
  const mainDialog = new MainDialog(services);
  const bot = new DirectorySyncBot(services, conversationState, userState, mainDialog);
  const languageMiddleware = new LanguageMiddleware(
    services,
    languageDetector,
    conversationState.createProperty<ConversationLanguage>('conversationLanguage'),
  );
  const rateLimit = settings.messageRateLimit
    ? [
        new MessageRateLimit(
          settings.messageRateLimit,
          async (context) => {
            // Before the language is chosen for the turn: the client's locale, else the default.
            const localeLanguage = languageOfLocale(context.activity.locale);
            const language =
              localeLanguage && kb.supports(localeLanguage) ? localeLanguage : kb.defaultLanguage;
            await context.sendActivity(
              toActivity(replies.say(language, 'rateLimit.notice'), context.activity.channelId),
            );
          },
          logger,
        ),
      ]
    : [];
  const answeredQuestions = new AnsweredQuestions(
    conversationState.createProperty<QuestionCardsState>('questionCards'),
    replies,
  );
  const middleware: Middleware[] = [
    // Before the turn queue: a flood is turned away, not queued.
    ...rateLimit,
    // Sees question cards as the dialogs send them, before ConsistentTurns holds the replies.
    answeredQuestions.recorder,
    // Then: a turn that is run again must run every later middleware again too.
    new ConsistentTurns([conversationState, userState], logger),
    new ConversationHistory(history),
    languageMiddleware,
    ...(stores.transcripts ? [new TranscriptLoggerMiddleware(stores.transcripts)] : []),
    answeredQuestions.guard,
  ];
  // chrono-node compiles a language's patterns at its first parse (the first in any language also
  // its shared ones): a first message stating a time or a count would pay for it.
  const compileFactReader = (language: string): void => void services.entities.extract('2 3', language);
  const warmUp = new WarmUp();
  // Each task in slices between which turns run, what a first message in a language needs first; the
  // one slice that cannot be cut (loading tinyld, about 0.2 s) last, when first messages are past.
  warmUp.add('intent models', async () => {
    for (const language of kb.languages) {
      await nextTurnOfTheEventLoop();
      classifier.prepare([language]);
    }
  });
  warmUp.add('fact readers', async () => {
    for (const language of kb.languages) {
      await nextTurnOfTheEventLoop();
      compileFactReader(language);
    }
  });
  warmUp.add('cards', async () => {
    await nextTurnOfTheEventLoop();
    cards.prepare();
  });
  warmUp.add('language detector', async () => {
    await nextTurnOfTheEventLoop();
    loadForeignLanguageDetector();
  });
  return {
    classifier,
    kb,
    services,
    bot,
    mainDialog,
    languageMiddleware,
    languageDetector,
    conversationState,
    userState,
    middleware,
    records,
    helpdesk,
    warmUp,
    prepareFirstTurn: () => {
      cards.loadTemplating();
      compileFactReader(kb.defaultLanguage);
      classifier.prepare([kb.defaultLanguage]);
    },
    close: () => {
      helpdesk.stop();
      return Promise.resolve();
    },
  };
}

/** Connects the assistant to Bot Framework and HTTP: the CloudAdapter and the restify server. */
export function createHttpServer(settings: Settings, logger: Logger, assistant: Assistant): restify.Server {
  const authOptions: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.microsoftAppId,
    MicrosoftAppPassword: settings.microsoftAppPassword,
    MicrosoftAppType: settings.microsoftAppType,
    MicrosoftAppTenantId: settings.microsoftAppTenantId,
  };
  const adapter = new AssistantAdapter(new ConfigurationBotFrameworkAuthentication(authOptions));
  for (const middleware of assistant.middleware) adapter.use(middleware);
  if (settings.directLine.extensionKey && settings.directLine.siteName) {
    // Direct Line App Service Extension: the extension reaches the bot over this named pipe.
    void adapter
      .connectNamedPipe(
        `${settings.directLine.siteName}.directline`,
        (context) => assistant.bot.run(context),
        settings.microsoftAppId,
        AuthenticationConstants.ToChannelFromBotOAuthScope,
      )
      .catch((error: Error) => logger.error('named pipe for Direct Line failed', { error: error.message }));
  }
  adapter.onTurnError = createTurnErrorHandler(
    assistant.conversationState,
    assistant.bot.dialogState,
    assistant.services.replies,
    logger,
  );
  const started = Date.now();
  return createServer({
    endpoint: {
      requiresAuthentication: settings.microsoftAppId !== '',
      process: (req, res) => adapter.process(req, res, (context) => assistant.bot.run(context)),
    },
    logger,
    maxBodyBytes: settings.maxBodyBytes,
    maxConcurrentTurns: settings.maxConcurrentTurns,
    routes: [
      webChatRoutes({
        directLine: settings.directLine,
        microsoftAppId: settings.microsoftAppId,
        companyName: settings.companyName,
        logger,
        strings: () => webChatStrings(assistant.kb),
        runTurn: async (activity) =>
          (await adapter.runExpectingReplies(activity, (context) => assistant.bot.run(context))) as Record<
            string,
            unknown
          >[],
        pageDir: settings.webChatDir,
      }),
    ],
    health: () => ({
      topics: assistant.kb.topicIds.length,
      languages: assistant.kb.languages,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      warmedUp: assistant.warmUp.status(),
      memory: memoryMb(),
      authentication: settings.microsoftAppId ? 'bot-framework' : 'anonymous',
    }),
  });
}

const nextTurnOfTheEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The process's memory, for /healthz: resident set and live heap, in MB. */
function memoryMb(): { rssMb: number; heapUsedMb: number } {
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMb: Math.round(rss / 2 ** 20), heapUsedMb: Math.round(heapUsed / 2 ** 20) };
}

/** The Web Chat page's texts: every language's webchat.* strings. */
function webChatStrings(kb: KnowledgeBase): {
  defaultLanguage: string;
  languages: Record<string, Record<string, string>>;
} {
  const languages: Record<string, Record<string, string>> = {};
  for (const language of kb.languages) {
    languages[language] = Object.fromEntries(
      Object.entries(kb.pack(language).strings).filter(([key]) => key.startsWith('webchat.')),
    );
  }
  return { defaultLanguage: kb.defaultLanguage, languages };
}
