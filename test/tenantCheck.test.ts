import { TestAdapter, type Activity } from 'botbuilder';
import { Agent } from 'undici';
import { createAssistant } from '../src/app';
import { readSettings } from '../src/infrastructure/config';
import type { TenantCheckService } from '../src/conversation/assistantServices';
import { createLogger, silentLogger, type Logger } from '../src/infrastructure/logger';
import { createSyncStatusSource } from '../src/infrastructure/syncStatus/createSyncStatusSource';
import type { SyncStatusSource } from '../src/domain/syncStatus/syncStatus';
import { cardsOf, messagesOf, stringsOf, submitActionsOf } from './support/botReplies';
import { cardsDir, HELPDESK, knowledgeDir } from './support/assistant';
import { GraphFake, ManagedIdentityFake, selfSignedCertificate, type FakeObject } from './support/graphFakes';

/**
 * The live tenant check (SYNC_STATUS_CHECK=graph) with the real DefaultAzureCredential and Graph
 * client, against a local https fake of Microsoft Graph and a local fake of App Service's
 * managed-identity endpoint. The fake's certificate is trusted through an undici dispatcher passed
 * as fetch options (Node's fetch takes no CA list otherwise; NODE_EXTRA_CA_CERTS does the same for
 * a whole process).
 */

const DETAILS_GROUP = '0d9c7a5e-1f44-4c3e-9a6b-6f0b2f3e1a10';
const MEMBER = { id: '6a1f0c36-9b7e-4f0e-8a53-1c1d2e3f4a5b', upn: 'k.jansen@fabrikam.com' };
const OUTSIDER = { id: '7b2a1d47-ac8f-4a1f-9b64-2d2e3f4a5b6c', upn: 'l.smit@fabrikam.com' };
const HOUR = 3600 * 1000;

const tls = selfSignedCertificate();
const graph = new GraphFake(tls);
const identity = new ManagedIdentityFake();
const dispatcher = new Agent({ connect: { ca: tls.cert } });
const saved = { ...process.env };

function conflicted(id: string, upn: string): FakeObject {
  return {
    id,
    displayName: upn.split('@')[0] as string,
    userPrincipalName: upn,
    onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: new Date(Date.now() - 0.2 * HOUR).toISOString(),
    onPremisesProvisioningErrors: [
      {
        category: 'PropertyConflict',
        occurredDateTime: new Date(Date.now() - 48 * HOUR).toISOString(),
        propertyCausingError: 'UserPrincipalName',
        value: upn,
      },
    ],
  };
}

function source(extraEnv: Record<string, string> = {}, logger: Logger = silentLogger): SyncStatusSource {
  const settings = readSettings({
    SYNC_STATUS_CHECK: 'graph',
    GRAPH_BASE_URL: graph.url,
    SYNC_STATUS_CACHE_SECONDS: '0',
    SYNC_STATUS_TIMEOUT_MS: '2000',
    SYNC_STATUS_DETAILS_GROUP_ID: DETAILS_GROUP,
    ...extraEnv,
  }).syncStatus;
  const created = createSyncStatusSource(settings, logger, { dispatcher });
  if (!created) throw new Error('the check should be on');
  return created;
}

/**
 * Where Graph answers, the tests allow 10 s (the longest the setting takes): they check what the answers say, and this shared test
 * machine has run them at a load of 18 on 2 cores. The failure tests use the default 2 s.
 */
const ANSWERING_BUDGET_MS = 10_000;
const sources = new Map<number, SyncStatusSource>();

/** One source per time-out for the whole file, as the bot keeps one: its token is fetched once. */
function sharedSource(timeoutMs: number): SyncStatusSource {
  let shared = sources.get(timeoutMs);
  if (!shared) {
    shared = source({ SYNC_STATUS_TIMEOUT_MS: String(timeoutMs) });
    sources.set(timeoutMs, shared);
  }
  return shared;
}

