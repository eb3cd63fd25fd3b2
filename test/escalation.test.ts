import { createAssistant, type Assistant } from '../src/app';
import { HelpdeskDispatcher } from '../src/infrastructure/helpdesk/helpdeskDispatcher';
import type { Ticket } from '../src/domain/helpdesk/ticket';
import { silentLogger } from '../src/infrastructure/logger';
import { MemoryRecordStore } from '../src/infrastructure/records/recordStore';
import { adaptiveCardProblems } from './support/adaptiveCards';
import { cardsDir, HELPDESK, knowledgeDir } from './support/assistant';
import { cardsOf, messagesOf, stringsOf, submitActionsOf } from './support/botReplies';
import { DialogConversation } from './support/dialogClient';
import { waitFor, WebhookReceiver } from './support/webhookReceiver';

type Replies = Awaited<ReturnType<DialogConversation['say']>>;

const allText = (replies: Replies): string =>
  messagesOf(replies)
    .flatMap((m) => [m.text ?? '', ...stringsOf(m.attachments ?? [])])
    .join('\n');

function assistantWith(webhookUrl: string, records = new MemoryRecordStore()): Assistant {
  return createAssistant({ knowledgeDir, cardsDir, helpdeskContact: HELPDESK }, silentLogger, {
    records,
    helpdeskWebhookUrl: webhookUrl,
    ticketRetryDelaysMs: [100],
  });
}

const submitWith = (replies: Replies, match: (data: Record<string, unknown>) => boolean) => {
  for (const card of cardsOf(replies)) {
    const action = submitActionsOf(card).find((a) => match(a.data));
    if (action) return action.data;
  }
  throw new Error(`no such button in: ${allText(replies)}`);
};

const ticketEvents = async (assistant: Assistant) => assistant.records.read('tickets');

