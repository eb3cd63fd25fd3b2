import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type restify from 'restify';
import type { DirectLineSettings } from '../../infrastructure/config';
import type { Logger } from '../../infrastructure/logger';
import { checkActivity, withoutNullLists } from '../server/activityValidation';
import { LocalDirectLine, type ActivityJson, type LocalConversation } from './localDirectLine';

/** How the page talks to the bot. */
export type WebChatMode =
  /** Azure Direct Line: tokens exchanged server-side for DIRECT_LINE_SECRET. */
  | 'azure'
  /** Direct Line App Service Extension: the same, through /.bot/ on this App Service. */
  | 'extension'
  /** The bot's own Direct Line, for local testing (no secret, no App ID). */
  | 'local'
  /** An App ID without a Direct Line secret: Azure would refuse the local Direct Line's turns. */
  | 'unavailable';

export interface WebChatOptions {
  directLine: DirectLineSettings;
  microsoftAppId: string;
  companyName: string;
  logger: Logger;
  /** The page's texts per language (webchat.* in each strings.yaml) and the default language. */
  strings: () => { defaultLanguage: string; languages: Record<string, Record<string, string>> };
  /** Runs one activity through the adapter and the bot and returns the bot's replies. */
  runTurn: (activity: ActivityJson) => Promise<ActivityJson[]>;
  /** Where the page's own files are (index.html, page.js, page.css). */
  pageDir: string;
  fetch?: typeof fetch;
  local?: LocalDirectLine;
}

export function webChatMode(options: Pick<WebChatOptions, 'directLine' | 'microsoftAppId'>): WebChatMode {
  return webChatSetup(options).mode;
}

/** The mode, and when Web Chat cannot run, why (for the log and the 503). */
export function webChatSetup(options: Pick<WebChatOptions, 'directLine' | 'microsoftAppId'>): {
  mode: WebChatMode;
  reason?: string;
} {
  const { secret, extensionKey, siteName } = options.directLine;
  if (extensionKey) {
    // Never fall back to the local Direct Line on a server that was meant to use the extension.
    if (!secret)
      return { mode: 'unavailable', reason: 'DirectLineExtensionKey is set but DIRECT_LINE_SECRET is not' };
    if (!siteName) {
      return {
        mode: 'unavailable',
        reason: 'the Direct Line App Service extension needs App Service (WEBSITE_SITE_NAME is not set)',
      };
    }
    return { mode: 'extension' };
  }
  if (secret) return { mode: 'azure' };
  if (options.microsoftAppId) {
    return { mode: 'unavailable', reason: 'Web Chat needs DIRECT_LINE_SECRET when MicrosoftAppId is set' };
  }
  return { mode: 'local' };
}

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** A Host header that can only name a host (and port): nothing else is sent the secret. */
const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9-]{1,63}(:\d{1,5})?$/;
/** What Web Chat sends; anything else (invoke, conversationUpdate…) is not the browser's to send. */
const CLIENT_TYPES = new Set(['message', 'event', 'typing']);
/** Where the bot's replies would go outside a turn; the local Direct Line takes them in the turn. */
const LOCAL_SERVICE_URL = 'http://localhost/local-directline';
const BOT = { id: 'directory-sync-assistant', name: 'Directory Sync Assistant', role: 'bot' };

function bearer(req: restify.Request): string | undefined {
  const header = req.headers.authorization ?? '';
  return /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
}

function fail(res: restify.Response, status: number, reason: string): void {
  res.status(status);
  res.json({ error: { code: status, message: reason } });
}

/**
 * Web Chat on the intranet, served by the bot itself (no CDN): the page at /, the Web Chat bundle
 * from the botframework-webchat package, a token endpoint, and in local mode the Direct Line 3.0
 * endpoints that Web Chat's polling client calls.
 */