/** The whole bot as Teams drives it, with the live check on. */
function teamsBot(
  check: Partial<TenantCheckService> = {},
  channelId = 'msteams',
  logger: Logger = silentLogger,
  timeoutMs = ANSWERING_BUDGET_MS,
) {
  const assistant = createAssistant({ knowledgeDir, cardsDir, helpdeskContact: HELPDESK }, logger, {
    tenantCheck: {
      source:
        logger === silentLogger
          ? sharedSource(timeoutMs)
          : source({ SYNC_STATUS_TIMEOUT_MS: String(timeoutMs) }, logger),
      timeoutMs,
      verifiedIdentity: true,
      ...check,
    },
  });
  const adapter = new TestAdapter((context) => assistant.bot.run(context), { channelId });
  adapter.use(assistant.languageMiddleware);
  const send = async (user: { id: string }, extra: Partial<Activity>): Promise<Partial<Activity>[]> => {
    await adapter.processActivity({
      type: 'message',
      locale: 'en-US',
      from: { id: `29:${user.id}`, name: 'User', aadObjectId: user.id } as Activity['from'],
      conversation: { id: `personal-${user.id}`, conversationType: 'personal' } as Activity['conversation'],
      ...extra,
    });
    return adapter.activeQueue.splice(0);
  };
  return { send };
}

const cardText = (replies: Partial<Activity>[]): string => stringsOf(cardsOf(replies)).join('\n');

beforeAll(async () => {
  await Promise.all([graph.start(), identity.start()]);
  graph.acceptedToken = identity.token;
  // App Service sets these two for a managed identity; DefaultAzureCredential finds them.
  process.env.IDENTITY_ENDPOINT = identity.endpoint;
  process.env.IDENTITY_HEADER = identity.secret;
  for (const name of [
    'AZURE_CLIENT_ID',
    'AZURE_CLIENT_SECRET',
    'AZURE_TENANT_ID',
    'AZURE_CLIENT_CERTIFICATE_PATH',
    'MSI_ENDPOINT',
    'MSI_SECRET',
  ])
    delete process.env[name];
  // The bot measures once at start-up (src/index.ts); so do the shared sources here.
  await Promise.all([sharedSource(ANSWERING_BUDGET_MS).tenant(), sharedSource(2000).tenant()]);
});

afterAll(async () => {
  process.env = saved;
  await Promise.all([graph.stop(), identity.stop()]);
  await dispatcher.close();
});

beforeEach(() => {
  graph.reset();
  graph.organization = {
    onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: new Date(Date.now() - 26 * HOUR).toISOString(),
  };
  graph.users = [conflicted(MEMBER.id, MEMBER.upn), conflicted(OUTSIDER.id, OUTSIDER.upn)];
  graph.groups = [];
  graph.contacts = [];
  graph.counts = { users: 10, groups: 5, contacts: 1 };
  graph.memberships = new Map([[DETAILS_GROUP, new Set([MEMBER.id])]]);
});

