import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../support/assistant';
import { botInBrowser } from './support/botInBrowser';

/**
 * A Dutch admin pastes the sync error report e-mail into the intranet Web Chat page (local Direct
 * Line, headless Chromium) and gets the summary card: counts per type, the first objects, the
 * PowerShell search. The screenshot is the one docs/sync-error-reports.md shows (docs/images/webchat-report-nl.png).
 */
const SCREENSHOT = path.join(projectRoot, 'docs', 'images', 'webchat-report-nl.png');
const REPORT = fs.readFileSync(path.join(projectRoot, 'test', 'fixtures', 'reports', 'email.nl.txt'), 'utf8');

jest.setTimeout(120000);

describe('a sync error report pasted in Web Chat, end to end in Chromium', () => {
  const bot = botInBrowser();

  it('answers the pasted report with the summary card, its objects shown as text, not markup', async () => {
    const context = await bot.browser.newContext({
      locale: 'nl-NL',
      viewport: { width: 1000, height: 1900 },
    });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${bot.url}/`);
    await page.locator('.ac-adaptiveCard').first().waitFor({ timeout: 30000 });

    const sendBox = page.getByPlaceholder('Beschrijf je synchronisatieprobleem');
    await sendBox.fill(REPORT);
    await sendBox.press('Enter');

    const card = page.locator('.ac-adaptiveCard').filter({
      has: page.getByText('Rapport met synchronisatiefouten: 5 fouten', { exact: true }),
    });
    await card.waitFor({ timeout: 30000 });
    const text = await card.innerText();
    for (const expected of [
      'Fouten per type en kenmerk, de grootste eerst',
      'AttributeValueMustBeUnique · UserPrincipalName (3)',
      'DataValidationFailed · UserPrincipalName (1)',
      'Fouttype dat ik niet ken: SoftDeletedObjectConflict (1)',
      'k.jansen@fabrikam.nl',
      'CN=M. de Wit,OU=HR,DC=fabrikam,DC=local',
      'Zoek deze objecten in je lokale Active Directory',
      'Get-ADObject -LDAPFilter',
    ]) {
      expect(text).toContain(expected);
    }
    expect(await card.getByRole('button', { name: 'Meer lezen' }).count()).toBeGreaterThanOrEqual(2);
    // The CSV of all errors comes as a file attachment Web Chat offers for download.
    await page.getByText('synchronisatiefouten.csv').first().waitFor({ timeout: 10000 });
    expect(dialogs).toEqual([]);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    // The card itself, whole: Web Chat keeps scrolling to the newest activity (the CSV below it).
    await card.evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    await card.screenshot({ path: SCREENSHOT });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10000);
    await context.close();
  });
});
