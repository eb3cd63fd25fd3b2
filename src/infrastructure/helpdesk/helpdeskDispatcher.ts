import type { Logger } from '../logger';
import type { RecordStore } from '../records/recordStore';
import { pendingTickets, type Ticket } from '../../domain/helpdesk/ticket';

/** What happened to a ticket when the user submitted it. */
export type DeliveryStatus =
  /** The helpdesk's webhook accepted it. */
  | 'delivered'
  /** Stored; the webhook failed and delivery is retried. */
  | 'queued'
  /** Stored; no webhook is configured, so only the handoff event and the store carry it. */
  | 'stored';

/** How a ticket is posted: JSON for a Teams Workflow or Power Automate HTTP trigger. */
export type TicketPayload = (ticket: Ticket) => object;

export interface DispatcherOptions {
  webhookUrl: string;
  /** Waits before each retry of a failed delivery; the last one repeats. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

const DEFAULT_RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 1_800_000];

/**
 * Hands tickets to the helpdesk: stores each one first (nothing is lost if the webhook is down),
 * POSTs it to HELPDESK_WEBHOOK_URL, and retries a failed delivery with growing waits, also after
 * a restart (resume()).
 */
export class HelpdeskDispatcher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly retryDelays: number[];
  private readonly timeoutMs: number;

  constructor(
    private readonly store: RecordStore,
    private readonly payload: TicketPayload,
    private readonly logger: Logger,
    private readonly options: DispatcherOptions,
  ) {
    this.retryDelays = options.retryDelaysMs?.length ? options.retryDelaysMs : DEFAULT_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async submit(ticket: Ticket): Promise<DeliveryStatus> {
    await this.store.append('tickets', { event: 'created', at: ticket.createdAt, ticket });
    if (!this.options.webhookUrl) return 'stored';
    if (await this.deliver(ticket, 1)) return 'delivered';
    this.scheduleRetry(ticket, 2);
    return 'queued';
  }

  /** Picks up tickets that were stored but never delivered (after a restart). */
  async resume(): Promise<number> {
    if (!this.options.webhookUrl) return 0;
    const pending = pendingTickets(await this.store.read('tickets'));
    for (const ticket of pending) this.scheduleRetry(ticket, 2);
    return pending.length;
  }

  /** Stops the retry timers (shutdown, tests). Undelivered tickets stay stored for resume(). */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  get retrying(): number {
    return this.timers.size;
  }

  private async deliver(ticket: Ticket, attempt: number): Promise<boolean> {
    try {
      const response = await fetch(this.options.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(this.payload(ticket)),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
      await this.store.append('tickets', {
        event: 'delivered',
        at: new Date().toISOString(),
        reference: ticket.reference,
        attempt,
      });
      this.logger.info('ticket delivered', { reference: ticket.reference, attempt });
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // The webhook URL carries a signature: never log it.
      this.logger.warn('ticket delivery failed', { reference: ticket.reference, attempt, reason });
      await this.store
        .append('tickets', {
          event: 'failed',
          at: new Date().toISOString(),
          reference: ticket.reference,
          attempt,
          reason,
        })
        .catch(() => undefined);
      return false;
    }
  }

  private scheduleRetry(ticket: Ticket, attempt: number): void {
    if (this.timers.has(ticket.reference)) return;
    const delay = this.retryDelays[Math.min(attempt - 2, this.retryDelays.length - 1)] as number;
    const timer = setTimeout(() => {
      this.timers.delete(ticket.reference);
      void this.deliver(ticket, attempt).then((ok) => {
        if (!ok) this.scheduleRetry(ticket, attempt + 1);
      });
    }, delay);
    timer.unref();
    this.timers.set(ticket.reference, timer);
  }
}
