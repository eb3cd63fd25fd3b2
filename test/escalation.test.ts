import { createAssistant, type Assistant } from '../src/app';
import { HelpdeskDispatcher } from '../src/infrastructure/helpdesk/helpdeskDispatcher';
import type { Ticket } from '../src/domain/helpdesk/ticket';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, silentLogger, type Logger } from '../src/infrastructure/logger';
import { MemoryRecordStore, type RecordStore } from '../src/infrastructure/records/recordStore';
import { adaptiveCardProblems } from './support/adaptiveCards';
import { cardsDir, HELPDESK, knowledgeDir } from './support/assistant';
import { cardsOf, messagesOf, stringsOf, submitActionsOf } from './support/botReplies';
import { DialogConversation } from './support/dialogClient';
import { knowledgeString } from './support/knowledgeStrings';
import { waitFor, WebhookReceiver } from './support/webhookReceiver';

type Replies = Awaited<ReturnType<DialogConversation['say']>>;

const allText = (replies: Replies): string =>
  messagesOf(replies)
    .flatMap((m) => [m.text ?? '', ...stringsOf(m.attachments ?? [])])
    .join('\n');

/** Every assistant and dispatcher a test made: their retry timers are stopped after each test, pass or fail. */
const started: { stop(): void }[] = [];
afterEach(() => started.splice(0).forEach((s) => s.stop()));

function assistantWith(
  webhookUrl: string,
  records: RecordStore = new MemoryRecordStore(),
  retryDelaysMs = [100],
  logger: Logger = silentLogger,
): Assistant {
  const assistant = createAssistant({ knowledgeDir, cardsDir, helpdeskContact: HELPDESK }, logger, {
    records,
    helpdeskWebhookUrl: webhookUrl,
    ticketRetryDelaysMs: retryDelaysMs,
  });
  started.push(assistant.helpdesk);
  return assistant;
}

/** A loopback address nothing listens on: a port taken from the system and given back. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/unreachable`;
}

/** Log lines as the production logger writes them, kept for inspection. */
function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('debug', (line) => lines.push(line)), lines };
}

const submitWith = (replies: Replies, match: (data: Record<string, unknown>) => boolean) => {
  for (const card of cardsOf(replies)) {
    const action = submitActionsOf(card).find((a) => match(a.data));
    if (action) return action.data;
  }
  throw new Error(`no such button in: ${allText(replies)}`);
};

const ticketFor = (reference: string): Ticket => ({
  reference,
  createdAt: new Date().toISOString(),
  language: 'en',
  channel: 'msteams',
  conversationId: 'c1',
  user: { id: 'u1' },
  problem: 'sync stopped',
  details: '',
  transcript: [],
});

const ticketEvents = async (assistant: Assistant) => assistant.records.read('tickets');

