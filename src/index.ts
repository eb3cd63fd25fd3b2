import 'dotenv/config';
import { createAssistant, createHttpServer } from './app';
import { readSettings, SettingsError } from './infrastructure/config';
import { createTranscriptLogger } from './channels/botframework/transcripts';
import { createLogger } from './infrastructure/logger';
import { createRecordStore } from './infrastructure/records/createRecordStore';
import { createStateStorage } from './infrastructure/storage/stateStorage';
import { createSyncStatusSource } from './infrastructure/syncStatus/createSyncStatusSource';

/**
 * How long after the port opens the warm-up begins: App Service's and load balancers' first health
 * probes come at once and are answered first (a probe that waited behind a warm-up task took 0.4 s
 * longer, measured); a message meanwhile loads what it needs itself.
 */
const WARM_UP_AFTER_MS = 300;

function main(): void {
  let settings;
  try {
    settings = readSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(settings.logLevel);
  let assistant;
  try {
    const records = createRecordStore(settings);
    const syncStatus = createSyncStatusSource(settings.syncStatus, logger);
    assistant = createAssistant(settings, logger, {
      storage: createStateStorage(settings.storage),
      records,
      ...(settings.transcripts ? { transcripts: createTranscriptLogger(settings, records) } : {}),
      helpdeskWebhookUrl: settings.helpdeskWebhookUrl,
      ...(syncStatus
        ? {
            tenantCheck: {
              source: syncStatus,
              timeoutMs: settings.syncStatus.timeoutMs,
              // With an App ID every request carries a Bot Framework token, so a Teams user's id is the channel's.
              verifiedIdentity: settings.microsoftAppId !== '',
            },
          }
        : {}),
    });
  } catch (error) {
    // A broken knowledge file or card template stops start-up with the file, the field and the reason.
    console.error((error as Error).message);
    process.exit(1);
  }
  // The first check gets a token and fills the cache, so that no user's first answer waits for it.
  void assistant.services.tenantCheck?.source.tenant().catch(() => undefined);
  assistant.prepareFirstTurn();
  const server = createHttpServer(settings, logger, assistant);
  process.on('unhandledRejection', (reason) =>
    logger.error('unhandled rejection', { error: String(reason) }),
  );
  void assistant.helpdesk
    .resume()
    .then((pending) => pending && logger.info('retrying undelivered helpdesk tickets', { pending }))
    .catch((error: Error) => logger.warn('could not read the ticket store', { error: error.message }));
  const stop = (): void => {
    logger.info('shutting down');
    void assistant.close();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  server.listen(settings.port, () => {
    logger.info('Directory Sync Assistant listening', {
      url: `http://localhost:${settings.port}/api/messages`,
      topics: assistant.kb.topicIds.length,
      languages: assistant.kb.languages,
      authentication: settings.microsoftAppId ? 'bot-framework' : 'anonymous (Bot Framework Emulator)',
      storage: settings.storage.kind,
      records: assistant.records.location,
      transcripts: settings.transcripts,
      helpdeskWebhook: settings.helpdeskWebhookUrl ? 'configured' : 'none',
      syncStatusCheck: settings.syncStatus.enabled ? 'graph' : 'off',
    });
    // After the port opens: App Service's health check and the first users do not wait for it, and
    // turns meanwhile load their own language's intent model.
    void assistant.warmUp.start(logger, WARM_UP_AFTER_MS);
  });
}

main();
