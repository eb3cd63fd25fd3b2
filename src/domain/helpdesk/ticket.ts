import { randomInt } from 'node:crypto';

/** One line of the conversation as the helpdesk sees it. */
export interface HistoryEntry {
  from: 'user' | 'bot';
  text: string;
  at: string;
  /** For the bot's answers: the topic answered. */
  topicId?: string;
}

/** A request for a person at the helpdesk, with everything they need so the user repeats nothing. */
export interface Ticket {
  reference: string;
  createdAt: string;
  language: string;
  channel: string;
  conversationId: string;
  user: { id: string; name?: string; aadObjectId?: string };
  /** What the problem is, as the bot understood it (the user may have corrected it). */
  problem: string;
  /** What the user added in their own words. */
  details: string;
  topicId?: string;
  transcript: HistoryEntry[];
}

// No 0/O, 1/I/L: the reference is read over the phone.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A short reference the user can quote, e.g. DSA-7K3QXM. */
export function newTicketReference(): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `DSA-${code}`;
}

/** Tickets created but not yet delivered, from the tickets log. */
export function pendingTickets(records: Record<string, unknown>[]): Ticket[] {
  const created = new Map<string, Ticket>();
  for (const record of records) {
    if (record.event === 'created' && record.ticket) {
      const ticket = record.ticket as Ticket;
      created.set(ticket.reference, ticket);
    } else if (record.event === 'delivered' && typeof record.reference === 'string') {
      created.delete(record.reference);
    }
  }
  return [...created.values()];
}
