import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { tempDir } from './tempDirs';

/**
 * Local stand-ins for the two services the live tenant check talks to, serving the shapes that
 * Microsoft documents (Graph v1.0 reference; App Service managed identity, api-version 2019-08-01).
 */

export interface FakeObject {
  id: string;
  displayName: string;
  userPrincipalName?: string;
  mail?: string;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesLastSyncDateTime?: string | null;
  onPremisesProvisioningErrors: {
    category: string;
    occurredDateTime: string;
    propertyCausingError: string;
    value: string;
  }[];
}

export type GraphBehaviour =
  | { kind: 'normal' }
  /** 429 with Retry-After on the first `times` requests, then normal. */
  | { kind: 'throttled'; times: number; retryAfterSeconds: number }
  | { kind: 'failing'; status: number }
  | { kind: 'slow'; delayMs: number };

export interface GraphRequestRecord {
  method: string;
  url: string;
  authorization?: string;
  consistencyLevel?: string;
}

/** A self-signed certificate for 127.0.0.1, made with openssl for this test run. */
export function selfSignedCertificate(): { key: string; cert: string; certFile: string } {
  const dir = tempDir('graph-fake-');
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8'), certFile };
}

/** Microsoft Graph v1.0, the few resources the check reads, over https. */
export class GraphFake {
  organization: { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null } = {
    onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: new Date().toISOString(),
  };
  users: FakeObject[] = [];
  groups: FakeObject[] = [];
  contacts: FakeObject[] = [];
  /** Extra objects without errors, for $count. */
  counts = { users: 0, groups: 0, contacts: 0 };
  /** group id → member user ids. */
  memberships = new Map<string, Set<string>>();
  behaviour: GraphBehaviour = { kind: 'normal' };
  /** Objects per page of a collection, to exercise @odata.nextLink. */
  pageSize = 2;
  acceptedToken = '';
  readonly requests: GraphRequestRecord[] = [];
  url = '';
  private server?: https.Server;
  private throttledSoFar = 0;

  constructor(private readonly tls: { key: string; cert: string }) {}

  async start(): Promise<this> {
    this.server = https.createServer(this.tls, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    // Idle connections stay open longer than the client keeps them (undici: 4 s), so a request never
    // lands on a socket the server is closing at that moment.
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  reset(): void {
    this.behaviour = { kind: 'normal' };
    this.throttledSoFar = 0;
    this.requests.length = 0;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({
      method: req.method ?? '',
      url: url.pathname + url.search,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(typeof req.headers.consistencylevel === 'string'
        ? { consistencyLevel: req.headers.consistencylevel }
        : {}),
    });
    const behaviour = this.behaviour;
    if (behaviour.kind === 'slow') await new Promise((r) => setTimeout(r, behaviour.delayMs).unref());
    if (res.destroyed) return;
    if (behaviour.kind === 'failing')
      return error(
        res,
        behaviour.status,
        behaviour.status === 503 ? 'serviceNotAvailable' : 'generalException',
      );
    if (behaviour.kind === 'throttled' && this.throttledSoFar < behaviour.times) {
      this.throttledSoFar++;
      res.setHeader('Retry-After', String(behaviour.retryAfterSeconds));
      return error(res, 429, 'TooManyRequests');
    }
    if (req.headers.authorization !== `Bearer ${this.acceptedToken}`)
      return error(res, 401, 'InvalidAuthenticationToken');

    const route = url.pathname.replace(/^\/v1\.0/, '');
    const collections: Record<string, FakeObject[]> = {
      users: this.users,
      groups: this.groups,
      contacts: this.contacts,
    };
    let match: RegExpMatchArray | null;
    if (req.method === 'GET' && route === '/organization') {
      return json(res, {
        '@odata.context':
          'https://graph.microsoft.com/v1.0/$metadata#organization(onPremisesSyncEnabled,onPremisesLastSyncDateTime)',
        value: [{ id: '84841066-274d-4ec0-a5c1-276be684bdd3', ...this.organization }],
      });
    }
    if (req.method === 'GET' && (match = route.match(/^\/(users|groups|contacts)\/\$count$/))) {
      // $count is an advanced query: without ConsistencyLevel: eventual Graph refuses it.
      if (req.headers.consistencylevel !== 'eventual') return error(res, 400, 'Request_BadRequest');
      const kind = match[1] as keyof typeof this.counts;
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(String(this.counts[kind] + (collections[kind]?.length ?? 0)));
    }
    if (req.method === 'GET' && (match = route.match(/^\/(users|groups|contacts)$/))) {
      const kind = match[1] as string;
      const filter = url.searchParams.get('$filter');
      if (filter !== "onPremisesProvisioningErrors/any(e:e/category eq 'PropertyConflict')")
        return error(res, 400, 'Request_UnsupportedQuery');
      const all = (collections[kind] ?? []).filter((o) =>
        o.onPremisesProvisioningErrors.some((e) => e.category === 'PropertyConflict'),
      );
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
      const page = all.slice(skip, skip + this.pageSize);
      const next = skip + this.pageSize < all.length;
      const select = (url.searchParams.get('$select') ?? '').split(',');
      return json(res, {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#${kind}`,
        value: page.map((o) => pick(o, select)),
        ...(next
          ? {
              '@odata.nextLink': `${this.url}/v1.0/${kind}?$filter=${encodeURIComponent(filter)}&$select=${select.join(',')}&$top=999&$skiptoken=${skip + this.pageSize}`,
            }
          : {}),
      });
    }
    if (req.method === 'POST' && (match = route.match(/^\/users\/([^/]+)\/checkMemberGroups$/))) {
      const userId = decodeURIComponent(match[1] as string);
      if (!this.users.some((u) => u.id === userId) && !this.memberIds().has(userId))
        return error(res, 404, 'Request_ResourceNotFound');
      const { groupIds } = JSON.parse(body || '{}') as { groupIds?: string[] };
      return json(res, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)',
        value: (groupIds ?? []).filter((g) => this.memberships.get(g)?.has(userId)),
      });
    }
    if (req.method === 'GET' && (match = route.match(/^\/users\/([^/]+)$/))) {
      const user = this.users.find((u) => u.id === decodeURIComponent(match?.[1] as string));
      if (!user) return error(res, 404, 'Request_ResourceNotFound');
      return json(res, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
        ...pick(user, (url.searchParams.get('$select') ?? '').split(',')),
      });
    }
    return error(res, 400, 'BadRequest');
  }

  private memberIds(): Set<string> {
    return new Set([...this.memberships.values()].flatMap((s) => [...s]));
  }
}

