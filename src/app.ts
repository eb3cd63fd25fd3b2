import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  UserState,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Storage,
} from 'botbuilder';
import type restify from 'restify';
import { DirectorySyncBot } from './bot/directorySyncBot';
import { LanguageMiddleware, type ConversationLanguage } from './bot/languageMiddleware';
import { createTurnErrorHandler } from './bot/turnErrorHandler';
import { CardTemplates } from './cards/cardTemplates';
import type { Settings } from './config';
import { EntityExtractor } from './entities/entityExtractor';
import type { AssistantServices } from './dialogs/assistantServices';
import { MainDialog } from './dialogs/mainDialog';
import type { KnowledgeBase } from './knowledge/knowledgeBase';
import { loadKnowledge } from './knowledge/loadKnowledge';
import { CommandRecognizer } from './language/commandRecognizer';
import { LanguageDetector } from './language/languageDetector';
import type { LanguagePreference } from './language/languagePolicy';
import type { TextAnalyzer } from './language/textAnalyzer';
import type { Logger } from './logger';
import { TopicRecognizer } from './recognition/topicRecognizer';
import { ReplyBuilder } from './replies/replyBuilder';
import { createServer } from './server/createServer';

export interface Assistant {
  kb: KnowledgeBase;
  services: AssistantServices;
  bot: DirectorySyncBot;
  mainDialog: MainDialog;
  /** Runs before the bot on every turn: register it on the adapter. */
  languageMiddleware: LanguageMiddleware;
  conversationState: ConversationState;
  userState: UserState;
}

/** Builds the bot from its parts; everything here is free of HTTP. */
export function createAssistant(
  settings: Pick<Settings, 'knowledgeDir' | 'cardsDir' | 'helpdeskContact'>,
  logger: Logger,
  storage: Storage = new MemoryStorage(),
): Assistant {
  const kb = loadKnowledge(settings.knowledgeDir);
  const cards = new CardTemplates(settings.cardsDir);
  const recognizer = new TopicRecognizer(kb);
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const services: AssistantServices = {
    kb,
    recognizer,
    entities: new EntityExtractor(
      new Map(kb.languages.map((l) => [l, kb.pack(l).profile.entities])),
      kb.errorCatalog,
    ),
    commands: new CommandRecognizer(kb),
    replies: new ReplyBuilder(kb, cards, settings.helpdeskContact),
    logger,
    languagePreference: userState.createProperty<LanguagePreference>('languagePreference'),
  };
  const analyzers = new Map<string, TextAnalyzer>();
  for (const language of kb.languages) {
    const analyzer = recognizer.analyzer(language);
    if (analyzer) analyzers.set(language, analyzer);
  }
  const mainDialog = new MainDialog(services);
  const bot = new DirectorySyncBot(services, conversationState, userState, mainDialog);
  const languageMiddleware = new LanguageMiddleware(
    services,
    new LanguageDetector(kb, analyzers),
    conversationState.createProperty<ConversationLanguage>('conversationLanguage'),
  );
  return { kb, services, bot, mainDialog, languageMiddleware, conversationState, userState };
}

/** Connects the assistant to Bot Framework and HTTP: the CloudAdapter and the restify server. */
export function createHttpServer(settings: Settings, logger: Logger, assistant: Assistant): restify.Server {
  const authOptions: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.microsoftAppId,
    MicrosoftAppPassword: settings.microsoftAppPassword,
    MicrosoftAppType: settings.microsoftAppType,
    MicrosoftAppTenantId: settings.microsoftAppTenantId,
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(authOptions));
  adapter.use(assistant.languageMiddleware);
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
    health: () => ({
      topics: assistant.kb.topicIds.length,
      languages: assistant.kb.languages,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      authentication: settings.microsoftAppId ? 'bot-framework' : 'anonymous',
    }),
  });
}
