import 'dotenv/config';
import { createAssistant, createHttpServer } from './app';
import { readSettings, SettingsError } from './config';
import { createTranscriptLogger } from './bot/transcripts';
import { createLogger } from './logger';
import { RecognizerPool } from './entities/recognizerPool';
import { createRecordStore } from './records/createRecordStore';
import { createStateStorage } from './storage/stateStorage';

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
    assistant = createAssistant(settings, logger, {
      storage: createStateStorage(settings.storage),
      records,
      ...(settings.transcripts ? { transcripts: createTranscriptLogger(settings, records) } : {}),
      helpdeskWebhookUrl: settings.helpdeskWebhookUrl,
      // @microsoft/recognizers-text compiles and reads in a worker thread, never on the event loop.
      recognizers: new RecognizerPool(),
    });
  } catch (error) {
    // A broken knowledge file or card template stops start-up with the file, the field and the reason.
    console.error((error as Error).message);
    process.exit(1);
  }
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
    });
    // After the port opens: App Service's health check and the first users do not wait for it, and
    // turns meanwhile read facts the cheaper way (see EntityExtractor.warmUp).
    void assistant.warmUp.start(logger);
  });
}

main();
