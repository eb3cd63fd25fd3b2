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
  /** The Web Chat page's files (index.html, page.js, page.css). */
  webChatDir: string;
  /** Shown when an answer did not help: whom to contact. */
  helpdeskContact: string;
  logLevel: LogLevelName;
  /** Largest request body accepted on /api/messages, in bytes. */
  maxBodyBytes: number;
  /** Messages one user may send in one conversation per minute; 0: no limit. */
  messageRateLimit: number;
  /** Activities in progress at once past which new ones get 503 and Retry-After. */
  maxConcurrentTurns: number;
  /** Where conversation and user state live: process memory, Azure Blob Storage or Cosmos DB. */
  storage: StorageSettings;
  /** Feedback, knowledge gaps, helpdesk tickets and transcripts are appended here when no blob storage is set. */
  dataDir: string;
  /** Keep masked conversation transcripts (BOT_TRANSCRIPTS=on). */
  transcripts: boolean;
  /** Where escalation tickets are POSTed (a Teams Workflow or Power Automate HTTP trigger); empty = stored only. */
  helpdeskWebhookUrl: string;
  /** Web Chat page: the company name in its title and intro. */
  companyName: string;
  /** Azure Direct Line: with a secret the page gets tokens from Azure; without, the bot serves a local Direct Line. */
  directLine: DirectLineSettings;
  /** The sync error report reader's limits on files. */
  reports: ReportSettings;
  /** The live, read-only tenant check through Microsoft Graph (SYNC_STATUS_CHECK=graph); off by default. */
  syncStatus: SyncStatusSettings;
}

export interface ReportSettings {
  /** Largest report file (or download) read, in bytes (MAX_REPORT_BYTES). */
  maxBytes: number;
  /** How long one attachment download may take (REPORT_FETCH_TIMEOUT_MS). */
  fetchTimeoutMs: number;
  /** Extra host names (or ".suffix" for a domain) attachments may be downloaded from (REPORT_DOWNLOAD_HOSTS). */
  downloadHosts: string[];
}

export interface SyncStatusSettings {
  enabled: boolean;
  /** Microsoft Graph's endpoint: https://graph.microsoft.com, a national cloud's, or a test fake. */
  graphBaseUrl: string;
  /** How long a measurement is reused. */
  cacheSeconds: number;
  /** How long one answer waits for Graph before it answers without the measurement. */
  timeoutMs: number;
  /** The Entra group whose members see object names, UPNs and conflicting values; empty: nobody. */
  detailsGroupId: string;
  /** A user-assigned managed identity's client id (AZURE_CLIENT_ID); empty: the system-assigned one or AZURE_* secrets. */
  managedIdentityClientId: string;
}

export type StorageSettings =
  | { kind: 'memory' }
  | { kind: 'blob'; connectionString: string; container: string }
  | { kind: 'cosmos'; endpoint: string; authKey: string; databaseId: string; containerId: string };

export interface DirectLineSettings {
  secret: string;
  /** Azure Direct Line endpoint for the token exchange (regional endpoints exist, e.g. europe.directline.botframework.com). */
  endpoint: string;
  /** Direct Line App Service Extension key: the page talks to the extension's named pipe inside the App Service. */
  extensionKey: string;
  /** The App Service's site name (set by App Service): the extension's pipe is "<site>.directline". */
  siteName: string;
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LOG_LEVELS: readonly LogLevelName[] = ['debug', 'info', 'warn', 'error', 'silent'];

export class SettingsError extends Error {}

const projectRoot = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..',
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
    webChatDir: path.join(projectRoot, 'webchat'),
    helpdeskContact: env.HELPDESK_CONTACT ?? '',
    logLevel,
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 256 * 1024, 1024, 10 * 1024 * 1024),
    messageRateLimit: integer(env, 'MESSAGE_RATE_LIMIT', 0, 0, 10_000),
    maxConcurrentTurns: integer(env, 'MAX_CONCURRENT_TURNS', 1000, 1, 100_000),
    storage: readStorage(env),
    dataDir: path.resolve(env.DATA_DIR || path.join(projectRoot, 'data')),
    transcripts: onOff(env, 'BOT_TRANSCRIPTS'),
    helpdeskWebhookUrl: url(env, 'HELPDESK_WEBHOOK_URL'),
    companyName: env.COMPANY_NAME ?? '',
    directLine: {
      secret: env.DIRECT_LINE_SECRET ?? '',
      endpoint: url(env, 'DIRECT_LINE_ENDPOINT') || 'https://directline.botframework.com',
      extensionKey: env.DirectLineExtensionKey ?? '',
      siteName: env.WEBSITE_SITE_NAME ?? '',
    },
    reports: {
      maxBytes: integer(env, 'MAX_REPORT_BYTES', 2 * 1024 * 1024, 1024, 50 * 1024 * 1024),
      fetchTimeoutMs: integer(env, 'REPORT_FETCH_TIMEOUT_MS', 10_000, 100, 120_000),
      downloadHosts: (env.REPORT_DOWNLOAD_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    },
    syncStatus: readSyncStatus(env),
  };
}

