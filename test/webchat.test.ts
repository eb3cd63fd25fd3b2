import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type restify from 'restify';
import { createAssistant, createHttpServer } from '../src/app';
import { readSettings, type DirectLineSettings } from '../src/infrastructure/config';
import { createLogger, silentLogger, type Logger } from '../src/infrastructure/logger';
import { createServer } from '../src/channels/server/createServer';
import { LocalDirectLine, type LocalConversation } from '../src/channels/webchat/localDirectLine';
import { webChatRoutes, webChatSetup } from '../src/channels/webchat/webChatRoutes';
import { adaptiveCardProblems } from './support/adaptiveCards';
import { cardsDir, knowledgeDir, projectRoot } from './support/assistant';
import { stringsOf } from './support/botReplies';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: () => Record<string, unknown>;
}

function request(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: { ...(data !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function start(
  env: Record<string, string>,
  logger: Logger = silentLogger,
): Promise<{ server: restify.Server; url: string }> {
  const settings = readSettings({ PORT: '0', KNOWLEDGE_DIR: knowledgeDir, CARDS_DIR: cardsDir, ...env });
  const server = createHttpServer(settings, logger, createAssistant(settings, silentLogger));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('Web Chat page and the local Direct Line (no Azure)', () => {
  let server: restify.Server;
  let url: string;
  beforeAll(async () => ({ server, url } = await start({})));
  afterAll(() => server.close());

  async function session(locale = 'nl-NL') {
    const token = (await request(`${url}/api/directline/token`, 'POST', { userId: 'tester', locale })).json();
    const auth = { authorization: `Bearer ${token.token as string}` };
    const started = await request(`${url}/v3/directline/conversations`, 'POST', { locale }, auth);
    return { token, auth, started, id: token.conversationId as string };
  }

  it('serves the page, its script and the Web Chat bundle from the bot itself, with a strict CSP', async () => {
    const page = await request(`${url}/`, 'GET');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/webchat/webchat.js');
    expect(page.body).not.toMatch(/https?:\/\//);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const bundle = await request(`${url}/webchat/webchat.js`, 'GET');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toContain('javascript');
    expect(bundle.body.length).toBeGreaterThan(1_000_000);
    expect((await request(`${url}/webchat/page.js`, 'GET')).status).toBe(200);
    const config = (await request(`${url}/webchat/config.json`, 'GET')).json() as {
      mode: string;
      strings: Record<string, Record<string, string>>;
    };
    expect(config.mode).toBe('local');
    expect(Object.keys(config.strings).sort()).toEqual(['de', 'en', 'es', 'fr', 'nl']);
    expect(config.strings.nl?.['webchat.localMode']).toMatch(/test/);
  });

  it('starts a conversation with the welcome card and answers a Dutch question with a Dutch card', async () => {
    const { started, auth, id, token } = await session();
    expect(started.status).toBe(201);
    expect(started.json().conversationId).toBe(id);
    const first = (
      await request(`${url}/v3/directline/conversations/${id}/activities`, 'GET', undefined, auth)
    ).json() as {
      activities: { type: string; attachments?: { content: unknown }[] }[];
      watermark: string;
    };
    expect(first.activities).toHaveLength(1);
    expect(adaptiveCardProblems(first.activities[0]?.attachments?.[0]?.content)).toEqual([]);

    const sent = await request(
      `${url}/v3/directline/conversations/${id}/activities`,
      'POST',
      {
        type: 'message',
        text: 'de synchronisatie is gestopt sinds gisteren',
        locale: 'nl-NL',
        from: { id: 'someone-else' },
      },
      auth,
    );
    expect(sent.status).toBe(200);
    const next = (
      await request(
        `${url}/v3/directline/conversations/${id}/activities?watermark=${first.watermark}`,
        'GET',
        undefined,
        auth,
      )
    ).json() as {
      activities: {
        type: string;
        text?: string;
        from: { id: string; role: string };
        attachments?: { content: unknown }[];
      }[];
    };
    // The user's own message comes back first, as Direct Line echoes it, then the bot's replies.
    const [echo, ...replies] = next.activities;
    expect(echo).toMatchObject({
      type: 'message',
      text: 'de synchronisatie is gestopt sinds gisteren',
      channelId: 'directline',
      from: { id: token.userId, role: 'user' },
      conversation: { id },
      locale: 'nl-NL',
    });
    expect(String((echo as { id?: string }).id)).toMatch(new RegExp(`^${id}\\|\\d+$`));
    expect(replies.every((r) => r.type !== 'trace' && r.from.role === 'bot')).toBe(true);
    const answer = replies.find((r) => r.attachments?.length);
    const card = answer?.attachments?.[0]?.content;
    expect(adaptiveCardProblems(card)).toEqual([]);
    const text = stringsOf(card).join(' ');
    expect(text).toContain('De adreslijstsynchronisatie heeft al een tijd niet gedraaid of is gestopt');
    expect(text).toContain('Is het probleem hiermee opgelost?');
    expect(answer).toMatchObject({ conversation: { id }, replyToId: (echo as { id?: string }).id });
    expect(typeof (answer as { timestamp?: unknown }).timestamp).toBe('string');
    expect(JSON.stringify(card)).toContain('Action.OpenUrl');

    // Paging: from the newest watermark nothing new; from 0 everything again, in order.
    const { watermark } = (
      await request(`${url}/v3/directline/conversations/${id}/activities`, 'GET', undefined, auth)
    ).json() as { watermark: string };
    expect(Number(watermark)).toBe(1 + next.activities.length);
    const after = (
      await request(
        `${url}/v3/directline/conversations/${id}/activities?watermark=${watermark}`,
        'GET',
        undefined,
        auth,
      )
    ).json();
    expect(after).toEqual({ activities: [], watermark });
  });

  it('welcomes once, however often the conversation is started, and reconnects', async () => {
    const { auth, id } = await session('de-DE');
    await request(`${url}/v3/directline/conversations`, 'POST', { locale: 'de-DE' }, auth);
    const all = (
      await request(`${url}/v3/directline/conversations/${id}/activities`, 'GET', undefined, auth)
    ).json() as { activities: { type: string; locale?: string }[] };
    expect(all.activities).toHaveLength(1);
    const reconnect = await request(
      `${url}/v3/directline/conversations/${id}?watermark=1`,
      'GET',
      undefined,
      auth,
    );
    expect(reconnect.status).toBe(200);
    expect(reconnect.json()).toMatchObject({ conversationId: id, token: auth.authorization.slice(7) });
  });

  it("keeps conversations apart: no token 401, another conversation's token 403, unknown conversation 404", async () => {
    const a = await session();
    const b = await session();
    const path = `/v3/directline/conversations/${a.id}/activities`;
    expect((await request(`${url}${path}`, 'GET')).status).toBe(401);
    expect((await request(`${url}${path}`, 'GET', undefined, b.auth)).status).toBe(403);
    expect(
      (await request(`${url}/v3/directline/conversations/nope/activities`, 'GET', undefined, a.auth)).status,
    ).toBe(404);
    expect(
      (await request(`${url}/v3/directline/conversations`, 'POST', {}, { authorization: 'Bearer forged' }))
        .status,
    ).toBe(403);
  });

  it('refuses malformed activities with 400 and keeps serving', async () => {
    const { auth, id } = await session('en-US');
    const path = `${url}/v3/directline/conversations/${id}/activities`;
    expect((await request(path, 'POST', '{not json', auth)).status).toBe(400);
    expect((await request(path, 'POST', { text: 'no type' }, auth)).status).toBe(400);
    expect((await request(path, 'POST', [1, 2], auth)).status).toBe(400);
    expect((await request(path, 'POST', 'null', auth)).status).toBe(400);
    expect((await request(path, 'POST', '"message"', auth)).status).toBe(400);
    expect((await request(path, 'POST', { type: 'invoke', name: 'x' }, auth)).status).toBe(400);
    expect((await request(path, 'POST', { type: 'message', text: { a: 1 } }, auth)).status).toBe(400);
    expect((await request(path, 'POST', { type: 'message', text: 'x'.repeat(200_001) }, auth)).status).toBe(
      400,
    );
    const deep = `{"type":"message","text":"hi","value":${'{"n":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    expect((await request(path, 'POST', deep, auth)).status).toBe(400);
    const tooBig = await request(path, 'POST', { type: 'message', text: 'x'.repeat(300_000) }, auth);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.length).toBeLessThan(500);
    // Nothing refused was kept or answered: only the welcome card so far.
    const kept = (await request(path, 'GET', undefined, auth)).json() as { activities: unknown[] };
    expect(kept.activities).toHaveLength(1);
    expect((await request(path, 'POST', { type: 'message', text: 'hello' }, auth)).status).toBe(200);
    expect((await request(`${url}/healthz`, 'GET')).status).toBe(200);
    // And it still answers: the bot's reply to "hello" follows the welcome and the message.
    const after = (await request(path, 'GET', undefined, auth)).json() as {
      activities: { from?: { role?: string }; type: string }[];
    };
    expect(after.activities.length).toBeGreaterThan(2);
    expect(after.activities.slice(2).some((a) => a.type === 'message' && a.from?.role === 'bot')).toBe(true);
  });

  it('refreshes a token; the old one stops working', async () => {
    const { auth, id } = await session('en-US');
    const refreshed = (await request(`${url}/v3/directline/tokens/refresh`, 'POST', undefined, auth)).json();
    const path = `${url}/v3/directline/conversations/${id}/activities`;
    expect((await request(path, 'GET', undefined, auth)).status).toBe(403);
    expect(
      (await request(path, 'GET', undefined, { authorization: `Bearer ${refreshed.token as string}` }))
        .status,
    ).toBe(200);
  });
});

describe('local Direct Line store', () => {
  it('expires idle conversations and caps how many it keeps', () => {
    let now = 0;
    const store = new LocalDirectLine({ idleSeconds: 10, maxConversations: 3, now: () => now });
    const first = store.create('u1', 'en-US');
    now = 20_000;
    store.create('u2', 'en-US');
    expect(store.authorize(first.id, first.token).ok).toBe(false);
    store.create('u3', 'en-US');
    store.create('u4', 'en-US');
    store.create('u5', 'en-US');
    expect(store.size).toBe(3);
  });

  it('evicts the least recently used conversation, not the newest or one just used', () => {
    let now = 0;
    const store = new LocalDirectLine({ idleSeconds: 3600, maxConversations: 3, now: () => now });
    const [a, b, c] = ['a', 'b', 'c'].map((user) => {
      now += 1000;
      return store.create(user, 'en-US');
    }) as [LocalConversation, LocalConversation, LocalConversation];
    now += 1000;
    expect(store.authorize(a.id, a.token).ok).toBe(true); // a is used again: b is now the oldest
    now += 1000;
    const d = store.create('d', 'en-US');
    const alive = (x: LocalConversation) => store.authorize(x.id, x.token).ok;
    expect({ a: alive(a), b: alive(b), c: alive(c), d: alive(d) }).toEqual({
      a: true,
      b: false,
      c: true,
      d: true,
    });
  });

  it('refuses an expired token with 403 until it is refreshed', () => {
    let now = 0;
    const store = new LocalDirectLine({ tokenTtlSeconds: 60, idleSeconds: 3600, now: () => now });
    const conversation = store.create('u1', 'en-US');
    now = 61_000;
    expect(store.authorize(conversation.id, conversation.token)).toEqual({
      ok: false,
      status: 403,
      reason: 'token expired',
    });
    const fresh = store.refresh(conversation);
    expect(store.authorize(conversation.id, fresh).ok).toBe(true);
  });

  it('keeps at most maxActivities per conversation, blanking the oldest so watermarks stay put', () => {
    const store = new LocalDirectLine({ maxActivities: 3 });
    const conversation = store.create('u1', 'en-US');
    const ids = store.append(
      conversation,
      ['one', 'two', 'three', 'four', 'five'].map((text) => ({ type: 'message', text })),
    );
    const { activities, watermark } = store.since(conversation, undefined);
    expect(watermark).toBe('5');
    expect(activities.map((a) => a.id)).toEqual(ids);
    expect(activities.map((a) => a.text)).toEqual(['', '', 'three', 'four', 'five']);
    expect(store.since(conversation, '3').activities.map((a) => a.text)).toEqual(['four', 'five']);
  });
});

describe('production token endpoint (Azure Direct Line)', () => {
  const SECRET = 'dl-secret-never-sent-to-the-browser';
  let upstream: http.Server;
  let upstreamUrl: string;
  let status = 200;
  const seen: { auth?: string; body: string }[] = [];

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          status === 200
            ? JSON.stringify({ conversationId: 'abc', token: 'short-lived', expires_in: 1800 })
            : '{}',
        );
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(() => upstream.close());

  it('exchanges the secret server-side and hands the page only a token', async () => {
    const logged: string[] = [];
    const { server, url } = await start(
      { DIRECT_LINE_SECRET: SECRET, DIRECT_LINE_ENDPOINT: upstreamUrl },
      createLogger('debug', (line) => logged.push(line)),
    );
    try {
      status = 200;
      const reply = await request(`${url}/api/directline/token`, 'POST', { userId: 'u1', locale: 'de-DE' });
      expect(reply.status).toBe(200);
      expect(reply.json()).toMatchObject({
        token: 'short-lived',
        conversationId: 'abc',
        domain: `${upstreamUrl}/v3/directline`,
      });
      expect(reply.body).not.toContain(SECRET);
      expect(seen.at(-1)?.auth).toBe(`Bearer ${SECRET}`);
      expect(JSON.parse(seen.at(-1)?.body ?? '{}')).toEqual({ user: { id: 'dl_u1' } });
      // The local Direct Line is off in production.
      expect((await request(`${url}/v3/directline/conversations`, 'POST', {})).status).toBe(404);

      status = 500;
      const failed = await request(`${url}/api/directline/token`, 'POST', {});
      expect(failed.status).toBe(502);
      expect(failed.body).not.toContain(SECRET);
      expect(failed.json()).toEqual({ error: { code: 502, message: expect.any(String) as string } });
      const page = await request(`${url}/`, 'GET');
      expect(String(page.headers['content-security-policy'])).toContain(upstreamUrl);
      // The failure was logged, the secret never.
      expect(logged.some((line) => line.includes('token exchange failed'))).toBe(true);
      expect(logged.join('\n')).not.toContain(SECRET);
    } finally {
      server.close();
    }
  });

  it('refuses Web Chat with an App ID but no Direct Line secret (503)', async () => {
    const { server, url } = await start({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001' });
    try {
      expect((await request(`${url}/api/directline/token`, 'POST', {})).status).toBe(503);
    } finally {
      server.close();
    }
  });
});

describe('App Service extension token endpoint', () => {
  const SECRET = 'dl-secret-for-the-extension';
  const calls: { url: string; auth: string | null }[] = [];
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
    return new Response(JSON.stringify({ conversationId: 'ext-1', token: 'ext-token', expires_in: 3600 }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;

  async function extensionServer(directLine: Partial<DirectLineSettings>) {
    const server = createServer({
      endpoint: { requiresAuthentication: false, process: () => Promise.resolve() },
      logger: silentLogger,
      maxBodyBytes: 65536,
      maxConcurrentTurns: 100,
      health: () => ({}),
      routes: [
        webChatRoutes({
          directLine: {
            secret: '',
            endpoint: 'https://directline.botframework.com',
            extensionKey: '',
            siteName: '',
            ...directLine,
          },
          microsoftAppId: '00000000-0000-0000-0000-000000000001',
          companyName: 'Contoso',
          logger: silentLogger,
          strings: () => ({ defaultLanguage: 'en', languages: { en: {} } }),
          runTurn: () => Promise.resolve([]),
          pageDir: path.join(projectRoot, 'webchat'),
          fetch: fakeFetch,
        }),
      ],
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  it('gets the token from /.bot/ on the App Service itself; the page gets a relative domain', async () => {
    const { server, url } = await extensionServer({
      secret: SECRET,
      extensionKey: 'ext-key',
      siteName: 'dirsync',
    });
    try {
      const reply = await request(
        `${url}/api/directline/token`,
        'POST',
        { userId: 'u2' },
        { host: 'chat.contoso.example' },
      );
      expect(reply.status).toBe(200);
      expect(reply.json()).toMatchObject({
        token: 'ext-token',
        conversationId: 'ext-1',
        expiresIn: 3600,
        domain: '/.bot/v3/directline',
      });
      expect(reply.body).not.toContain(SECRET);
      expect(calls.at(-1)).toEqual({
        url: 'https://chat.contoso.example/.bot/v3/directline/tokens/generate',
        auth: `Bearer ${SECRET}`,
      });
      // A Host header that is not a host name is never sent the secret.
      const before = calls.length;
      const forged = await request(`${url}/api/directline/token`, 'POST', {}, { host: 'evil.example/x?' });
      expect(forged.status).toBe(400);
      expect(calls).toHaveLength(before);
      expect((await request(`${url}/v3/directline/conversations`, 'POST', {})).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('says why it cannot run with the extension key alone, and never falls back to the local Direct Line', async () => {
    expect(
      webChatSetup({
        directLine: { secret: '', endpoint: '', extensionKey: 'k', siteName: 's' },
        microsoftAppId: '',
      }),
    ).toEqual({
      mode: 'unavailable',
      reason: expect.stringContaining('DIRECT_LINE_SECRET') as string,
    });
    expect(
      webChatSetup({
        directLine: { secret: 's', endpoint: '', extensionKey: 'k', siteName: '' },
        microsoftAppId: '',
      }).mode,
    ).toBe('unavailable');
    const { server, url } = await start({ DirectLineExtensionKey: 'ext-key' });
    try {
      const reply = await request(`${url}/api/directline/token`, 'POST', {});
      expect(reply.status).toBe(503);
      expect(reply.body).toContain('DIRECT_LINE_SECRET');
      expect((await request(`${url}/v3/directline/conversations`, 'POST', {})).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