function pick(o: FakeObject, select: string[]): Record<string, unknown> {
  return Object.fromEntries(
    select.filter((k) => k in o).map((k) => [k, (o as unknown as Record<string, unknown>)[k]]),
  );
}

function json(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true' });
  res.end(JSON.stringify(body));
}

/** Graph's error shape: { error: { code, message, innerError: { date, request-id, client-request-id } } }. */
function error(res: http.ServerResponse, status: number, code: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      error: {
        code,
        message: `fake Graph: ${code}`,
        innerError: { date: new Date().toISOString(), 'request-id': 'fake', 'client-request-id': 'fake' },
      },
    }),
  );
}

export interface IdentityRequestRecord {
  path: string;
  apiVersion: string | null;
  resource: string | null;
  clientId: string | null;
  identityHeader?: string;
}

/**
 * App Service's managed-identity endpoint (IDENTITY_ENDPOINT, IDENTITY_HEADER), which is plain
 * http on localhost on App Service too: GET ?api-version=2019-08-01&resource=... with X-IDENTITY-HEADER.
 */
export class ManagedIdentityFake {
  readonly secret = `identity-header-${Math.random().toString(36).slice(2)}`;
  readonly token = `fake-token-${Math.random().toString(36).slice(2)}`;
  readonly requests: IdentityRequestRecord[] = [];
  endpoint = '';
  private server?: http.Server;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const header = req.headers['x-identity-header'];
      this.requests.push({
        path: url.pathname,
        apiVersion: url.searchParams.get('api-version'),
        resource: url.searchParams.get('resource'),
        clientId: url.searchParams.get('client_id'),
        ...(typeof header === 'string' ? { identityHeader: header } : {}),
      });
      if (header !== this.secret || url.searchParams.get('api-version') !== '2019-08-01') {
        res.writeHead(400, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ statusCode: 400, message: 'bad request' }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: this.token,
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource: url.searchParams.get('resource'),
          token_type: 'Bearer',
          client_id: url.searchParams.get('client_id') ?? '5e0f5e4f-0000-4000-8000-000000000001',
        }),
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/msi/token`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
