import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type restify from 'restify';
import { createAssistant, createHttpServer } from '../../../src/app';
import { readSettings } from '../../../src/infrastructure/config';
import { silentLogger } from '../../../src/infrastructure/logger';
import { cardsDir, knowledgeDir } from '../../support/assistant';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Without the background-networking flags Chromium's own connections are refused by a closed
 * network, many at a time; launch() starts from a fresh, temporary profile of its own.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface BotInBrowser {
  /** The bot's base URL, without a trailing slash (the Web Chat page is `${url}/`). */
  url: string;
  browser: Browser;
}

/**
 * The bot as `npm start` serves it (no Azure, local Direct Line) on a free port, and headless
 * Chromium, for the duration of the calling describe block. The returned object is filled in by
 * beforeAll.
 */
export function botInBrowser(): BotInBrowser {
  const handle = {} as BotInBrowser;
  let server: restify.Server | undefined;
  beforeAll(async () => {
    const settings = readSettings({ PORT: '0', KNOWLEDGE_DIR: knowledgeDir, CARDS_DIR: cardsDir });
    server = createHttpServer(settings, silentLogger, createAssistant(settings, silentLogger));
    const listening = server;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    handle.url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    handle.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await handle.browser?.close();
    server?.close();
  });
  return handle;
}