describe('the Graph sync status source', () => {
  it('gets its token from the App Service managed-identity endpoint, as on App Service', async () => {
    await source().tenant();
    const request = identity.requests.at(-1);
    expect(request).toMatchObject({
      apiVersion: '2019-08-01',
      resource: graph.url,
      identityHeader: identity.secret,
    });
    expect(graph.requests.every((r) => r.authorization === `Bearer ${identity.token}`)).toBe(true);
  });

  it('reads the organization, pages through every object with errors, and counts with ConsistencyLevel: eventual', async () => {
    graph.users = Array.from({ length: 5 }, (_, i) =>
      conflicted(`00000000-0000-4000-8000-00000000000${i}`, `user${i}@fabrikam.com`),
    );
    graph.groups = [
      {
        ...conflicted('10000000-0000-4000-8000-000000000000', 'x'),
        userPrincipalName: undefined,
        mail: 'sales@fabrikam.com',
        onPremisesProvisioningErrors: [
          {
            category: 'PropertyConflict',
            occurredDateTime: '2026-11-30T10:00:00Z',
            propertyCausingError: 'ProxyAddresses',
            value: 'smtp:sales@fabrikam.com',
          },
        ],
      },
    ];
    const status = await source().tenant();
    expect(status.syncEnabled).toBe(true);
    expect(Date.now() - (status.lastSyncDateTime as Date).getTime()).toBeGreaterThan(25 * HOUR);
    expect(status.errorCounts).toEqual(
      expect.arrayContaining([
        { kind: 'user', category: 'PropertyConflict', property: 'UserPrincipalName', count: 5 },
        { kind: 'group', category: 'PropertyConflict', property: 'ProxyAddresses', count: 1 },
      ]),
    );
    // 5 users in pages of 2: the first page and two @odata.nextLink pages.
    expect(graph.requests.filter((r) => r.url.startsWith('/v1.0/users?'))).toHaveLength(3);
    expect(status.objectCount).toBe(10 + 5 + 5 + 1 + 1);
    const counts = graph.requests.filter((r) => r.url.endsWith('/$count'));
    expect(counts).toHaveLength(3);
    expect(counts.every((r) => r.consistencyLevel === 'eventual')).toBe(true);
  });

  it('waits what Retry-After asks on a 429 and then reads', async () => {
    graph.behaviour = { kind: 'throttled', times: 1, retryAfterSeconds: 1 };
    const started = Date.now();
    const status = await source().tenant();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(status.syncEnabled).toBe(true);
  });

  it('checks the details group for a person with checkMemberGroups', async () => {
    const s = source();
    await expect(s.mayViewDetails(MEMBER.id)).resolves.toBe(true);
    await expect(s.mayViewDetails(OUTSIDER.id)).resolves.toBe(false);
    await expect(s.mayViewDetails('not-a-guid')).resolves.toBe(false);
  });

  it('is off by default: no setting, no source', () => {
    const settings = readSettings({}).syncStatus;
    expect(settings.enabled).toBe(false);
    expect(createSyncStatusSource(settings, silentLogger)).toBeUndefined();
  });
});

describe('answers with the tenant measured now', () => {
  it('"sync hasn\'t run since yesterday": the measured last sync and the matching conclusion', async () => {
    const { send } = teamsBot();
    const replies = await send(OUTSIDER, { text: "sync hasn't run since yesterday" });
    const text = cardText(replies);
    expect(text).toMatch(/26 hours without a sync: the sync has stopped/);
    expect(text).toMatch(/26 hours ago \(.+ UTC\)/);
    expect(text).toContain('measured now');
    expect(text).toContain('you said');
    const check = submitActionsOf(cardsOf(replies)[0]).find((a) => a.data.checkTenant === true);
    expect(check?.title).toBe('Check the tenant now');
  });

  it('the conclusion follows the measurement, not the message: 20 minutes since the last sync is normal', async () => {
    graph.organization.onPremisesLastSyncDateTime = new Date(Date.now() - 20 * 60 * 1000).toISOString();
    const { send } = teamsBot();
    const text = cardText(await send(OUTSIDER, { text: "sync hasn't run since yesterday" }));
    expect(text).toMatch(/20 minutes since the last sync is normal/);
  });

  it('object quota: the counted objects feed the quota rules', async () => {
    graph.counts = { users: 60_000, groups: 0, contacts: 0 };
    const { send } = teamsBot();
    const text = cardText(await send(OUTSIDER, { value: { action: 'topic', topicId: 'object-quota' } }));
    expect(text).toMatch(/60,002 objects is above the default of 50,000/);
  });

  it('"Check the tenant now" measures again', async () => {
    const { send } = teamsBot();
    await send(OUTSIDER, { value: { action: 'topic', topicId: 'sync-not-recent' } });
    const before = graph.requests.filter((r) => r.url.startsWith('/v1.0/organization')).length;
    const replies = await send(OUTSIDER, {
      value: { action: 'topic', topicId: 'sync-not-recent', checkTenant: true },
    });
    expect(graph.requests.filter((r) => r.url.startsWith('/v1.0/organization')).length).toBe(before + 1);
    expect(cardText(replies)).toContain('measured now');
  });
});

