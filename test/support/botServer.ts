import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import { createAssistant, createHttpServer } from '../../src/app';
import { readSettings } from '../../src/infrastructure/config';
import { silentLogger } from '../../src/infrastructure/logger';
import { cardsDir, knowledgeDir } from './assistant';
import { TestChannel } from './channel';

export interface BotServer {
  /** http://127.0.0.1:<port>, the bot's base URL. */
  url: string;
  close(): void;
}

/** The whole bot behind its HTTP server on a free loopback port, as a channel reaches it. */
export async function startBotServer(env: Record<string, string> = {}): Promise<BotServer> {
  const settings = readSettings({ PORT: '0', KNOWLEDGE_DIR: knowledgeDir, CARDS_DIR: cardsDir, ...env });
  const server: restify.Server = createHttpServer(
    settings,
    silentLogger,
    createAssistant(settings, silentLogger),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

/**
 * A stand-in channel (it records the bot's replies) and the whole bot behind HTTP, for the calling
 * describe block: the object returned is filled in by beforeAll.
 */
export function channelAndBot(): { channel: TestChannel; url: string } {
  const handle = { channel: new TestChannel(), url: '' };
  let server: BotServer | undefined;
  beforeAll(async () => {
    await handle.channel.start();
    server = await startBotServer();
    handle.url = server.url;
  });
  afterAll(async () => {
    server?.close();
    await handle.channel.stop();
  });
  return handle;
}
