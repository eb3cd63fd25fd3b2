import path from 'node:path';

/** Every setting the bot reads, with its default. `.env.example` and the README document each one. */
export interface Settings {
  port: number;
  /** Bot Framework authentication. All empty = anonymous, as Bot Framework Emulator talks to a local bot. */
  microsoftAppId: string;
  microsoftAppPassword: string;
  microsoftAppType: string;
  microsoftAppTenantId: string;
  knowledgeDir: string;
  cardsDir: string;
  /** Shown when an answer did not help: whom to contact. */
  helpdeskContact: string;
  logLevel: LogLevelName;
  /** Largest request body accepted on /api/messages, in bytes. */
  maxBodyBytes: number;
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LOG_LEVELS: readonly LogLevelName[] = ['debug', 'info', 'warn', 'error', 'silent'];

export class SettingsError extends Error {}

const projectRoot = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..',
);

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingsError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const logLevel = (env.LOG_LEVEL ?? 'info').toLowerCase() as LogLevelName;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new SettingsError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  return {
    port: integer(env, 'PORT', 3978, 0, 65535),
    microsoftAppId: env.MicrosoftAppId ?? '',
    microsoftAppPassword: env.MicrosoftAppPassword ?? '',
    microsoftAppType: env.MicrosoftAppType ?? '',
    microsoftAppTenantId: env.MicrosoftAppTenantId ?? '',
    knowledgeDir: path.resolve(env.KNOWLEDGE_DIR || path.join(projectRoot, 'knowledge')),
    cardsDir: path.resolve(env.CARDS_DIR || path.join(projectRoot, 'cards')),
    helpdeskContact: env.HELPDESK_CONTACT ?? '',
    logLevel,
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 256 * 1024, 1024, 10 * 1024 * 1024),
  };
}
