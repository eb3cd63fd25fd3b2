import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { TranscriptLoggerMiddleware } from 'botbuilder';
import { createAssistant, createHttpServer, type Assistant } from '../src/app';
import { readSettings } from '../src/infrastructure/config';
import { MaskingTranscriptLogger, RecordTranscriptLogger } from '../src/channels/botframework/transcripts';
import { silentLogger } from '../src/infrastructure/logger';
import { buildReport, formatReport } from '../src/infrastructure/records/feedbackReport';
import { maskPersonalData } from '../src/infrastructure/records/personalData';
import { FileRecordStore, MemoryRecordStore } from '../src/infrastructure/records/recordStore';
import { cardsDir, HELPDESK, knowledgeDir } from './support/assistant';
import { post, TestChannel } from './support/channel';
import { DialogConversation } from './support/dialogClient';
import { tempDir } from './support/tempDirs';
import { waitFor } from './support/webhookReceiver';

function assistantWith(records = new MemoryRecordStore(), transcripts = false): Assistant {
  return createAssistant({ knowledgeDir, cardsDir, helpdeskContact: HELPDESK }, silentLogger, {
    records,
    ...(transcripts ? { transcripts: new MaskingTranscriptLogger(new RecordTranscriptLogger(records)) } : {}),
  });
}

describe('personal data in kept text', () => {
  it('masks e-mail addresses, UPNs, logons, phone numbers and the user name, and keeps the facts', () => {
    const masked = maskPersonalData(
      'Jan de Vries here: jan.devries@contoso.nl cannot sign in as CONTOSO\\jdevries, call +31 6 1234 5678 or 0301234567; 350.000 objects, 26 hours, AttributeValueMustBeUnique',
      ['Jan de Vries'],
    );
    expect(masked).not.toMatch(/jan\.devries|jdevries|1234 5678|0301234567|Vries/i);
    expect(masked).toContain('[e-mail]');
    expect(masked).toContain('[account]');
    expect(masked).toContain('[phone]');
    expect(masked).toContain('[name]');
    expect(masked).toContain('350.000 objects, 26 hours, AttributeValueMustBeUnique');
  });
});

