import type { IncomingMessage } from 'node:http';
import restify from 'restify';
import type { Logger } from '../../infrastructure/logger';
import { checkActivity, withoutNullLists } from './activityValidation';

/** What the HTTP edge needs: something that runs a valid activity through the Bot Framework adapter. */
export interface MessageEndpoint {
  /** True when an App ID is configured: requests without credentials are refused before anything else. */
  requiresAuthentication: boolean;
  process(req: restify.Request, res: restify.Response): Promise<void>;
}

export interface ServerOptions {
  endpoint: MessageEndpoint;
  logger: Logger;
  maxBodyBytes: number;
  /**
   * Activities in progress at once past which a new one is refused at once with 503 and Retry-After
   * (the channel sends it again later), instead of queueing until every turn times out.
   */
  maxConcurrentTurns: number;
  /** Seconds the 503 asks the channel to wait. */
  retryAfterSeconds?: number;
  health: () => Record<string, unknown>;
  /** Further routes (the Web Chat page, Direct Line), each registered by its own module. */
  routes?: ((server: restify.Server) => void)[];
}

/** How long an idle keep-alive connection stays open: beyond the 60 s load balancers commonly keep theirs. */
export const KEEP_ALIVE_MS = 65_000;

function reject(res: restify.Response, status: number, reason: string): void {
  if (res.headersSent) return;
  res.status(status);
  res.json({ error: reason });
}

/** The restify server: POST /api/messages (validated, then the adapter) and GET /healthz. */
export function createServer({
  endpoint,
  logger,
  maxBodyBytes,
  maxConcurrentTurns,
  retryAfterSeconds = 2,
  health,
  routes = [],
}: ServerOptions): restify.Server {
  const server = restify.createServer({ name: 'directory-sync-assistant', handleUncaughtExceptions: false });
  // An idle connection stays open longer than the front end in front of it (App Service, a load
  // balancer, the channel) keeps it for reuse: with Node's default of 5 s the server closes it just as
  // the next request goes out on it, and the channel gets a reset (ECONNRESET in `npm run bench` at
  // 500 conversations) instead of an answer.
  server.server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  let turnsInProgress = 0;
  // Before the body is read: past capacity a message costs as little as possible.
  server.use((req, res, next) => {
    if (req.method !== 'POST' || req.getPath() !== '/api/messages') return next();
    if (turnsInProgress >= maxConcurrentTurns) {
      logger.debug('overloaded: activity refused', { turnsInProgress });
      res.header('Retry-After', String(retryAfterSeconds));
      reject(res, 503, 'too busy, try again shortly');
      return next(false);
    }
    turnsInProgress++;
    // Finished (answered) or closed (the channel went away), whichever comes first.
    let counted = true;
    const done = (): void => {
      if (counted) turnsInProgress--;
      counted = false;
    };
    res.once('finish', done);
    res.once('close', done);
    return next();
  });
  server.use(restify.plugins.bodyParser({ maxBodySize: maxBodyBytes, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    if (endpoint.requiresAuthentication && !req.headers.authorization) {
      return reject(res, 401, 'authorization required');
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') return reject(res, 415, 'content-type must be application/json');
    const check = checkActivity(req.body);
    if (!check.ok) return reject(res, 400, check.reason);
    withoutNullLists(req.body as Record<string, unknown>);
    try {
      await endpoint.process(req, res);
    } catch (error) {
      logger.error('request failed', { error: (error as Error).message });
      reject(res, 500, 'the bot could not process this activity');
    }
  });

  server.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok', turnsInProgress, ...health() });
  });
  for (const register of routes) register(server);

  // restify's own errors (bad JSON, body too large, unknown route) answer with a short JSON reason.
  server.on(
    'restifyError',
    (
      req: IncomingMessage,
      res: restify.Response,
      error: Error & { statusCode?: number },
      callback: () => void,
    ) => {
      logger.debug('request rejected', { path: req.url, status: error.statusCode, reason: error.message });
      callback();
    },
  );
  return server;
}
