import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type restify from 'restify';
import type { DirectLineSettings } from '../../infrastructure/config';
import type { Logger } from '../../infrastructure/logger';
import { LocalDirectLine, type ActivityJson } from './localDirectLine';
import { localDirectLineRoutes, localToken } from './localDirectLineRoutes';
import { fail, LOCALE } from './webChatHttp';

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
/** A Host header that can only name a host (and port): nothing else is sent the secret. */
const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9-]{1,63}(:\d{1,5})?$/;

/**
 * Web Chat on the intranet, served by the bot itself (no CDN): the page at /, the Web Chat bundle
 * from the botframework-webchat package and a token endpoint; in local mode also the local Direct
 * Line (localDirectLineRoutes.ts).
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
        case 'local':
          res.json({ ...localToken(local, userId, locale), userId, mode });
          return;
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

    if (mode === 'local')
      localDirectLineRoutes({ local, runTurn: options.runTurn, logger: options.logger })(server);
  };
}