export function webChatRoutes(options: WebChatOptions): (server: restify.Server) => void {
  const { mode, reason: unavailableReason } = webChatSetup(options);
  if (unavailableReason) options.logger.warn('Web Chat is unavailable', { reason: unavailableReason });
  const local = options.local ?? new LocalDirectLine();
  const doFetch = options.fetch ?? fetch;
  // The package exports only its entry points; its prebuilt browser bundle sits beside them.
  const bundle = path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
  const files: Record<string, { file: string; type: string }> = {
    '/webchat/webchat.js': { file: bundle, type: 'application/javascript; charset=utf-8' },
    '/webchat/page.js': {
      file: path.join(options.pageDir, 'page.js'),
      type: 'application/javascript; charset=utf-8',
    },
    '/webchat/page.css': { file: path.join(options.pageDir, 'page.css'), type: 'text/css; charset=utf-8' },
  };
  const azureDomain = `${options.directLine.endpoint.replace(/\/+$/, '')}/v3/directline`;
  const connectSources = [
    "'self'",
    ...(mode === 'azure' ? [new URL(options.directLine.endpoint).origin, 'wss:'] : []),
  ];
  const contentSecurityPolicy = [
    "default-src 'self'",
    "script-src 'self'",
    // Web Chat styles itself with generated <style> elements.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connectSources.join(' ')}`,
    "frame-ancestors 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

  const sendFile = (res: restify.Response, file: string, type: string, maxAge: number): void => {
    let body: Buffer;
    try {
      body = fs.readFileSync(file);
    } catch {
      return fail(res, 404, 'not found');
    }
    res.writeHead(200, {
      'content-type': type,
      'content-length': body.length,
      'cache-control': `public, max-age=${maxAge}`,
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  };

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

  async function exchange(userId: string, base: string, secret: string): Promise<Record<string, unknown>> {
    const response = await doFetch(`${base}/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
      signal: AbortSignal.timeout(10000),
    });
    if (!response.ok) throw new Error(`Direct Line answered ${response.status}`);
    const body = (await response.json()) as {
      token?: unknown;
      conversationId?: unknown;
      expires_in?: unknown;
    };
    if (typeof body.token !== 'string') throw new Error('Direct Line returned no token');
    return { token: body.token, conversationId: body.conversationId, expiresIn: body.expires_in };
  }

  return (server) => {
    server.get('/', async (_req, res) =>
      sendFile(res, path.join(options.pageDir, 'index.html'), 'text/html; charset=utf-8', 0),
    );
    for (const [route, { file, type }] of Object.entries(files)) {
      server.get(route, async (_req, res) =>
        sendFile(res, file, type, route === '/webchat/webchat.js' ? 86400 : 0),
      );
    }
    server.get('/webchat/config.json', async (_req, res) => {
      const { defaultLanguage, languages } = options.strings();
      res.header('cache-control', 'no-store');
      res.json({ mode, companyName: options.companyName, defaultLanguage, strings: languages });
    });

    // The page's one door: a short-lived token for a new conversation. Secrets never leave the server.
    server.post('/api/directline/token', async (req, res) => {
      const body = (req.body ?? {}) as { userId?: unknown; locale?: unknown };
      const userId = `dl_${typeof body.userId === 'string' && USER_ID.test(body.userId) ? body.userId : randomUUID()}`;
      const locale = typeof body.locale === 'string' && LOCALE.test(body.locale) ? body.locale : 'en-US';
      res.header('cache-control', 'no-store');
      switch (mode) {
        case 'local': {
          const conversation = local.create(userId, locale);
          res.json({
            token: conversation.token,
            conversationId: conversation.id,
            expiresIn: local.tokenTtlSeconds,
            domain: '/v3/directline',
            webSocket: false,
            userId,
            mode,
          });
          return;
        }
        case 'azure':
        case 'extension': {
          let base = azureDomain;
          if (mode === 'extension') {
            // On App Service the front end routes only the app's own host names here, so the Host
            // header names this App Service (custom domains included); anything else is refused.
            const host = req.headers.host ?? '';
            if (!HOST.test(host)) return fail(res, 400, 'a valid Host header is required');
            base = `https://${host}/.bot/v3/directline`;
          }
          try {
            const token = await exchange(userId, base, options.directLine.secret);
            // The extension's Direct Line is on the page's own host: the page uses a relative domain.
            const domain = mode === 'extension' ? '/.bot/v3/directline' : base;
            res.json({ ...token, domain, webSocket: true, userId, mode });
            return;
          } catch (error) {
            options.logger.warn('Direct Line token exchange failed', {
              mode,
              reason: (error as Error).message,
            });
            return fail(res, 502, 'the chat service could not be reached; try again later');
          }
        }
        case 'unavailable':
          return fail(res, 503, `Web Chat is unavailable: ${unavailableReason ?? 'not configured'}`);
      }
    });

    if (mode !== 'local') return;

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
