import type { LogLevelName } from './config';

const RANK: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One JSON line per event on stderr, so App Service log streams and `jq` read it alike. */
export function createLogger(
  level: LogLevelName,
  sink: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Logger {
  const write = (
    at: Exclude<LogLevelName, 'silent'>,
    message: string,
    fields?: Record<string, unknown>,
  ): void => {
    if (RANK[at] < RANK[level]) return;
    sink(JSON.stringify({ time: new Date().toISOString(), level: at, message, ...fields }));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = createLogger('silent');
