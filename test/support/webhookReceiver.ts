import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local stand-in for a helpdesk webhook (Teams Workflow / Power Automate): records POSTs, can fail. */
export class WebhookReceiver {
  readonly received: Record<string, unknown>[] = [];
  /** The status it answers with; 500 plays a helpdesk system that is down. */
  status = 202;
  private server?: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.status < 300) {
          this.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
        }
        res.writeHead(this.status);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/workflows/helpdesk?sig=secret`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
