import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** What a Web Chat client sends or receives: Bot Framework activities as plain JSON. */
export type ActivityJson = Record<string, unknown>;

/** The result of a check: the conversation, or why not, as an HTTP status. */
export type Access =
  { ok: true; conversation: LocalConversation } | { ok: false; status: 401 | 403 | 404; reason: string };

export interface LocalConversation {
  id: string;
  userId: string;
  locale: string;
  token: string;
  tokenExpires: number;
  started: boolean;
  activities: ActivityJson[];
  lastUsed: number;
}

export interface LocalDirectLineOptions {
  tokenTtlSeconds?: number;
  idleSeconds?: number;
  maxConversations?: number;
  maxActivities?: number;
  now?: () => number;
}

/**
 * The conversations of the local Direct Line, for testing Web Chat without Azure: each has its own
 * token, so a browser can read only its own conversation. Kept in memory, capped, idle ones expire.
 */
export class LocalDirectLine {
  private readonly conversations = new Map<string, LocalConversation>();
  private readonly tokenTtl: number;
  private readonly idle: number;
  private readonly max: number;
  private readonly maxActivities: number;
  private readonly now: () => number;

  constructor(options: LocalDirectLineOptions = {}) {
    this.tokenTtl = (options.tokenTtlSeconds ?? 3600) * 1000;
    this.idle = (options.idleSeconds ?? 3600) * 1000;
    this.max = options.maxConversations ?? 1000;
    this.maxActivities = options.maxActivities ?? 500;
    this.now = options.now ?? Date.now;
  }

  get tokenTtlSeconds(): number {
    return this.tokenTtl / 1000;
  }

  /** A new conversation and its token (what Azure's tokens/generate returns). */
  create(userId: string, locale: string): LocalConversation {
    this.evict();
    const conversation: LocalConversation = {
      id: `local-${randomUUID()}`,
      userId,
      locale,
      token: newToken(),
      tokenExpires: this.now() + this.tokenTtl,
      started: false,
      activities: [],
      lastUsed: this.now(),
    };
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** The conversation a bearer token belongs to, when the token is current. */
  byToken(token: string): Access {
    for (const conversation of this.conversations.values()) {
      if (sameToken(conversation.token, token)) return this.current(conversation);
    }
    return { ok: false, status: 403, reason: 'unknown or expired token' };
  }

  /** Checks that the token opens this conversation. */
  authorize(conversationId: string, token: string | undefined): Access {
    if (!token) return { ok: false, status: 401, reason: 'a Bearer token is required' };
    const conversation = this.conversations.get(conversationId);
    if (!conversation) return { ok: false, status: 404, reason: 'no such conversation' };
    if (!sameToken(conversation.token, token)) {
      return { ok: false, status: 403, reason: 'this token is not for this conversation' };
    }
    return this.current(conversation);
  }

  /** A fresh token for the same conversation; the old one stops working. */
  refresh(conversation: LocalConversation): string {
    conversation.token = newToken();
    conversation.tokenExpires = this.now() + this.tokenTtl;
    return conversation.token;
  }

  /** Adds activities with Direct Line ids ("<conversation>|0000001"); returns the ids. */
  append(conversation: LocalConversation, activities: ActivityJson[]): string[] {
    return activities.map((activity) => {
      const id = `${conversation.id}|${String(conversation.activities.length).padStart(7, '0')}`;
      conversation.activities.push({ ...activity, id });
      if (conversation.activities.length > this.maxActivities) {
        // Keep positions (watermarks) stable: blank out the oldest rather than shifting.
        const old = conversation.activities.length - this.maxActivities - 1;
        conversation.activities[old] = { type: 'message', id: conversation.activities[old]?.id, text: '' };
      }
      return id;
    });
  }

  /** The activities after a watermark, and the new watermark (Direct Line's ActivitySet). */
  since(
    conversation: LocalConversation,
    watermark: string | undefined,
  ): { activities: ActivityJson[]; watermark: string } {
    const from = watermark && /^\d+$/.test(watermark) ? Number(watermark) : 0;
    return {
      activities: conversation.activities.slice(from),
      watermark: String(conversation.activities.length),
    };
  }

  get size(): number {
    return this.conversations.size;
  }

  private current(conversation: LocalConversation): Access {
    if (conversation.lastUsed < this.now() - this.idle) {
      // Idle too long: gone, as if evicted (it is on the next create).
      this.conversations.delete(conversation.id);
      return { ok: false, status: 404, reason: 'no such conversation' };
    }
    if (conversation.tokenExpires < this.now()) return { ok: false, status: 403, reason: 'token expired' };
    conversation.lastUsed = this.now();
    return { ok: true, conversation };
  }

  private evict(): void {
    const cutoff = this.now() - this.idle;
    for (const [id, c] of this.conversations) if (c.lastUsed < cutoff) this.conversations.delete(id);
    while (this.conversations.size >= this.max) {
      const oldest = [...this.conversations.values()].sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (!oldest) break;
      this.conversations.delete(oldest.id);
    }
  }
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
