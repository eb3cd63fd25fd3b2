import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { createAssistant } from '../src/app';
import { readSettings } from '../src/infrastructure/config';
import { silentLogger } from '../src/infrastructure/logger';
import type { ReportGroupLines } from '../src/domain/replies/reportReplies';
import { parseSyncErrorReport } from '../src/domain/reports/syncErrorReport';
import { adaptiveCardProblems } from './support/adaptiveCards';
import { cardsDir, HELPDESK, knowledgeDir } from './support/assistant';
import { cardsOf, messagesOf, stringsOf, submitActionsOf, traceOf } from './support/botReplies';
import { DialogConversation } from './support/dialogClient';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', 'reports', name), 'utf8');
type Reply = Partial<Activity>;
const reportTraceOf = (replies: Reply[]) =>
  replies.find((a) => a.type === 'trace' && a.name === 'SyncErrorReport') as
    (Reply & { value: { format: string; errors: unknown[]; unknown: number } }) | undefined;
const dataUrl = (bytes: Buffer | string, type = 'text/plain') =>
  `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
/** Every TextBlock text of a card: where markdown is rendered. */
function markdownTexts(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'TextBlock' && typeof record.text === 'string') found.push(record.text);
    if (record.type === 'Fact') found.push(String(record.title), String(record.value));
    Object.values(record).forEach(walk);
  };
  walk(card);
  return found;
}

// One assistant for the file: the report limits small enough to test the size refusal.
const assistant = createAssistant(
  {
    knowledgeDir,
    cardsDir,
    helpdeskContact: HELPDESK,
    reports: { ...readSettings({}).reports, maxBytes: 4096, fetchTimeoutMs: 2000 },
  },
  silentLogger,
);
const strings = (language: string) => assistant.kb.pack(language).strings;

describe('sync error report reader in the conversation', () => {
  it('reads a pasted Dutch report e-mail: trace, summary card, PowerShell search and CSV', async () => {
    const talk = new DialogConversation('nl-NL', assistant);
    const replies = await talk.say(fixture('email.nl.txt'));
    expect(traceOf(replies)).toMatchObject({ decision: 'command', command: 'syncErrorReport' });
    expect(reportTraceOf(replies)?.value).toEqual({
      format: 'email',
      errors: [
        {
          type: 'AttributeValueMustBeUnique',
          attribute: 'UserPrincipalName',
          count: 3,
          objects: ['k.jansen@fabrikam.nl', 'l.smit@fabrikam.nl', 'CN=M. de Wit,OU=HR,DC=fabrikam,DC=local'],
        },
        {
          type: 'DataValidationFailed',
          attribute: 'UserPrincipalName',
          count: 1,
          objects: ['n.vos@fabrikam'],
        },
      ],
      unknown: 1,
    });
    const [card] = cardsOf(replies);
    expect(adaptiveCardProblems(card)).toEqual([]);
    const cardStrings = stringsOf(card);
    expect(cardStrings).toEqual(
      expect.arrayContaining([
        'AttributeValueMustBeUnique · UserPrincipalName',
        'k.jansen@fabrikam.nl',
        'CN=M. de Wit,OU=HR,DC=fabrikam,DC=local',
        ' — UserPrincipalName: m.dewit@fabrikam.nl',
        'Fouttype dat ik niet ken: SoftDeletedObjectConflict',
      ]),
    );
    const meaning = assistant.kb.syncError('AttributeValueMustBeUnique', 'nl')?.meaning as string;
    expect(cardStrings.some((s) => s.includes(meaning))).toBe(true);
    const search = cardStrings.find((s) => s.startsWith('Get-ADObject -LDAPFilter')) as string;
    expect(search).toContain(
      "'(|(userPrincipalName=k.jansen@fabrikam.nl)(userPrincipalName=l.smit@fabrikam.nl)",
    );
    // The emulator channel takes files: the CSV of every error, formula-safe.
    const message = messagesOf(replies).find((m) => m.attachments?.some((a) => a.contentType === 'text/csv'));
    const csvUrl = message?.attachments?.find((a) => a.contentType === 'text/csv')?.contentUrl as string;
    const csv = Buffer.from(csvUrl.split(',')[1] as string, 'base64').toString('utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + 5);
    expect(csv).toContain('"DataValidationFailed","UserPrincipalName","n.vos@fabrikam","n.vos@fabrikam"');
  });

  it('still answers a question that merely names an error type with its topic', async () => {
    const talk = new DialogConversation('en-US', assistant);
    const replies = await talk.say('What does AttributeValueMustBeUnique mean for a UPN?');
    expect(reportTraceOf(replies)).toBeUndefined();
    expect(traceOf(replies)).toMatchObject({ decision: 'answer' });
    expect(traceOf(replies)?.topics[0]?.id).toBe('duplicate-upn');
  });

  it('shows three objects per type, the rest behind "Show all", paged; then a question is answered again', async () => {
    const users = Array.from({ length: 30 }, (_, i) => ({
      userPrincipalName: `user${i + 1}@fabrikam.com`,
      onPremisesProvisioningErrors: [
        {
          category: 'PropertyConflict',
          propertyCausingError: 'ProxyAddress',
          value: `smtp:shared${i}@fabrikam.com`,
        },
      ],
    }));
    const talk = new DialogConversation('de-DE', assistant);
    const replies = await talk.say(JSON.stringify({ value: users }));
    expect(reportTraceOf(replies)?.value.errors).toEqual([
      expect.objectContaining({ type: 'AttributeValueMustBeUnique', attribute: 'ProxyAddress', count: 30 }),
    ]);
    const [card] = cardsOf(replies);
    expect(stringsOf(card).filter((s) => /^user\d+@/.test(s))).toEqual([
      'user1@fabrikam.com',
      'user2@fabrikam.com',
      'user3@fabrikam.com',
    ]);
    const showAll = submitActionsOf(card).find((a) => a.data.action === 'reportPage');
    expect(showAll?.title).toBe('Alle 30 anzeigen');
    const page1 = await talk.submit(showAll?.data as Record<string, unknown>);
    const [pageCard] = cardsOf(page1);
    expect(adaptiveCardProblems(pageCard)).toEqual([]);
    expect(stringsOf(pageCard).filter((s) => /^user\d+@/.test(s))).toHaveLength(25);
    const next = submitActionsOf(pageCard).find((a) => a.data.action === 'reportPage');
    const page2 = await talk.submit(next?.data as Record<string, unknown>);
    const [lastCard] = cardsOf(page2);
    expect(stringsOf(lastCard).filter((s) => /^user\d+@/.test(s))).toEqual([
      'user26@fabrikam.com',
      'user27@fabrikam.com',
      'user28@fabrikam.com',
      'user29@fabrikam.com',
      'user30@fabrikam.com',
    ]);
    expect(submitActionsOf(lastCard).filter((a) => a.data.action === 'reportPage')).toEqual([]);
    const after = await talk.say('das Kennwort-Hash-Sync funktioniert nicht mehr');
    expect(traceOf(after)?.decision).toBe('answer');
    expect(traceOf(after)?.topics[0]?.id).toBe('password-hash-sync');
  });

  it('shows hostile values only as plain text runs: no markdown, no HTML, no template expansion', async () => {
    const hostile = [
      'Error Type,UserPrincipalName,Conflicting Attribute,Conflicting Value',
      'AttributeValueMustBeUnique,**bold**@fabrikam.com,UserPrincipalName,[click](https://evil.example)',
      'AttributeValueMustBeUnique,<script>alert(1)</script>,UserPrincipalName,${t.report.title}',
      `AttributeValueMustBeUnique,"{""type"":""AdaptiveCard"",""body"":[]}",UserPrincipalName,=cmd|' /C calc'!A0`,
    ].join('\n');
    const talk = new DialogConversation('en-US', assistant);
    const replies = await talk.say(hostile);
    expect(reportTraceOf(replies)?.value.errors).toEqual([expect.objectContaining({ count: 3 })]);
    const [card] = cardsOf(replies);
    expect(cardsOf(replies)).toHaveLength(1);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(stringsOf(card)).toEqual(
      expect.arrayContaining([
        '**bold**@fabrikam.com',
        '<script>alert(1)</script>',
        ' — UserPrincipalName: ${t.report.title}',
      ]),
    );
    for (const text of [...markdownTexts(card), ...messagesOf(replies).map((m) => m.text ?? '')]) {
      expect(text).not.toMatch(/<script|\*\*bold|\]\(https:\/\/evil|AdaptiveCard/);
    }
    const fallback = (card as { fallbackText: string }).fallbackText;
    expect(fallback).not.toMatch(/<script|\*\*bold|\]\(https/);
    // The PowerShell search carries the values hex-escaped: no quote, $ or parenthesis of theirs.
    const search = stringsOf(card).find((s) => s.startsWith('Get-ADObject')) as string;
    const filter = /-LDAPFilter '([^']*)'/.exec(search)?.[1] as string;
    expect(filter).toContain('(userPrincipalName=\\5bclick\\5d\\28https:\\2f\\2fevil.example\\29)');
    expect(filter).toContain('(userPrincipalName=\\24\\7bt.report.title\\7d)');
    expect(filter).toContain('(userPrincipalName==cmd\\7c\\27 \\2fC calc\\27\\21A0)');
    expect(filter).not.toMatch(/[$`"]/);
    // The CSV makes the formula text.
    const csvUrl = messagesOf(replies)[0]?.attachments?.find((a) => a.contentType === 'text/csv')
      ?.contentUrl as string;
    expect(Buffer.from(csvUrl.split(',')[1] as string, 'base64').toString('utf8')).toContain(
      `"'=cmd|' /C calc'!A0"`,
    );
  });

  it('leaves pasted Adaptive Card JSON, markdown and script tags to the topic recognizer, which does not echo them', async () => {
    const talk = new DialogConversation('en-US', assistant);
    for (const text of [
      '{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"**pwned** InvalidSoftMatch"}]}',
      '# Title\n**bold** [link](https://evil.example) <script>alert(1)</script>',
    ]) {
      const replies = await talk.say(text);
      expect(reportTraceOf(replies)).toBeUndefined();
      for (const card of cardsOf(replies))
        expect(stringsOf(card).join('\n')).not.toMatch(/pwned|evil\.example|<script/);
    }
  });
});

