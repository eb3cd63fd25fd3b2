import { randomUUID } from 'node:crypto';
import type restify from 'restify';
import type { Logger } from '../../infrastructure/logger';
import { checkActivity, withoutNullLists } from '../server/activityValidation';
import type { ActivityJson, LocalConversation, LocalDirectLine } from './localDirectLine';
import { fail, LOCALE } from './webChatHttp';

/** What Web Chat sends; anything else (invoke, conversationUpdate…) is not the browser's to send. */
const CLIENT_TYPES = new Set(['message', 'event', 'typing']);
/** Where the bot's replies would go outside a turn; the local Direct Line takes them in the turn. */
const LOCAL_SERVICE_URL = 'http://localhost/local-directline';
const BOT = { id: 'directory-sync-assistant', name: 'Directory Sync Assistant', role: 'bot' };

export interface LocalDirectLineRouteOptions {
  local: LocalDirectLine;
  /** Runs one activity through the adapter and the bot and returns the bot's replies. */
  runTurn: (activity: ActivityJson) => Promise<ActivityJson[]>;
  logger: Logger;
}

function bearer(req: restify.Request): string | undefined {
  const header = req.headers.authorization ?? '';
  return /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
}

/** The token endpoint's answer in local mode: a new local conversation, polled over the page's own host. */
export function localToken(local: LocalDirectLine, userId: string, locale: string): Record<string, unknown> {
  const conversation = local.create(userId, locale);
  return {
    token: conversation.token,
    conversationId: conversation.id,
    expiresIn: local.tokenTtlSeconds,
    domain: '/v3/directline',
    webSocket: false,
  };
}

/**
 * The local Direct Line's HTTP side, for testing Web Chat without Azure: the Direct Line 3.0
 * endpoints that Web Chat's polling client calls. Each message runs its turn within the request and
 * the bot's replies wait in the conversation for the next poll. Served only in local mode (no
 * Direct Line secret and no App ID): production goes through Azure's Direct Line instead.
 */
export function localDirectLineRoutes(
  options: LocalDirectLineRouteOptions,
): (server: restify.Server) => void {
  const { local } = options;

  async function runTurn(conversation: LocalConversation, activity: ActivityJson): Promise<void> {
    const replies = await options.runTurn({
      ...activity,
      channelId: 'directline',
      serviceUrl: LOCAL_SERVICE_URL,
      conversation: { id: conversation.id },
      recipient: BOT,
      timestamp: new Date().toISOString(),
    });
    local.append(
      conversation,
      replies
        .filter((r) => r.type !== 'trace')
        .map((r) => ({
          ...r,
          from: BOT,
          conversation: { id: conversation.id },
          timestamp: new Date().toISOString(),
        })),
    );
  }

  return (server) => {
    server.post('/v3/directline/conversations', async (req, res) => {
      const access = local.byToken(bearer(req) ?? '');
      if (!access.ok) return fail(res, bearer(req) ? access.status : 401, access.reason);
      const { conversation } = access;
      const body = (req.body ?? {}) as { locale?: unknown };
      if (typeof body.locale === 'string' && LOCALE.test(body.locale)) conversation.locale = body.locale;
      if (!conversation.started) {
        conversation.started = true;
        const user = { id: conversation.userId, role: 'user' };
        try {
          // Both join, as Direct Line reports it: the bot welcomes the user.
          await runTurn(conversation, {
            type: 'conversationUpdate',
            id: randomUUID(),
            from: user,
            membersAdded: [BOT, user],
            locale: conversation.locale,
          });
        } catch (error) {
          // The conversation still starts; the user just has no welcome card.
          options.logger.error('local Direct Line welcome failed', { error: (error as Error).message });
        }
      }
      res.status(201);
      res.json({
        conversationId: conversation.id,
        token: conversation.token,
        expires_in: local.tokenTtlSeconds,
      });
    });

    server.post('/v3/directline/tokens/refresh', async (req, res) => {
      const access = local.byToken(bearer(req) ?? '');
      if (!access.ok) return fail(res, bearer(req) ? access.status : 401, access.reason);
      res.json({
        conversationId: access.conversation.id,
        token: local.refresh(access.conversation),
        expires_in: local.tokenTtlSeconds,
      });
    });

    // Direct Line's reconnect: the conversation and a current token (directlinejs calls it for WebSockets).
    server.get('/v3/directline/conversations/:id', async (req, res) => {
      const access = local.authorize(String(req.params.id), bearer(req));
      if (!access.ok) return fail(res, access.status, access.reason);
      res.header('cache-control', 'no-store');
      res.json({
        conversationId: access.conversation.id,
        token: access.conversation.token,
        expires_in: local.tokenTtlSeconds,
      });
    });

    server.get('/v3/directline/conversations/:id/activities', async (req, res) => {
      const access = local.authorize(String(req.params.id), bearer(req));
      if (!access.ok) return fail(res, access.status, access.reason);
      const watermark =
        new URL(req.url ?? '/', 'http://localhost').searchParams.get('watermark') ?? undefined;
      res.header('cache-control', 'no-store');
      res.json(local.since(access.conversation, watermark));
    });

    server.post('/v3/directline/conversations/:id/activities', async (req, res) => {
      const access = local.authorize(String(req.params.id), bearer(req));
      if (!access.ok) return fail(res, access.status, access.reason);
      const activity = req.body as ActivityJson | undefined;
      if (!activity || typeof activity !== 'object' || Array.isArray(activity)) {
        return fail(res, 400, 'the body must be an activity (a JSON object)');
      }
      if (typeof activity.type !== 'string' || !CLIENT_TYPES.has(activity.type)) {
        return fail(res, 400, `type: one of ${[...CLIENT_TYPES].join(', ')}`);
      }
      const { conversation } = access;
      // The sender is whoever holds this conversation's token, whatever the body claims.
      const claimed = activity.from as { name?: unknown } | undefined;
      const from = {
        id: conversation.userId,
        ...(typeof claimed?.name === 'string' ? { name: claimed.name.slice(0, 100) } : {}),
        role: 'user',
      };
      const incoming: ActivityJson = {
        ...activity,
        channelId: 'directline',
        from,
        conversation: { id: conversation.id },
        locale:
          typeof activity.locale === 'string' && LOCALE.test(activity.locale)
            ? activity.locale
            : conversation.locale,
      };
      // The same checks as /api/messages: nesting depth, text length, list shapes.
      const check = checkActivity({ ...incoming, serviceUrl: LOCAL_SERVICE_URL, recipient: BOT });
      if (!check.ok) return fail(res, 400, check.reason);
      withoutNullLists(incoming);
      const [id] = local.append(conversation, [{ ...incoming, timestamp: new Date().toISOString() }]);
      try {
        await runTurn(conversation, { ...incoming, id });
      } catch (error) {
        options.logger.error('local Direct Line turn failed', { error: (error as Error).message });
        return fail(res, 500, 'the bot could not process this activity');
      }
      res.json({ id });
    });
  };
}
