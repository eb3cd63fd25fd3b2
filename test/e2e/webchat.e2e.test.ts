import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type restify from 'restify';
import { createAssistant, createHttpServer } from '../../src/app';
import { readSettings } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { cardsDir, knowledgeDir, projectRoot } from '../support/assistant';

/**
 * The intranet page in a real browser (Debian's Chromium, headless), in the local Direct Line mode
 * that `npm start` serves with no Azure resource: a Dutch user asks a question and gets the answer
 * card with its link buttons, in Dutch.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOT = path.join(projectRoot, 'test', 'e2e', 'artifacts', 'webchat-nl.png');

jest.setTimeout(120000);

describe('Web Chat page, end to end in Chromium', () => {
  let server: restify.Server;
  let url: string;
  let browser: Browser;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const settings = readSettings({ PORT: '0', KNOWLEDGE_DIR: knowledgeDir, CARDS_DIR: cardsDir });
    const assistant = createAssistant(settings, silentLogger);
    assistant.services.entities.warmUp();
    server = createHttpServer(settings, silentLogger, assistant);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    // launch() starts from a fresh, temporary profile of its own.
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('holds a Dutch conversation: welcome card, question, answer card with link buttons', async () => {
    const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(url);

    await page.getByRole('heading', { name: 'Assistent voor adreslijstsynchronisatie' }).waitFor();
    await page.locator('.ac-adaptiveCard').first().waitFor({ timeout: 30000 });

    const sendBox = page.locator('[data-id="webchat-sendbox-input"], input[aria-label], textarea').first();
    await sendBox.fill('de synchronisatie is gestopt sinds gisteren');
    await sendBox.press('Enter');

    const answer = page.locator('.ac-adaptiveCard', { hasText: 'adreslijstsynchronisatie' }).nth(1);
    await answer.waitFor({ timeout: 30000 });
    const cardText = await answer.innerText();
    expect(cardText).toMatch(/Wat is er mis|Wat u kunt doen/);
    const linkButtons = answer.locator('button.ac-pushButton');
    expect(await linkButtons.count()).toBeGreaterThan(2);
    const labels = await linkButtons.allInnerTexts();
    expect(labels.join(' ')).toMatch(/Ja, opgelost|Nee/);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await answer.scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10000);

    const origin = new URL(url).origin;
    expect(
      requests.filter((r) => !r.startsWith(origin) && !r.startsWith('data:') && !r.startsWith('blob:')),
    ).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await context.close();
  });
});