describe('escalation to the helpdesk', () => {
  const receiver = new WebhookReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  beforeEach(() => receiver.reset());
  /** What the webhook got for one ticket (a failed earlier test's retries may still arrive). */
  const attemptsFor = (reference: string | undefined) =>
    receiver.attempts.filter((a) => (a.body.ticket as Ticket | undefined)?.reference === reference);

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
    const flowId = flowButton.flowId as string;
    const firstQuestion = await talk.submit(flowButton);
    // The guided check is running: its first question waits for an answer.
    const start = assistant.kb.flow(flowId)?.start;
    expect(start).toEqual(expect.any(String));
    expect(submitWith(firstQuestion, (d) => d.action === 'flowAnswer')).toMatchObject({
      flowId,
      step: start,
    });
    const escalation = await talk.say('ik wil een medewerker spreken');
    expect(allText(escalation)).toContain(knowledgeString('nl', 'escalation.intro'));
    const confirm = await talk.submit(submitWith(escalation, (d) => d.step === 'skip'));
    expect(allText(confirm)).toContain(knowledgeString('nl', 'escalation.confirm'));
    expect(submitWith(confirm, (d) => d.step === 'send')).toMatchObject({ action: 'escalate', step: 'send' });
    const done = await talk.say('ja');
    expect(allText(done)).toMatch(/Je melding DSA-\w{6} ligt bij de helpdesk/);
    expect(receiver.received).toHaveLength(1);
    expect((receiver.received[0] as { ticket: Ticket }).ticket).toMatchObject({
      language: 'nl',
      topicId: 'sync-not-recent',
    });
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
    // The 100 ms retry may already have run (and failed again) on a slow runner: the history is
    // "created", then one "failed" per attempt so far, and nothing delivered while the webhook fails.
    const whileDown = await ticketEvents(assistant);
    expect(whileDown[0]?.event).toBe('created');
    expect(whileDown.slice(1).map((e) => [e.event, e.attempt])).toEqual(
      whileDown.slice(1).map((_, i) => ['failed', i + 1]),
    );
    expect(whileDown.length).toBeGreaterThanOrEqual(2);
    // Every try that reached the webhook was refused, and none was accepted. (Tries and "failed"
    // events need not pair up: one may be in flight, and a reused keep-alive socket can fail before
    // the request arrives.)
    expect(attemptsFor(reference).map((a) => a.status)).toEqual(attemptsFor(reference).map(() => 500));
    expect(receiver.received).toEqual([]);

    receiver.status = 202;
    await waitFor(async () => (await ticketEvents(assistant)).some((e) => e.event === 'delivered'));
    const events = await ticketEvents(assistant);
    expect(events.filter((e) => e.event === 'delivered')).toEqual([
      expect.objectContaining({ reference, attempt: events.length - 1 }),
    ]);
    expect(receiver.received).toHaveLength(1);
    expect((receiver.received[0] as { ticket: Ticket }).ticket.reference).toBe(reference);
    expect(assistant.helpdesk.retrying).toBe(0);
  });

  it('keeps retrying a failed delivery: one timer waits for the ticket, nothing else is sent meanwhile', async () => {
    receiver.status = 500;
    // A retry far away, so the state right after the turn is what the test reads, however slow the runner.
    const assistant = assistantWith(receiver.url, new MemoryRecordStore(), [600_000]);
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('talk to a person');
    await talk.submit({ action: 'escalate', step: 'skip' });
    const done = await talk.submit({ action: 'escalate', step: 'send' });
    expect((await ticketEvents(assistant)).map((e) => e.event)).toEqual(['created', 'failed']);
    expect(assistant.helpdesk.retrying).toBe(1);
    expect(attemptsFor(/DSA-\w{6}/.exec(allText(done))?.[0])).toHaveLength(1);
  });

  /** A conversation at "anything to add?": the question answered, then the person asked for with its button. */
  async function atAnythingToAdd(locale: string, question: string) {
    const assistant = assistantWith(receiver.url);
    const talk = new DialogConversation(locale, assistant);
    await talk.say(question);
    const asked = await talk.submit({ action: 'escalate', step: 'start' });
    return { assistant, talk, asked };
  }

  it.each([
    ['en-US', 'AAD Connect stopped syncing two days ago', 'ok thanks'],
    ['de-DE', 'die Synchronisierung läuft seit zwei Tagen nicht mehr', 'nein, das wars nicht'],
    ['fr-FR', 'la synchro est arrêtée depuis deux jours', "ok merci, j'attends l'appel alors"],
  ])(
    '[%s] "anything to add?" answered with a short thanks or no: the request goes as it is, without those words',
    async (locale, question, closing) => {
      const { talk, asked } = await atAnythingToAdd(locale, question);
      const language = locale.slice(0, 2);
      expect(allText(asked)).toContain(knowledgeString(language, 'escalation.intro'));
      const done = await talk.say(closing);
      expect(allText(done)).toMatch(/DSA-\w{6}/);
      expect(allText(done)).not.toContain(knowledgeString(language, 'escalation.confirm'));
      expect(receiver.received).toHaveLength(1);
      expect((receiver.received[0] as { ticket: Ticket }).ticket).toMatchObject({
        details: '',
        topicId: 'sync-not-recent',
      });
    },
  );

  it('thanks at "Send this to the helpdesk?" sends the request instead of adding the words to it', async () => {
    const { talk } = await atAnythingToAdd('es-ES', 'la sincronización lleva dos días parada');
    const confirm = await talk.say('desde el lunes, unas 40 personas de la oficina de Valencia');
    expect(allText(confirm)).toContain(knowledgeString('es', 'escalation.confirm'));
    const done = await talk.say('ok, mil gracias');
    expect(allText(done)).toMatch(/DSA-\w{6}/);
    expect(receiver.received).toHaveLength(1);
    expect((receiver.received[0] as { ticket: Ticket }).ticket.details).toBe(
      'desde el lunes, unas 40 personas de la oficina de Valencia',
    );
  });

  it.each([
    ['en-US', 'en', 'AAD Connect stopped syncing two days ago', 'actually hold on, it just synced. drop it'],
    // A first clause that is cancel in own words, the reason after it.
    [
      'en-US',
      'en',
      'AAD Connect stopped syncing two days ago',
      "oh wait nvm, mark from IT just walked past, he'll sort it",
    ],
    [
      'nl-NL',
      'nl',
      'AAD Connect synchroniseert al twee dagen niet meer',
      'laat toch maar, collega heeft het al opgelost',
    ],
    // A last clause that is cancel in own words, what happened before it.
    [
      'fr-FR',
      'fr',
      "la synchro d'annuaire ne tourne plus depuis deux jours",
      'ah attendez ça vient de marcher, oubliez la demande',
    ],
    [
      'en-US',
      'en',
      'AAD Connect stopped syncing two days ago',
      'hang on, the delta sync just went through, never mind the request',
    ],
  ])(
    '%s "anything to add?" answered with a cancel as its first or last clause sends nothing: "%s", then "%s"',
    async (locale, language, problem, reply) => {
      const { assistant, talk } = await atAnythingToAdd(locale, problem);
      const done = await talk.say(reply);
      expect(allText(done)).toContain(knowledgeString(language, 'escalation.notSent'));
      expect(await ticketEvents(assistant)).toEqual([]);
      expect(receiver.received).toHaveLength(0);
    },
  );

  it('a reply to "anything to add?" that says more than no is what the user adds, and waits for the confirmation', async () => {
    const { talk } = await atAnythingToAdd('en-US', 'AAD Connect stopped syncing two days ago');
    const confirm = await talk.say('no, it started on Monday for 15 users');
    expect(allText(confirm)).toContain(knowledgeString('en', 'escalation.confirm'));
    expect(allText(confirm)).toContain('it started on Monday for 15 users');
    expect(receiver.received).toHaveLength(0);
  });

  it('a new question typed at "anything to add?" sends the request with it and is answered too, also when the person was asked for mid-answer', async () => {
    const assistant = assistantWith(receiver.url);
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('AAD Connect stopped syncing two days ago');
    // Asked while "did this solve it?" waits: the escalation begins as an interruption.
    const asked = await talk.say('can you get someone from the server team to call me about this');
    expect(allText(asked)).toContain(knowledgeString('en', 'escalation.intro'));
    const question = "also while I'm here, how many objects are we actually syncing?";
    const replies = await talk.say(question);
    const text = allText(replies);
    expect(text).toMatch(/DSA-\w{6}/);
    expect(text).toContain(assistant.kb.topic('count-synced-objects', 'en')?.title as string);
    expect(receiver.received).toHaveLength(1);
    expect((receiver.received[0] as { ticket: Ticket }).ticket).toMatchObject({
      details: question,
      topicId: 'sync-not-recent',
    });
  });

  it('keeps the ticket when nothing listens at the webhook address', async () => {
    const assistant = assistantWith(await closedPortUrl());
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('talk to a human');
    await talk.submit({ action: 'escalate', step: 'skip' });
    const done = await talk.say('yes');
    expect(allText(done)).toContain("can't reach the helpdesk system");
    expect((await ticketEvents(assistant))[0]?.ticket).toMatchObject({
      problem: knowledgeString('en', 'escalation.unknownProblem'),
    });
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
      webhookUrl: await closedPortUrl(),
      retryDelaysMs: [60_000],
    });
    started.push(down);
    const ticket = ticketFor('DSA-TEST22');
    expect(await down.submit(ticket)).toBe('queued');
    down.stop();
    const restarted = new HelpdeskDispatcher(records, (t) => ({ ticket: t }), silentLogger, {
      webhookUrl: receiver.url,
      retryDelaysMs: [10],
    });
    started.push(restarted);
    expect(await restarted.resume()).toBe(1);
    await waitFor(async () => (await records.read('tickets')).some((e) => e.event === 'delivered'));
    expect(receiver.received).toHaveLength(1);
    expect(await restarted.resume()).toBe(0);
  });

  it('tells the user, with the helpdesk line, when the ticket cannot be stored, and hands nothing over', async () => {
    const memory = new MemoryRecordStore();
    const failing: RecordStore = {
      location: 'a store that is down',
      append: (kind, record) =>
        kind === 'tickets' ? Promise.reject(new Error('store unavailable')) : memory.append(kind, record),
      read: (kind) => memory.read(kind),
    };
    const assistant = assistantWith(receiver.url, failing);
    const talk = new DialogConversation('nl-NL', assistant);
    await talk.say('ik wil een medewerker spreken');
    await talk.submit({ action: 'escalate', step: 'skip' });
    const done = await talk.submit({ action: 'escalate', step: 'send' });
    const said = allText(done);
    expect(said).toContain(knowledgeString('nl', 'escalation.failed'));
    expect(said).toContain(HELPDESK);
    expect(said).not.toMatch(/DSA-\w{6}/);
    expect(done.filter((a) => a.type === 'event' && a.name === 'handoff.initiate')).toEqual([]);
    expect(receiver.attempts).toEqual([]);
    expect(talk.dialogStatus).toBe('complete');
  });

  it('gives up on a webhook that hangs after its time-out, and keeps the ticket for a retry', async () => {
    receiver.hang = true;
    const records = new MemoryRecordStore();
    const dispatcher = new HelpdeskDispatcher(records, (t) => ({ ticket: t }), silentLogger, {
      webhookUrl: receiver.url,
      retryDelaysMs: [600_000],
      timeoutMs: 300,
    });
    started.push(dispatcher);
    const began = Date.now();
    expect(await dispatcher.submit(ticketFor('DSA-HANG22'))).toBe('queued');
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(receiver.attempts).toHaveLength(1);
    const events = await records.read('tickets');
    expect(events.map((e) => e.event)).toEqual(['created', 'failed']);
    expect(String(events[1]?.reason)).toMatch(/time|abort/i);
    expect(dispatcher.retrying).toBe(1);
  });

  it('never writes the signed webhook URL to the log, whether delivery fails or succeeds', async () => {
    const { logger, lines } = capturedLogger();
    receiver.status = 500;
    const assistant = assistantWith(receiver.url, new MemoryRecordStore(), [50], logger);
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('talk to a person');
    await talk.submit({ action: 'escalate', step: 'skip' });
    await talk.submit({ action: 'escalate', step: 'send' });
    receiver.status = 202;
    await waitFor(async () => (await ticketEvents(assistant)).some((e) => e.event === 'delivered'));
    const unreachable = new HelpdeskDispatcher(new MemoryRecordStore(), (t) => ({ ticket: t }), logger, {
      webhookUrl: `${await closedPortUrl()}?sig=secret`,
      retryDelaysMs: [600_000],
    });
    started.push(unreachable);
    await unreachable.submit(ticketFor('DSA-DOWN22'));
    // The log did record the deliveries, so the check below reads real lines.
    expect(lines.filter((l) => l.includes('ticket delivery failed')).length).toBeGreaterThanOrEqual(2);
    expect(lines.filter((l) => l.includes('ticket delivered'))).toHaveLength(1);
    const secretParts = [new URL(receiver.url).search, 'sig=secret', new URL(receiver.url).pathname];
    expect(lines.filter((l) => secretParts.some((part) => l.includes(part)))).toEqual([]);
  });
});
