import type { TurnContext } from 'botbuilder';
import type { Entity, EntityExtractor, SenderTime } from '../domain/entities/entityExtractor';
import { readingLanguage } from './assistantServices';

const FACTS_READ = Symbol('factsRead');

/**
 * The facts a turn's message states, read in the language it is written in, at the sender's clock.
 * Read once a turn: a waiting dialog and then the main dialog may both ask for them, and reading
 * dates and numbers is the dearest step of a turn.
 */
export function factsInMessage(entities: EntityExtractor, context: TurnContext, text: string): Entity[] {
  let read = context.turnState.get(FACTS_READ) as Map<string, Entity[]> | undefined;
  if (!read) context.turnState.set(FACTS_READ, (read = new Map()));
  const key = `${readingLanguage(context)}\u0000${text}`;
  let facts = read.get(key);
  if (!facts)
    read.set(key, (facts = entities.extract(text, readingLanguage(context), userTimeOf(context.activity))));
  return [...facts];
}

/** The parts of an activity that tell the sender's clock (botbuilder adds rawLocalTimestamp). */
export interface SenderClock {
  rawLocalTimestamp?: string;
  localTimestamp?: Date | string;
  localTimezone?: string;
}

/**
 * The sender's clock, from what channels send: `localTimestamp` with its offset (Web Chat, the
 * Emulator and Teams send it; botbuilder keeps the original text as `rawLocalTimestamp`), else the
 * IANA `localTimezone`. "This morning at 8" means 8 in the user's time zone: App Service runs on
 * UTC, so before 08:00 UTC a German user's "heute morgen um 8" would otherwise lie in the future and
 * be no fact at all. The moment itself is the server's, so a client's wrong clock moves nothing.
 */
export function userTimeOf(activity: SenderClock, now: Date = new Date()): SenderTime {
  const offset = offsetOfTimestamp(activity) ?? offsetOfZone(activity.localTimezone, now);
  return offset === undefined ? { now } : { now, utcOffsetMinutes: offset };
}

/** Offsets beyond ±14 hours exist nowhere and are ignored. */
const MAX_OFFSET_MINUTES = 14 * 60;

function offsetOfTimestamp(activity: SenderClock): number | undefined {
  const raw =
    activity.rawLocalTimestamp ??
    (typeof activity.localTimestamp === 'string' ? activity.localTimestamp : undefined);
  const match = raw ? /(?:([+-])(\d{2}):?(\d{2})|Z)$/.exec(raw.trim()) : null;
  if (!match) return undefined;
  if (!match[1]) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  const offset = match[1] === '-' ? -minutes : minutes;
  return Math.abs(offset) <= MAX_OFFSET_MINUTES ? offset : undefined;
}

function offsetOfZone(timeZone: string | undefined, now: Date): number | undefined {
  if (!timeZone) return undefined;
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    }).formatToParts(now);
    const field = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
    const wall = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'));
    const offset = Math.round((wall - Math.floor(now.getTime() / 60_000) * 60_000) / 60_000);
    return Math.abs(offset) <= MAX_OFFSET_MINUTES ? offset : undefined;
  } catch {
    // An unknown zone name from a client is not worth a turn error.
    return undefined;
  }
}
