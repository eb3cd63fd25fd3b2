/**
 * Checks a request body before it reaches the Bot Framework adapter, which answers malformed
 * activities with a 500 and a turn error. Each failure is a 400 with a short reason.
 */
export type ActivityCheck = { ok: true } | { ok: false; reason: string };

export const MAX_DEPTH = 32;
/** Fields an activity carries as lists. */
const LIST_FIELDS = ['attachments', 'entities', 'membersAdded', 'membersRemoved'] as const;
// A pasted sync error report runs to many thousands of characters: the reader takes it, and any other
// long paste gets a polite word from the bot (mainDialog), not a refusal here. MAX_BODY_BYTES still caps it.
export const MAX_TEXT_LENGTH = 200_000;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const shortString = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

function depthOf(value: unknown, limit: number): number {
  // Iterative, so a hostile body nested 100,000 levels deep cannot overflow the stack.
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    if (typeof node === 'object' && node !== null)
      for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function hasAccount(v: unknown): boolean {
  return isObject(v) && shortString(v.id, 1024);
}

export function checkActivity(body: unknown): ActivityCheck {
  if (!isObject(body)) return { ok: false, reason: 'the body must be a JSON object (an activity)' };
  if (depthOf(body, MAX_DEPTH) > MAX_DEPTH)
    return { ok: false, reason: `the activity is nested deeper than ${MAX_DEPTH} levels` };
  if (!shortString(body.type, 64)) return { ok: false, reason: 'type: required, a non-empty string' };
  if (!hasAccount(body.conversation))
    return { ok: false, reason: 'conversation.id: required, a non-empty string' };
  if (!hasAccount(body.from)) return { ok: false, reason: 'from.id: required, a non-empty string' };
  if (!shortString(body.channelId, 64))
    return { ok: false, reason: 'channelId: required, a non-empty string' };
  if (!isHttpUrl(body.serviceUrl)) return { ok: false, reason: 'serviceUrl: required, an http(s) URL' };
  if (body.recipient !== undefined && !hasAccount(body.recipient))
    return { ok: false, reason: 'recipient.id: must be a non-empty string' };
  if (body.text !== undefined && body.text !== null) {
    if (typeof body.text !== 'string') return { ok: false, reason: 'text: must be a string' };
    if (body.text.length > MAX_TEXT_LENGTH)
      return { ok: false, reason: `text: longer than ${MAX_TEXT_LENGTH} characters` };
  }
  if (body.locale !== undefined && body.locale !== null && !shortString(body.locale, 35)) {
    return { ok: false, reason: 'locale: must be a short string such as nl-NL' };
  }
  for (const list of LIST_FIELDS) {
    if (body[list] !== undefined && body[list] !== null && !Array.isArray(body[list]))
      return { ok: false, reason: `${list}: must be an array` };
  }
  if (Array.isArray(body.entities)) {
    for (const entity of body.entities) {
      if (!isObject(entity) || !shortString(entity.type, 64))
        return { ok: false, reason: 'entities: every entity needs a type' };
      // The SDK's mention helpers read mentioned.id and text without checking them.
      if (entity.type.toLowerCase() === 'mention') {
        if (!hasAccount(entity.mentioned))
          return { ok: false, reason: 'entities: a mention needs mentioned.id' };
        if (entity.text !== undefined && typeof entity.text !== 'string')
          return { ok: false, reason: 'entities: a mention text must be a string' };
      }
    }
  }
  for (const members of ['membersAdded', 'membersRemoved'] as const) {
    const list = body[members];
    if (Array.isArray(list) && !list.every(hasAccount))
      return { ok: false, reason: `${members}: every member needs an id` };
  }
  return { ok: true };
}

/**
 * Drops list fields sent as null ("entities": null), which the SDK reads as lists (.length);
 * call it after checkActivity passed.
 */
export function withoutNullLists(body: Record<string, unknown>): Record<string, unknown> {
  for (const list of LIST_FIELDS) {
    if (body[list] === null) delete body[list];
  }
  return body;
}
