import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { adaptiveCardProblems } from './support/adaptiveCards';
import { cardsOf } from './support/botReplies';
import { channelAndBot } from './support/botServer';
import { post } from './support/channel';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', 'reports', name));

/** The Emulator protocol check: activities POSTed to /api/messages, replies recorded by a stand-in connector. */
describe('sync error reports over HTTP, as Bot Framework Emulator sends them', () => {
  const bot = channelAndBot();
  const { channel } = bot;

  const send = async (extra: Record<string, unknown>) => {
    const id = randomUUID();
    const result = await post(`${bot.url}/api/messages`, JSON.stringify(channel.activity(id, extra)));
    return { status: result.status, replies: channel.replies.get(id) ?? [] };
  };
  const reportTrace = (replies: Record<string, unknown>[]) =>
    replies.find((a) => a.type === 'trace' && a.name === 'SyncErrorReport');

  const expectedGermanEmail = {
    format: 'email',
    errors: [
      {
        type: 'AttributeValueMustBeUnique',
        attribute: 'ProxyAddresses',
        count: 2,
        objects: ['a.mueller@fabrikam.de', 'j.schulz@fabrikam.de'],
      },
      {
        type: 'ExistingAdminRoleConflict',
        attribute: 'UserPrincipalName',
        count: 1,
        objects: ['admin@fabrikam.de'],
      },
      { type: 'LargeObject', attribute: 'UserCertificate', count: 1, objects: ['k.weber@fabrikam.de'] },
    ],
    unknown: 0,
  };

  it('pasted text: one SyncErrorReport trace with the right counts, and the summary card', async () => {
    const result = await send({
      type: 'message',
      text: fixture('email.de.html').toString('utf8'),
      locale: 'de-DE',
    });
    expect(result.status).toBe(200);
    const trace = reportTrace(result.replies);
    expect(trace).toMatchObject({
      name: 'SyncErrorReport',
      label: 'Sync error report',
      valueType: 'syncErrorReport',
      value: expectedGermanEmail,
    });
    expect(result.replies.filter((a) => a.name === 'SyncErrorReport')).toHaveLength(1);
    const [card] = cardsOf(result.replies);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it('an attachment served by the Emulator: the same trace, read from the file', async () => {
    channel.files.set('bericht.html', { body: fixture('email.de.html'), contentType: 'text/html' });
    const result = await send({
      type: 'message',
      locale: 'de-DE',
      attachments: [
        {
          contentType: 'text/html',
          name: 'bericht.html',
          contentUrl: `${channel.url}/v3/attachments/bericht.html`,
        },
      ],
    });
    expect(result.status).toBe(200);
    expect(reportTrace(result.replies)?.value).toEqual(expectedGermanEmail);
  });

  it('a French .eml attachment and a Spanish CSV attachment', async () => {
    channel.files.set('rapport.eml', { body: fixture('email.fr.eml'), contentType: 'message/rfc822' });
    const eml = await send({
      type: 'message',
      locale: 'fr-FR',
      attachments: [
        {
          contentType: 'message/rfc822',
          name: 'rapport.eml',
          contentUrl: `${channel.url}/v3/attachments/rapport.eml`,
        },
      ],
    });
    expect(reportTrace(eml.replies)?.value).toMatchObject({ format: 'email', unknown: 0 });
    expect((reportTrace(eml.replies)?.value as { errors: unknown[] }).errors).toHaveLength(5);
    channel.files.set('errores.csv', { body: fixture('connect-health.es.csv'), contentType: 'text/csv' });
    const csv = await send({
      type: 'message',
      locale: 'es-ES',
      attachments: [
        {
          contentType: 'text/csv',
          name: 'errores.csv',
          contentUrl: `${channel.url}/v3/attachments/errores.csv`,
        },
      ],
    });
    expect(reportTrace(csv.replies)?.value).toMatchObject({
      format: 'csv',
      unknown: 1,
      errors: [
        { type: 'AttributeValueMustBeUnique', attribute: 'UserPrincipalName', count: 2 },
        { type: 'AttributeValueMustBeUnique', attribute: 'ProxyAddresses', count: 1 },
        { type: 'ExistingAdminRoleConflict', attribute: 'UserPrincipalName', count: 1 },
        { type: 'LargeObject', attribute: 'UserSMIMECertificate', count: 1 },
      ],
    });
  });

  it('a contentUrl on another host: a polite refusal, no download, no turn error', async () => {
    const result = await send({
      type: 'message',
      attachments: [
        { contentType: 'text/plain', name: 'r.txt', contentUrl: 'http://169.254.169.254/latest/meta-data' },
      ],
    });
    expect(result.status).toBe(200);
    const texts = result.replies.filter((a) => a.type === 'message').map((a) => a.text);
    expect(texts).toEqual(["I don't download files from that address. Attach the file in this chat itself."]);
  });
});
