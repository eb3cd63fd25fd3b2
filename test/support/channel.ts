import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/**
 * A stand-in for the Bot Framework channel (what Bot Framework Emulator runs): it POSTs activities
 * to the bot and serves the connector API the bot replies through, recording every reply.
 */
export class TestChannel {
  readonly replies = new Map<string, Record<string, unknown>[]>();
  /** Messages the bot replaced (PUT, updateActivity), with the id of the message replaced. */
  readonly updates = new Map<string, { activityId: string; activity: Record<string, unknown> }[]>();
  /** Files users "uploaded", served at GET /v3/attachments/<name> as the Emulator serves them. */
  readonly files = new Map<string, { body: Buffer | string; contentType: string }>();
  private server?: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const file = req.method === 'GET' ? /^\/v3\/attachments\/([^/?]+)/.exec(req.url ?? '') : null;
        if (file) {
          const stored = this.files.get(decodeURIComponent(file[1] as string));
          res.writeHead(stored ? 200 : 404, { 'content-type': stored?.contentType ?? 'text/plain' });
          res.end(stored?.body ?? 'not found');
          return;
        }
        const match = req.url?.match(/^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/);
        // The id the channel gives a message the bot sends: a later click on its card replies to it.
        const id = randomUUID();
        if (match) {
          const conversation = decodeURIComponent(match[1] as string);
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
          if (req.method === 'PUT' && match[2]) {
            const list = this.updates.get(conversation) ?? [];
            list.push({ activityId: decodeURIComponent(match[2]), activity: body });
            this.updates.set(conversation, list);
          } else if (req.method === 'POST') {
            const list = this.replies.get(conversation) ?? [];
            list.push({ ...body, id: body.id ?? id });
            this.replies.set(conversation, list);
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  activity(conversationId: string, extra: Record<string, unknown>): Record<string, unknown> {
    return {
      id: randomUUID(),
      channelId: 'emulator',
      serviceUrl: this.url,
      timestamp: new Date().toISOString(),
      from: { id: 'user-1', name: 'User', role: 'user' },
      recipient: { id: 'bot-1', name: 'Bot', role: 'bot' },
      conversation: { id: conversationId },
      locale: 'en-US',
      ...extra,
    };
  }
}

export interface HttpResult {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function get(url: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
      })
      .on('error', reject);
  });
}