describe('report cards in every language', () => {
  it.each(assistant.kb.languages)(
    '%s: the summary and page cards pass the Adaptive Cards SDK',
    (language) => {
      const { replies } = assistant.services.reports;
      const report = parseSyncErrorReport(fixture('connect-health.es.csv'), replies.vocabulary, 'csv');
      const summary = replies.summary(report, language, true);
      expect(adaptiveCardProblems(summary.reply.card)).toEqual([]);
      expect(summary.csv?.text.split('\r\n').filter(Boolean)).toHaveLength(1 + 6);
      const page = replies.page(summary.groups[0] as ReportGroupLines, 0, 1, language);
      expect(adaptiveCardProblems(page.card)).toEqual([]);
      for (const key of Object.keys(strings('en')).filter((k) => k.startsWith('report.')))
        expect({ key, present: key in strings(language) }).toEqual({ key, present: true });
    },
  );
});

describe('sync error report files', () => {
  let server: http.Server;
  let otherHost = '';
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      res.end('Error: AttributeValueMustBeUnique\nUser: a@b.c');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    otherHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}/report.txt`;
  });
  afterAll(() => server.close());

  const sendFile = (talk: DialogConversation, attachment: Record<string, unknown>, locale?: string) =>
    (talk as unknown as { send(a: Partial<Activity>): Promise<Reply[]> }).send({
      type: 'message',
      attachments: [attachment] as unknown as Activity['attachments'],
      locale: locale ?? 'en-US',
    });

  it('reads an attached report file (a data: URL needs no download)', async () => {
    const talk = new DialogConversation('es-ES', assistant);
    const replies = await sendFile(
      talk,
      {
        contentType: 'text/csv',
        name: 'errores.csv',
        contentUrl: dataUrl(fixture('connect-health.es.csv'), 'text/csv'),
      },
      'es-ES',
    );
    expect(reportTraceOf(replies)?.value).toMatchObject({ format: 'csv', unknown: 1 });
    expect(reportTraceOf(replies)?.value.errors).toHaveLength(4);
    expect(adaptiveCardProblems(cardsOf(replies)[0])).toEqual([]);
  });

  it.each([
    [
      'binary',
      {
        contentType: 'application/pdf',
        name: 'report.pdf',
        contentUrl: dataUrl(Buffer.from('%PDF-1.7 ...')),
      },
    ],
    [
      'unsupported',
      { contentType: 'application/octet-stream', name: 'report.xlsx', contentUrl: dataUrl('a;b') },
    ],
    ['empty', { contentType: 'text/plain', name: 'report.txt', contentUrl: dataUrl('   ') }],
    ['tooLarge', { contentType: 'text/plain', name: 'report.txt', contentUrl: dataUrl('x'.repeat(5000)) }],
    [
      'garbled',
      {
        contentType: 'text/plain',
        name: 'report.txt',
        contentUrl: dataUrl(Buffer.from(Array.from({ length: 300 }, (_, i) => (i % 25) + 1))),
      },
    ],
  ])("refuses a %s file with its own message, in the user's language", async (problem, attachment) => {
    for (const language of ['en', 'fr']) {
      const talk = new DialogConversation(language === 'fr' ? 'fr-FR' : 'en-US', assistant);
      const replies = await sendFile(talk, attachment, language === 'fr' ? 'fr-FR' : 'en-US');
      const texts = messagesOf(replies).map((m) => m.text);
      const expected = (strings(language)[`report.file.${problem}`] as string).replace('{limit}', '4 KB');
      expect(texts).toEqual([expected]);
      expect(reportTraceOf(replies)).toBeUndefined();
    }
  });

  it("never downloads from a host that is not the channel's own (SSRF), nor a Teams link outside SharePoint", async () => {
    hits = 0;
    const talk = new DialogConversation('en-US', assistant);
    const refused = strings('en')['report.file.hostNotAllowed'];
    // DialogTestClient's serviceUrl is https://test.com: the file server is another host.
    expect(
      messagesOf(
        await sendFile(talk, { contentType: 'text/plain', name: 'r.txt', contentUrl: otherHost }),
      ).map((m) => m.text),
    ).toEqual([refused]);
    const teamsFile = {
      contentType: 'application/vnd.microsoft.teams.file.download.info',
      name: 'r.txt',
      content: { downloadUrl: otherHost, uniqueId: 'x', fileType: 'txt' },
    };
    expect(messagesOf(await sendFile(talk, teamsFile)).map((m) => m.text)).toEqual([refused]);
    expect(
      messagesOf(
        await sendFile(talk, { contentType: 'text/plain', name: 'r.txt', contentUrl: 'file:///etc/passwd' }),
      ).map((m) => m.text),
    ).toEqual([refused]);
    expect(hits).toBe(0);
  });
});
