import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { projectRoot } from '../support/assistant';
import { botInBrowser } from './support/botInBrowser';

/**
 * The answer card as Teams-emulation renders it: Microsoft 365 Agents Playground (the
 * `@microsoft/m365agentsplayground` devDependency, channel msteams) in headless Chromium, and the
 * same card in the Web Chat page. Agents Playground 0.2.28 (the latest release) renders cards with
 * the Adaptive Cards JS SDK and has no CodeBlock renderer, so, like Web Chat, it shows the
 * CodeBlock's fallback: the test checks that this is the whole command, wrapped, not an input.
 */
const SCREENSHOTS = path.join(projectRoot, 'docs', 'screenshots');
const QUESTION = 'we have duplicate proxyAddresses, the same e-mail address on two users';
const TITLE = 'Fix duplicate e-mail addresses (proxyAddresses)';
const COMMAND = `Get-ADObject -Filter "proxyAddresses -eq 'smtp:user@contoso.com'" -Properties proxyAddresses`;

jest.setTimeout(240000);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The command as the card shows it: the whole text, in one monospace block, wrapped, not editable. */
async function commandAsShown(page: Page, card: ReturnType<Page['locator']>) {
  const run = card.locator('.ac-textRun', { hasText: 'Get-ADObject' }).first();
  await run.waitFor({ timeout: 60000 });
  return run.evaluate((element) => {
    const style = getComputedStyle(element);
    const block = element.closest('.ac-container') as HTMLElement;
    return {
      text: element.textContent,
      monospace: /mono|courier|consolas/i.test(style.fontFamily),
      overflows: block.scrollWidth > block.clientWidth + 1,
      inputs: block.querySelectorAll('input, textarea, [contenteditable="true"]').length,
    };
  });
}

/** The card shows the whole command, wrapped and read-only; its screenshot goes to docs/screenshots/. */
async function expectWholeCommandShown(page: Page, card: Locator, screenshot: string): Promise<void> {
  expect(await commandAsShown(page, card)).toEqual({
    text: COMMAND,
    monospace: true,
    overflows: false,
    inputs: 0,
  });
  const file = path.join(SCREENSHOTS, screenshot);
  await card.screenshot({ path: file });
  expect(fs.statSync(file).size).toBeGreaterThan(10000);
}

describe('the answer card with a PowerShell command, in Agents Playground (msteams) and Web Chat', () => {
  const bot = botInBrowser();
  let playground: ChildProcess | undefined;

  beforeAll(() => fs.mkdirSync(SCREENSHOTS, { recursive: true }));
  afterAll(() => playground?.kill());

  it('Agents Playground, Teams personal chat: the whole command, wrapped and read-only', async () => {
    const port = await freePort();
    const cli = path.join(projectRoot, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
    const child = spawn(
      process.execPath,
      [cli, '-e', `${bot.url}/api/messages`, '-c', 'msteams', '-p', String(port), '--dt'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    playground = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Agents Playground did not start')), 60000);
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes(`Listening on ${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`Agents Playground exited with ${code}`)));
    });

    const page = await bot.browser.newPage({ viewport: { width: 1280, height: 1300 } });
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'networkidle' });
    // The welcome arrives first: the conversation with the bot is open.
    await page.getByText('Common problems:').first().waitFor({ timeout: 60000 });
    await page.getByRole('textbox').first().click();
    await page.keyboard.type(QUESTION);
    await page.keyboard.press('Enter');
    const card = page.locator('.ac-adaptiveCard').filter({ has: page.getByText(TITLE, { exact: true }) });
    await card.waitFor({ timeout: 60000 });
    await card.scrollIntoViewIfNeeded();
    await expectWholeCommandShown(page, card, 'playground-msteams.png');
    await page.close();
  });

  it('Web Chat: the same card, with the same fallback', async () => {
    const context = await bot.browser.newContext({
      locale: 'en-US',
      viewport: { width: 1100, height: 1300 },
    });
    const page = await context.newPage();
    await page.goto(`${bot.url}/`);
    await page.locator('.ac-adaptiveCard').first().waitFor({ timeout: 30000 });
    const sendBox = page.getByPlaceholder('Describe your sync problem');
    await sendBox.fill(QUESTION);
    await sendBox.press('Enter');
    const card = page.locator('.ac-adaptiveCard').filter({ has: page.getByText(TITLE, { exact: true }) });
    await card.waitFor({ timeout: 60000 });
    await expectWholeCommandShown(page, card, 'webchat-fallback.png');
    await context.close();
  });
});
