import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type restify from 'restify';
import { createAssistant, createHttpServer, type Assistant } from '../src/app';
import { readSettings } from '../src/infrastructure/config';
import { createServer } from '../src/channels/server/createServer';
import { silentLogger } from '../src/infrastructure/logger';
import { adaptiveCardProblems } from './support/adaptiveCards';
import { cardsDir, knowledgeDir } from './support/assistant';
import { cardsOf, stringsOf, submitActionsOf, traceOf } from './support/botReplies';
import { get, post, TestChannel } from './support/channel';

const close = (server: restify.Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

async function listen(server: restify.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('HTTP server, driven as a channel drives it', () => {
  const channel = new TestChannel();
  let server: restify.Server;
  let botUrl: string;
  let assistant: Assistant;

  beforeAll(async () => {
    await channel.start();
    const settings = readSettings({
      PORT: '0',
      KNOWLEDGE_DIR: knowledgeDir,
      CARDS_DIR: cardsDir,
      MAX_BODY_BYTES: '65536',
    });
    assistant = createAssistant(settings, silentLogger);
    server = createHttpServer(settings, silentLogger, assistant);
    botUrl = await listen(server);
  });
  afterAll(async () => {
    await close(server);
    await channel.stop();
  });

  const send = async (conversationId: string, extra: Record<string, unknown>) => {
    const result = await post(
      `${botUrl}/api/messages`,
      JSON.stringify(channel.activity(conversationId, extra)),
    );
    return { ...result, replies: channel.replies.get(conversationId) ?? [] };
  };

  it('welcomes a member who joins, with a valid card', async () => {
    const id = randomUUID();
    const result = await send(id, {
      type: 'conversationUpdate',
      membersAdded: [
        { id: 'bot-1', name: 'Bot' },
        { id: 'user-1', name: 'User' },
      ],
      locale: 'nl-NL',
    });
    expect(result.status).toBe(200);
    const cards = cardsOf(result.replies);
    expect(cards).toHaveLength(1);
    expect(adaptiveCardProblems(cards[0])).toEqual([]);
    // In the locale's language: the Dutch intro, and the "All topics" button in Dutch.
    const strings = stringsOf(cards[0]).join('\n');
    expect(strings).toContain('Ik help bij adreslijstsynchronisatie in Microsoft 365');
    expect(strings).toContain('Alle onderwerpen');
    expect(strings).not.toContain('All topics');
  });

  it('answers a message with the recognition trace and an answer card', async () => {
    const id = randomUUID();
    const result = await send(id, {
      type: 'message',
      text: 'de synchronisatie draait al twee dagen niet meer',
      locale: 'nl-NL',
    });
    expect(result.status).toBe(200);
    const trace = traceOf(result.replies);
    expect(trace).toMatchObject({
      decision: 'answer',
      language: 'nl',
      locale: 'nl-NL',
      text: 'de synchronisatie draait al twee dagen niet meer',
    });
    expect(trace?.topics[0]?.id).toBe('sync-not-recent');
    expect(trace?.topics.length).toBeLessThanOrEqual(5);
    expect(trace?.topics.every((t) => t.score >= 0 && t.score <= 1)).toBe(true);
    expect(cardsOf(result.replies)).toHaveLength(1);
  });

  it('keeps the conversation across requests (clarify, then pick by number)', async () => {
    const id = randomUUID();
    const first = await send(id, { type: 'message', text: 'duplicate' });
    expect(traceOf(first.replies)?.decision).toBe('clarify');
    const options = submitActionsOf(cardsOf(first.replies)[0]).filter((a) => a.data.action === 'topic');
    const secondOption = options[1]?.data.topicId as string;
    expect(secondOption).toEqual(expect.any(String));
    const before = first.replies.length;
    await send(id, { type: 'message', text: '2' });
    const second = (channel.replies.get(id) ?? []).slice(before);
    // A lost dialog stack would take "2" for a new message and answer it with the fallback menu.
    expect(traceOf(second)).toMatchObject({ decision: 'command', topics: [{ id: secondOption }] });
    expect(cardsOf(second)).toHaveLength(1);
    expect(stringsOf(cardsOf(second)[0])).toContain(assistant.kb.topic(secondOption, 'en')?.title);
  });

  it("keeps an idle keep-alive connection open past Node's 5 s default, so a front end reusing it gets no reset", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets: unknown[] = [];
    const health = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = http.get(`${botUrl}/healthz`, { agent }, (res) => {
          sockets.push(res.socket);
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
      });
    try {
      expect(await health()).toBe(200);
      await new Promise((r) => setTimeout(r, 7_000));
      expect(await health()).toBe(200);
      // The same connection served both: the server did not close it while idle.
      expect(sockets[1]).toBe(sockets[0]);
    } finally {
      agent.destroy();
    }
  }, 15_000);

  it('serves /healthz', async () => {
    const result = await get(`${botUrl}/healthz`);
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'ok', topics: 14 });
  });

  const valid = () => channel.activity(randomUUID(), { type: 'message', text: 'hello' });
  /** An activity whose value is nested `levels` deep, written as text: JSON.stringify cannot go that deep. */
  const deep = (levels: number): string =>
    JSON.stringify(valid()).replace(/}$/, `,"value":${'{"n":'.repeat(levels)}1${'}'.repeat(levels)}}`);
  const malformed: [string, string | Buffer, number, Record<string, string>][] = [
    ['invalid JSON', '{"type": "message",', 400, {}],
    ['an empty object', '{}', 400, {}],
    ['a bare {"type":"message"}', '{"type":"message"}', 400, {}],
    ['a JSON array', '[1,2,3]', 400, {}],
    ['a JSON string', '"message"', 400, {}],
    ['null', 'null', 400, {}],
    ['no conversation', JSON.stringify({ ...valid(), conversation: undefined }), 400, {}],
    ['no from', JSON.stringify({ ...valid(), from: undefined }), 400, {}],
    ['a conversation without id', JSON.stringify({ ...valid(), conversation: {} }), 400, {}],
    ['a non-URL serviceUrl', JSON.stringify({ ...valid(), serviceUrl: 'not a url' }), 400, {}],
    ['a file: serviceUrl', JSON.stringify({ ...valid(), serviceUrl: 'file:///etc/passwd' }), 400, {}],
    ['a numeric type', JSON.stringify({ ...valid(), type: 42 }), 400, {}],
    ['no channelId', JSON.stringify({ ...valid(), channelId: undefined }), 400, {}],
    ['a recipient without id', JSON.stringify({ ...valid(), recipient: { name: 'Bot' } }), 400, {}],
    ['a locale that is not a short string', JSON.stringify({ ...valid(), locale: 'x'.repeat(40) }), 400, {}],
    ['attachments that are not a list', JSON.stringify({ ...valid(), attachments: { a: 1 } }), 400, {}],
    ['a member without id', JSON.stringify({ ...valid(), membersAdded: [{ name: 'New' }] }), 400, {}],
    [
      'a mention whose text is not a string',
      JSON.stringify({
        ...valid(),
        channelId: 'msteams',
        entities: [{ type: 'mention', mentioned: { id: 'bot-1' }, text: 7 }],
      }),
      400,
      {},
    ],
    ['text that is an object', JSON.stringify({ ...valid(), text: { a: 1 } }), 400, {}],
    ['nesting 40 levels deep', deep(40), 400, {}],
    ['nesting 5,000 levels deep', deep(5000), 400, {}],
    ['a body over the size limit', JSON.stringify({ ...valid(), text: 'x'.repeat(70_000) }), 413, {}],
    ['a non-JSON content type', 'type=message', 415, { 'content-type': 'application/x-www-form-urlencoded' }],
    ['an entity that is null', JSON.stringify({ ...valid(), entities: [null] }), 400, {}],
    ['an entity without a type', JSON.stringify({ ...valid(), entities: [{ text: 'x' }] }), 400, {}],
    [
      'a mention without mentioned.id',
      JSON.stringify({ ...valid(), channelId: 'msteams', entities: [{ type: 'mention', mentioned: null }] }),
      400,
      {},
    ],
    [
      'an invoke the bot does not take',
      JSON.stringify({ ...valid(), type: 'invoke', name: 'task/fetch' }),
      400,
      {},
    ],
  ];

  it.each(malformed)(
    'refuses %s with a 4xx and a short reason, and stays up',
    async (_name, body, status, headers) => {
      const result = await post(`${botUrl}/api/messages`, body, headers);
      expect(result.status).toBe(status);
      expect(result.body.length).toBeLessThan(500);
      expect((await get(`${botUrl}/healthz`)).status).toBe(200);
    },
  );

  it('answers a message whose lists are null, and a Teams card click that carries a mention but no text', async () => {
    const nullLists = await send(randomUUID(), {
      type: 'message',
      text: 'password hash sync is not working',
      entities: null,
      attachments: null,
    });
    expect(nullLists.status).toBe(200);
    expect(traceOf(nullLists.replies)?.decision).toBe('answer');
    const teamsChannel = randomUUID();
    const click = await send(teamsChannel, {
      type: 'message',
      channelId: 'msteams',
      conversation: { id: teamsChannel, conversationType: 'channel' },
      value: { action: 'menu' },
      entities: [{ type: 'mention', mentioned: { id: 'bot-1', name: 'Bot' }, text: '<at>Bot</at>' }],
    });
    expect(click.status).toBe(200);
    const menuTopics = (replies: Record<string, unknown>[]) =>
      submitActionsOf(cardsOf(replies)[0])
        .filter((a) => a.data.action === 'topic')
        .map((a) => a.data.topicId);
    expect(cardsOf(click.replies)).toHaveLength(1);
    expect(menuTopics(click.replies)).toEqual(assistant.kb.topicIds);
    // In a channel Teams sends a button click without any mention: it is still for the bot.
    const before = click.replies.length;
    const plainClick = await send(teamsChannel, {
      type: 'message',
      channelId: 'msteams',
      conversation: { id: teamsChannel, conversationType: 'channel' },
      value: { action: 'menu' },
    });
    expect(plainClick.status).toBe(200);
    expect(menuTopics(plainClick.replies.slice(before))).toEqual(assistant.kb.topicIds);
  });

  it('answers unknown activity types without error, and says nothing', async () => {
    const result = await send(randomUUID(), { type: 'typing' });
    expect(result.status).toBeLessThan(300);
    // A turn error would have apologized here.
    expect(result.replies).toEqual([]);
  });

  it('keeps serving when the channel cannot be reached for the reply', async () => {
    const activity = {
      ...channel.activity(randomUUID(), { type: 'message', text: 'sync is broken' }),
      serviceUrl: 'http://127.0.0.1:9/',
    };
    // The reply fails (after the connector client's retries); onTurnError logs it and the turn ends.
    const result = await post(`${botUrl}/api/messages`, JSON.stringify(activity));
    expect(result.status).toBe(200);
    expect((await get(`${botUrl}/healthz`)).status).toBe(200);
    const next = await send(randomUUID(), { type: 'message', text: 'help' });
    expect(next.replies.length).toBeGreaterThan(0);
  }, 30_000);
});