describe('feedback and knowledge gaps', () => {
  it('keeps each verdict with topic, language, decision and scores, and nothing about the user', async () => {
    const assistant = assistantWith();
    const talk = new DialogConversation('nl-NL', assistant);
    await talk.say('mijn nieuwe wachtwoord werkt niet in Teams');
    await talk.say('ja');
    const [record] = await assistant.records.read('feedback');
    expect(record).toMatchObject({
      topicId: 'password-hash-sync',
      language: 'nl',
      helpful: true,
      decision: 'answer',
      channel: 'emulator',
    });
    expect((record?.scores as { id: string; score: number }[])[0]).toMatchObject({
      id: 'password-hash-sync',
    });
    expect(JSON.stringify(record)).not.toMatch(/user-|conversation-/);
  });

  it('records a "no" from the card button as well', async () => {
    const assistant = assistantWith();
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('how many objects can I sync');
    await talk.submit({ action: 'feedback', helpful: false, topicId: 'object-quota' });
    expect(await assistant.records.read('feedback')).toEqual([
      expect.objectContaining({ topicId: 'object-quota', helpful: false, language: 'en' }),
    ]);
  });

  it('keeps questions that fell back as knowledge gaps, masked', async () => {
    const assistant = assistantWith();
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('the printer on floor 3 is jammed, mail piet@contoso.com');
    await talk.say('how do I sync objects'); // answered or clarified: not a gap
    const gaps = await assistant.records.read('gaps');
    expect(gaps).toEqual([
      expect.objectContaining({ text: 'the printer on floor 3 is jammed, mail [e-mail]', language: 'en' }),
    ]);
  });

  it('reports per topic and language how often answers helped, and the most frequent gaps', () => {
    const feedback = [
      { topicId: 'object-quota', language: 'en', helpful: true },
      { topicId: 'object-quota', language: 'en', helpful: false },
      { topicId: 'object-quota', language: 'nl', helpful: true },
      { topicId: 'duplicate-upn', language: 'de', helpful: false },
    ];
    const gaps = [
      { text: 'Printer broken!', language: 'en' },
      { text: 'printer broken', language: 'en' },
      { text: 'VPN down', language: 'en' },
    ];
    const tickets = [
      { event: 'created', ticket: { reference: 'DSA-A' } },
      { event: 'created', ticket: { reference: 'DSA-B' } },
      { event: 'delivered', reference: 'DSA-A' },
    ];
    const report = buildReport(feedback, gaps, tickets);
    expect(report.topics).toEqual([
      { topicId: 'duplicate-upn', language: 'de', helpful: 0, notHelpful: 1 },
      { topicId: 'object-quota', language: 'en', helpful: 1, notHelpful: 1 },
      { topicId: 'object-quota', language: 'nl', helpful: 1, notHelpful: 0 },
    ]);
    expect(report.unanswered[0]).toEqual({ text: 'Printer broken!', language: 'en', count: 2 });
    expect(report.tickets).toEqual({ total: 2, pending: 1 });
    const text = formatReport(report, 'test');
    expect(text).toMatch(/object-quota\s+en\s+1\s+1\s+50%/);
    expect(text).toContain('2x  [en] Printer broken!');
  });

  it('keeps records as JSON lines under DATA_DIR, readable by another process', async () => {
    const dir = tempDir('dsa-records-');
    await new FileRecordStore(dir).append('gaps', { text: 'a', language: 'en' });
    await new FileRecordStore(dir).append('gaps', { text: 'b', language: 'nl' });
    fs.appendFileSync(path.join(dir, 'gaps', fs.readdirSync(path.join(dir, 'gaps'))[0] as string), '{"torn');
    expect((await new FileRecordStore(dir).read('gaps')).map((r) => r.text)).toEqual(['a', 'b']);
  });
});

describe('transcripts (BOT_TRANSCRIPTS=on)', () => {
  const channel = new TestChannel();
  beforeAll(() => channel.start());
  afterAll(() => channel.stop());

  async function converse(assistant: Assistant, text: string): Promise<void> {
    const settings = readSettings({ PORT: '0', KNOWLEDGE_DIR: knowledgeDir, CARDS_DIR: cardsDir });
    const server = createHttpServer(settings, silentLogger, assistant);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
    const result = await post(url, JSON.stringify(channel.activity(randomUUID(), { type: 'message', text })));
    expect(result.status).toBe(200);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  it('keeps both sides of the conversation with e-mail addresses and UPNs masked', async () => {
    const assistant = assistantWith(new MemoryRecordStore(), true);
    await converse(assistant, `user ${randomUUID().slice(0, 4)}@contoso.com has a duplicate UPN`);
    // botbuilder's TranscriptLoggerMiddleware does not await the logger: wait for both sides to land.
    await waitFor(
      async () =>
        (await assistant.records.read('transcripts')).filter((a) => a.type === 'message').length >= 2,
    );
    const transcript = await assistant.records.read('transcripts');
    const all = JSON.stringify(transcript);
    expect(all).not.toMatch(/@contoso\.com/);
    expect(all).toContain('[e-mail] has a duplicate UPN');
    const messages = transcript.filter((a) => a.type === 'message');
    expect(messages.map((a) => (a.from as { role?: string }).role)).toEqual(['user', 'bot']);
  });

  it('is off unless configured', async () => {
    const assistant = assistantWith();
    // The logger writes after the turn, unawaited, so an empty store alone could be read too early:
    // the middleware that would write is not there at all.
    expect(assistant.middleware.filter((m) => m instanceof TranscriptLoggerMiddleware)).toEqual([]);
    expect(
      assistantWith(new MemoryRecordStore(), true).middleware.filter(
        (m) => m instanceof TranscriptLoggerMiddleware,
      ),
    ).toHaveLength(1);
    await converse(assistant, 'hello');
    expect(await assistant.records.read('transcripts')).toEqual([]);
  });
});
