import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../support/assistant';
import { botInBrowser } from './support/botInBrowser';

/**
 * The intranet page in a real browser (Debian's Chromium, headless), in the local Direct Line mode
 * that `npm start` serves with no Azure resource: a Dutch user asks a question and gets the answer
 * card with its link buttons, in Dutch.
 */
export const SCREENSHOT = path.join(projectRoot, 'test', 'e2e', 'artifacts', 'webchat-nl.png');

const QUESTION = 'de synchronisatie is gestopt sinds gisteren';
const TITLE = 'De adreslijstsynchronisatie heeft al een tijd niet gedraaid of is gestopt';

/** The Dutch titles of the topic's links (knowledge/locales/nl/topics/sync-not-recent.yaml). */
const LINKS = [
  'Verbindingsproblemen met Entra Connect oplossen',
  'De planner van Entra Connect Sync',
  'Het serviceaccount van ADSync',
];

jest.setTimeout(120000);

describe('Web Chat page, end to end in Chromium', () => {
  const bot = botInBrowser();
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  it('holds a Dutch conversation: welcome card, question, answer card with link buttons', async () => {
    const context = await bot.browser.newContext({ locale: 'nl-NL', viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    // Web Chat opens Action.OpenUrl with window.open: record the URL instead of leaving localhost.
    await page.addInitScript(() => {
      const record = window as unknown as { opened: string[] };
      record.opened = [];
      window.open = (url?: string | URL) => {
        record.opened.push(String(url));
        return null;
      };
    });
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(`${bot.url}/`);

    // The page's own texts and Web Chat's follow the browser's language.
    await page.getByRole('heading', { name: 'Assistent voor adreslijstsynchronisatie' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    await page.locator('.ac-adaptiveCard').first().waitFor({ timeout: 30000 });
    expect(await page.locator('.ac-adaptiveCard').first().innerText()).toContain('Veelvoorkomende problemen');

    const sendBox = page.getByPlaceholder('Beschrijf je synchronisatieprobleem');
    await sendBox.fill(QUESTION);
    await sendBox.press('Enter');
    await page.locator('.webchat__text-content', { hasText: QUESTION }).waitFor({ timeout: 10000 });

    // The answer card: its title (the topic, in Dutch), its sections and its Action.OpenUrl buttons,
    // which the Adaptive Cards renderer in Web Chat gives the role "link".
    const answer = page.locator('.ac-adaptiveCard').filter({ has: page.getByText(TITLE, { exact: true }) });
    await answer.waitFor({ timeout: 30000 });
    const cardText = await answer.innerText();
    for (const heading of ['Wat is er mis', 'Waarschijnlijke oorzaken', 'Wat je kunt doen', 'Meer lezen']) {
      expect(cardText).toContain(heading);
    }
    // Action.OpenUrl buttons: the topic's "Meer lezen" links, each a button Web Chat opens with
    // window.open (recorded below instead of opened, so nothing leaves this machine).
    const linkButtons = answer.getByRole('button', { name: LINKS[0], exact: true });
    await linkButtons.waitFor();
    for (const label of LINKS) {
      expect(await answer.getByRole('button', { name: label, exact: true }).count()).toBe(1);
    }
    await linkButtons.click();
    const opened = await page.evaluate(() => (window as unknown as { opened: string[] }).opened);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    const buttons = (await answer.getByRole('button').allInnerTexts()).join(' ');
    expect(buttons).toContain('Ja, opgelost');
    expect(buttons).toContain('Nee, nog niet');

    // The screenshot shows the question and the top of the answer card.
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page
      .locator('.webchat__text-content', { hasText: QUESTION })
      .evaluate((question) => question.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10000);

    const origin = new URL(bot.url).origin;
    expect(
      requests.filter((r) => !r.startsWith(origin) && !r.startsWith('data:') && !r.startsWith('blob:')),
    ).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await context.close();
  });
});