describe('HTTP server with an App ID configured', () => {
  let server: restify.Server;
  let botUrl: string;
  beforeAll(async () => {
    const settings = readSettings({
      KNOWLEDGE_DIR: knowledgeDir,
      CARDS_DIR: cardsDir,
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'MultiTenant',
    });
    server = createHttpServer(settings, silentLogger, createAssistant(settings, silentLogger));
    botUrl = await listen(server);
  });
  afterAll(() => close(server));

  const activity = JSON.stringify({
    type: 'message',
    text: 'hello',
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1:9/',
    from: { id: 'u' },
    conversation: { id: 'c' },
    recipient: { id: 'b' },
  });

  it('refuses a request without credentials', async () => {
    const result = await post(`${botUrl}/api/messages`, activity);
    expect(result.status).toBe(401);
    expect(result.body).not.toContain('not-a-real-secret');
  });

  it('refuses a request with a forged token', async () => {
    const result = await post(`${botUrl}/api/messages`, activity, {
      authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.',
    });
    expect(result.status).toBe(401);
    expect(result.body).not.toContain('not-a-real-secret');
  });
});

describe('HTTP server with MESSAGE_RATE_LIMIT', () => {
  const channel = new TestChannel();
  let server: restify.Server;
  let botUrl: string;
  let assistant: Assistant;
  beforeAll(async () => {
    await channel.start();
    const settings = readSettings({
      KNOWLEDGE_DIR: knowledgeDir,
      CARDS_DIR: cardsDir,
      MESSAGE_RATE_LIMIT: '3',
    });
    assistant = createAssistant(settings, silentLogger);
    server = createHttpServer(settings, silentLogger, assistant);
    botUrl = await listen(server);
  });
  afterAll(async () => {
    await close(server);
    await channel.stop();
  });

  const say = async (conversationId: string, text: string, userId = 'user-1') => {
    const before = channel.replies.get(conversationId)?.length ?? 0;
    const activity = channel.activity(conversationId, {
      type: 'message',
      text,
      locale: 'nl-NL',
      from: { id: userId, name: userId },
    });
    const result = await post(`${botUrl}/api/messages`, JSON.stringify(activity));
    return { status: result.status, replies: (channel.replies.get(conversationId) ?? []).slice(before) };
  };

  it('answers up to the limit, says so once when it is passed, then stays silent for that user only', async () => {
    const id = randomUUID();
    for (let i = 0; i < 3; i++) {
      const turn = await say(id, 'de synchronisatie draait al twee dagen niet meer');
      expect(turn.status).toBe(200);
      expect(traceOf(turn.replies)).toBeDefined();
    }
    const notice = assistant.services.replies.say('nl', 'rateLimit.notice').text;
    const over = await say(id, 'hallo?');
    expect(over.status).toBe(200);
    expect(traceOf(over.replies)).toBeUndefined();
    expect(over.replies.map((r) => r.text)).toEqual([notice]);
    const silent = await say(id, 'hallo??');
    expect(silent.replies).toEqual([]);
    // Another person in the same (group) conversation is not held back.
    const colleague = await say(id, 'hoe tel ik de gesynchroniseerde objecten', 'user-2');
    expect(traceOf(colleague.replies)).toBeDefined();
  });
});