describe('escalation to the helpdesk', () => {
  const receiver = new WebhookReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  beforeEach(() => {
    receiver.status = 202;
    receiver.received.length = 0;
  });

  it('after "no": prefilled problem, an addition, confirmation, then webhook, handoff event and a reference', async () => {
    const assistant = assistantWith(receiver.url);
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('my password changed yesterday but Teams keeps asking for the old one');
    const sorry = await talk.say('no');
    const start = submitWith(sorry, (d) => d.action === 'escalate');
    expect(start).toMatchObject({ step: 'start', topicId: 'password-hash-sync' });
    expect(cardsOf(sorry).every((c) => adaptiveCardProblems(c).length === 0)).toBe(true);

    const details = await talk.submit(start);
    const title = assistant.kb.topic('password-hash-sync', 'en')?.title as string;
    expect(allText(details)).toContain(title);
    expect(allText(details)).toContain('Teams keeps asking for the old one');

    const confirm = await talk.say('since Monday, about 40 people in the Utrecht office');
    expect(allText(confirm)).toContain('since Monday, about 40 people');
    const done = await talk.submit(submitWith(confirm, (d) => d.step === 'send'));

    const reference = /DSA-[2-9A-HJKMNP-Z]{6}/.exec(allText(done))?.[0];
    expect(reference).toBeDefined();
    expect(allText(done)).toContain('is with the helpdesk');
    const handoff = done.find((a) => a.type === 'event' && a.name === 'handoff.initiate');
    expect(handoff?.value).toMatchObject({ reference, problem: expect.stringContaining(title) });
    const transcript = handoff?.attachments?.[0]?.content as { activities: { text: string }[] };
    expect(transcript.activities.map((a) => a.text)).toContain(
      'my password changed yesterday but Teams keeps asking for the old one',
    );

    expect(receiver.received).toHaveLength(1);
    const posted = receiver.received[0] as {
      type: string;
      attachments: { contentType: string; content: Record<string, unknown> }[];
      ticket: Ticket;
    };
    expect(posted.type).toBe('message');
    expect(posted.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(adaptiveCardProblems(posted.attachments[0]?.content)).toEqual([]);
    expect(stringsOf(posted.attachments[0]?.content).join('\n')).toContain(reference);
    expect(posted.ticket).toMatchObject({
      reference,
      topicId: 'password-hash-sync',
      details: 'since Monday, about 40 people in the Utrecht office',
      language: 'en',
    });
    const events = await ticketEvents(assistant);
    expect(events.map((e) => e.event)).toEqual(['created', 'delivered']);
  });

  it('starts from "talk to a person" at any point, in Dutch too, even in the middle of a guided check', async () => {
    const assistant = assistantWith(receiver.url);
    const talk = new DialogConversation('nl-NL', assistant);
    const answer = await talk.say('de synchronisatie is al twee dagen gestopt');
    const flowButton = submitWith(answer, (d) => d.action === 'flow');
    await talk.submit(flowButton);
    const escalation = await talk.say('ik wil een medewerker spreken');
    expect(allText(escalation)).toContain(assistant.kb.pack('nl').strings['escalation.intro']);
    const confirm = await talk.submit(submitWith(escalation, (d) => d.step === 'skip'));
    const done = await talk.say('ja');
    expect(allText(done)).toMatch(/Je melding DSA-\w{6} ligt bij de helpdesk/);
    expect(confirm).toBeDefined();
    expect(receiver.received).toHaveLength(1);
  });

  it('tells the user honestly when the helpdesk is unreachable, keeps the ticket and delivers it later', async () => {
    receiver.status = 500;
    const assistant = assistantWith(receiver.url);
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('AAD Connect stopped syncing two days ago');
    await talk.say('talk to a person');
    await talk.submit({ action: 'escalate', step: 'skip' });
    const done = await talk.submit({ action: 'escalate', step: 'send' });
    const text = allText(done);
    const reference = /DSA-\w{6}/.exec(text)?.[0];
    expect(text).toContain("can't reach the helpdesk system right now");
    expect(text).toContain(HELPDESK);
    expect((await ticketEvents(assistant)).map((e) => e.event)).toEqual(['created', 'failed']);
    expect(assistant.helpdesk.retrying).toBe(1);

    receiver.status = 202;
    await waitFor(async () => (await ticketEvents(assistant)).some((e) => e.event === 'delivered'));
    expect((receiver.received[0] as { ticket: Ticket }).ticket.reference).toBe(reference);
    assistant.helpdesk.stop();
  });

  it('keeps the ticket when nothing listens at the webhook address', async () => {
    const assistant = assistantWith('http://127.0.0.1:9/unreachable');
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('talk to a human');
    await talk.submit({ action: 'escalate', step: 'skip' });
    const done = await talk.say('yes');
    expect(allText(done)).toContain("can't reach the helpdesk system");
    expect((await ticketEvents(assistant))[0]?.ticket).toMatchObject({
      problem: assistant.kb.pack('en').strings['escalation.unknownProblem'],
    });
    assistant.helpdesk.stop();
  });

  it('without a webhook: the ticket is stored and the user gets the reference and the contact', async () => {
    const assistant = assistantWith('');
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('how many objects can I sync');
    await talk.say('contact the helpdesk');
    await talk.submit({ action: 'escalate', step: 'skip' });
    const done = await talk.submit({ action: 'escalate', step: 'send' });
    expect(allText(done)).toMatch(/recorded as DSA-\w{6}\..*servicedesk@contoso\.example/s);
    expect((await ticketEvents(assistant)).map((e) => e.event)).toEqual(['created']);
  });

  it('sends nothing when the user says no', async () => {
    const assistant = assistantWith(receiver.url);
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('talk to a person');
    await talk.say('it is about the address book');
    const done = await talk.say('no');
    expect(allText(done)).toContain("I didn't send anything");
    expect(await ticketEvents(assistant)).toEqual([]);
    expect(receiver.received).toHaveLength(0);
  });

  it('delivers tickets left undelivered by a previous run (resume)', async () => {
    const records = new MemoryRecordStore();
    const down = new HelpdeskDispatcher(records, (t) => ({ ticket: t }), silentLogger, {
      webhookUrl: 'http://127.0.0.1:9/down',
      retryDelaysMs: [60_000],
    });
    const ticket: Ticket = {
      reference: 'DSA-TEST22',
      createdAt: new Date().toISOString(),
      language: 'en',
      channel: 'msteams',
      conversationId: 'c1',
      user: { id: 'u1' },
      problem: 'sync stopped',
      details: '',
      transcript: [],
    };
    expect(await down.submit(ticket)).toBe('queued');
    down.stop();
    const restarted = new HelpdeskDispatcher(records, (t) => ({ ticket: t }), silentLogger, {
      webhookUrl: receiver.url,
      retryDelaysMs: [10],
    });
    expect(await restarted.resume()).toBe(1);
    await waitFor(async () => (await records.read('tickets')).some((e) => e.event === 'delivered'));
    expect(receiver.received).toHaveLength(1);
    expect(await restarted.resume()).toBe(0);
    restarted.stop();
  });
});