function readSyncStatus(env: NodeJS.ProcessEnv): SyncStatusSettings {
  const mode = (env.SYNC_STATUS_CHECK ?? '').trim().toLowerCase();
  if (!['', 'off', 'graph'].includes(mode))
    throw new SettingsError(`SYNC_STATUS_CHECK must be off or graph, got "${env.SYNC_STATUS_CHECK}"`);
  const graphBaseUrl = url(env, 'GRAPH_BASE_URL') || 'https://graph.microsoft.com';
  if (mode === 'graph' && !graphBaseUrl.startsWith('https://'))
    throw new SettingsError(
      'GRAPH_BASE_URL must be an https URL: the Graph client sends its token only over https',
    );
  const detailsGroupId = (env.SYNC_STATUS_DETAILS_GROUP_ID ?? '').trim();
  if (
    detailsGroupId &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(detailsGroupId)
  )
    throw new SettingsError('SYNC_STATUS_DETAILS_GROUP_ID must be the object id (a GUID) of an Entra group');
  return {
    enabled: mode === 'graph',
    graphBaseUrl: graphBaseUrl.replace(/\/+$/, ''),
    cacheSeconds: integer(env, 'SYNC_STATUS_CACHE_SECONDS', 120, 0, 3600),
    timeoutMs: integer(env, 'SYNC_STATUS_TIMEOUT_MS', 2000, 100, 10_000),
    detailsGroupId,
    managedIdentityClientId: (env.AZURE_CLIENT_ID ?? '').trim(),
  };
}

function onOff(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (['', 'off', 'false', '0', 'no'].includes(raw)) return false;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  throw new SettingsError(`${name} must be on or off, got "${env[name]}"`);
}

function url(env: NodeJS.ProcessEnv, name: string): string {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return '';
  try {
    const parsed = new URL(raw);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return raw;
  } catch {
    // reported below
  }
  throw new SettingsError(`${name} must be an http(s) URL`);
}

function required(env: NodeJS.ProcessEnv, name: string, because: string): string {
  const value = (env[name] ?? '').trim();
  if (value === '') throw new SettingsError(`${name} is required ${because}`);
  return value;
}

function readStorage(env: NodeJS.ProcessEnv): StorageSettings {
  const kind = (env.BOT_STORAGE ?? 'memory').trim().toLowerCase() || 'memory';
  switch (kind) {
    case 'memory':
      return { kind };
    case 'blob':
      return {
        kind,
        connectionString: required(env, 'BOT_STORAGE_CONNECTION_STRING', 'when BOT_STORAGE=blob'),
        container: (env.BOT_STORAGE_CONTAINER ?? '').trim() || 'bot-state',
      };
    case 'cosmos':
      return {
        kind,
        endpoint: required(env, 'COSMOS_DB_ENDPOINT', 'when BOT_STORAGE=cosmos'),
        authKey: required(env, 'COSMOS_DB_AUTH_KEY', 'when BOT_STORAGE=cosmos'),
        databaseId: (env.COSMOS_DB_DATABASE_ID ?? '').trim() || 'directory-sync-assistant',
        containerId: (env.COSMOS_DB_CONTAINER_ID ?? '').trim() || 'bot-state',
      };
    default:
      throw new SettingsError(`BOT_STORAGE must be memory, blob or cosmos, got "${env.BOT_STORAGE}"`);
  }
}

/** Every environment variable readSettings reads: the deployment templates must set exactly these. */
export const SETTING_NAMES = [
  'PORT',
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'KNOWLEDGE_DIR',
  'CARDS_DIR',
  'HELPDESK_CONTACT',
  'LOG_LEVEL',
  'MAX_BODY_BYTES',
  'MESSAGE_RATE_LIMIT',
  'MAX_REPORT_BYTES',
  'REPORT_FETCH_TIMEOUT_MS',
  'REPORT_DOWNLOAD_HOSTS',
  'MAX_CONCURRENT_TURNS',
  'BOT_STORAGE',
  'BOT_STORAGE_CONNECTION_STRING',
  'BOT_STORAGE_CONTAINER',
  'COSMOS_DB_ENDPOINT',
  'COSMOS_DB_AUTH_KEY',
  'COSMOS_DB_DATABASE_ID',
  'COSMOS_DB_CONTAINER_ID',
  'DATA_DIR',
  'BOT_TRANSCRIPTS',
  'HELPDESK_WEBHOOK_URL',
  'COMPANY_NAME',
  'DIRECT_LINE_SECRET',
  'DIRECT_LINE_ENDPOINT',
  'DirectLineExtensionKey',
  'WEBSITE_SITE_NAME',
  'SYNC_STATUS_CHECK',
  'GRAPH_BASE_URL',
  'SYNC_STATUS_CACHE_SECONDS',
  'SYNC_STATUS_TIMEOUT_MS',
  'SYNC_STATUS_DETAILS_GROUP_ID',
  'AZURE_CLIENT_ID',
] as const;

/** Settings App Service itself provides: the deployment templates must not set them. */
export const PLATFORM_SETTINGS: readonly (typeof SETTING_NAMES)[number][] = ['PORT', 'WEBSITE_SITE_NAME'];