describe('HTTP server past capacity (MAX_CONCURRENT_TURNS)', () => {
  const until = async (condition: () => boolean): Promise<void> => {
    for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(condition()).toBe(true);
  };
  it('refuses what it cannot start at once with 503 and Retry-After, and takes activities again when turns end', async () => {
    const release: (() => void)[] = [];
    let processed = 0;
    const server = createServer({
      // A turn that lasts until the test ends it, as a slow turn under load would.
      endpoint: {
        requiresAuthentication: false,
        process: async (_req, res) => {
          await new Promise<void>((resolve) => release.push(resolve));
          processed++;
          res.status(200);
          res.end();
        },
      },
      logger: silentLogger,
      maxBodyBytes: 65536,
      maxConcurrentTurns: 2,
      retryAfterSeconds: 3,
      health: () => ({}),
    });
    const url = await listen(server);
    const channel = new TestChannel();
    await channel.start();
    try {
      const body = (): string =>
        JSON.stringify(channel.activity(randomUUID(), { type: 'message', text: 'hello', locale: 'en-US' }));
      const first = post(`${url}/api/messages`, body());
      const second = post(`${url}/api/messages`, body());
      await until(() => release.length === 2);
      const refused = await post(`${url}/api/messages`, body());
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('3');
      expect(JSON.parse(refused.body)).toEqual({ error: expect.any(String) });
      const health = JSON.parse((await get(`${url}/healthz`)).body) as { turnsInProgress: number };
      expect(health.turnsInProgress).toBe(2);
      for (const done of release.splice(0)) done();
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
      const again = post(`${url}/api/messages`, body());
      await until(() => release.length === 1);
      release.splice(0).forEach((done) => done());
      expect((await again).status).toBe(200);
      expect(processed).toBe(3);
    } finally {
      await close(server);
      await channel.stop();
    }
  });
});