describe('who sees what', () => {
  const ownTopic = { value: { action: 'topic', topicId: 'objects-not-syncing' } };

  it("a Teams user in the details group sees their own account's provisioning error", async () => {
    const { send } = teamsBot();
    const text = cardText(await send(MEMBER, ownTopic));
    expect(text).toMatch(
      /Your own account has a provisioning error \(measured now\): PropertyConflict on UserPrincipalName/,
    );
    expect(text).toContain(MEMBER.upn);
    expect(text).toContain('Conflicting value');
  });

  it('a Teams user outside the group sees counts only: no UPN, no value, no names', async () => {
    const { send } = teamsBot();
    const text = cardText(await send(OUTSIDER, ownTopic));
    expect(text).toMatch(/Your own account has 1 provisioning error/);
    expect(text).toMatch(/Objects with provisioning errors[\s\S]*2 \(UserPrincipalName: 2\)/);
    expect(text).not.toContain(OUTSIDER.upn);
    expect(text).not.toContain(MEMBER.upn);
  });

  it('without Bot Framework authentication (anonymous), a claimed Teams identity is not trusted', async () => {
    const { send } = teamsBot({ verifiedIdentity: false });
    const text = cardText(await send(MEMBER, ownTopic));
    expect(text).not.toContain(MEMBER.upn);
    expect(text).not.toContain('Your account');
    expect(text).toContain('Objects with provisioning errors');
  });

  it('the Emulator and Web Chat never get details, whatever id they send', async () => {
    const { send } = teamsBot({}, 'emulator');
    const text = cardText(await send(MEMBER, ownTopic));
    expect(text).not.toContain(MEMBER.upn);
    expect(graph.requests.some((r) => r.url.includes('checkMemberGroups'))).toBe(false);
  });

  it('logs nothing from Graph at info level', async () => {
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const { send } = teamsBot({}, 'msteams', createLogger('info'));
      await send(MEMBER, ownTopic);
      graph.behaviour = { kind: 'failing', status: 500 };
      await send(MEMBER, ownTopic);
    } finally {
      spy.mockRestore();
    }
    void write;
    const logged = lines.join('\n');
    expect(logged).not.toContain(MEMBER.upn);
    expect(logged).not.toContain('fabrikam');
  });
});

describe('when Graph is throttled, failing or slow', () => {
  const cases: [string, () => void][] = [
    [
      'throttled (429, Retry-After 30 s)',
      () => (graph.behaviour = { kind: 'throttled', times: 1000, retryAfterSeconds: 30 }),
    ],
    ['failing (503)', () => (graph.behaviour = { kind: 'failing', status: 503 })],
    ['failing (500)', () => (graph.behaviour = { kind: 'failing', status: 500 })],
    ['slow (4 s a call)', () => (graph.behaviour = { kind: 'slow', delayMs: 4000 })],
  ];
  it.each(cases)("%s: today's answer within 3 s, with one line saying so", async (_name, misbehave) => {
    misbehave();
    const { send } = teamsBot({}, 'msteams', silentLogger, 2000);
    const started = Date.now();
    const replies = await send(OUTSIDER, { text: "sync hasn't run since yesterday" });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(3000);
    const text = cardText(replies);
    expect(text).toContain("I couldn't check the tenant just now");
    // Today's answer: the conclusion from what the user said ("since yesterday").
    expect(text).toMatch(/without a sync/);
    expect(text).not.toContain('measured now');
    expect(messagesOf(replies).length).toBeGreaterThan(0);
  });
});
