import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local stand-in for a helpdesk webhook (Teams Workflow / Power Automate): records POSTs, can fail. */
export class WebhookReceiver {
  /** The bodies it accepted (answered below 300). */
  readonly received: Record<string, unknown>[] = [];
  /** Every body posted, accepted or not, with the status it got: what the bot tried while the helpdesk failed. */
  readonly attempts: { status: number; body: Record<string, unknown> }[] = [];
  /** The status it answers with; 500 plays a helpdesk system that is down. */
  status = 202;
  /** Never answers: a helpdesk that hangs. */
  hang = false;
  private server?: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        if (this.hang) {
          this.attempts.push({ status: 0, body });
          return;
        }
        this.attempts.push({ status: this.status, body });
        if (this.status < 300) this.received.push(body);
        res.writeHead(this.status);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/workflows/helpdesk?sig=secret`;
    return this;
  }

  reset(): void {
    this.status = 202;
    this.hang = false;
    this.received.length = 0;
    this.attempts.length = 0;
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
