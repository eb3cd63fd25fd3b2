/**
 * npm run package:teams — fills in appPackage/manifest.json, validates it and its localization
 * files offline against the Teams schemas that @microsoft/app-manifest ships, checks the icons,
 * and writes appPackage/build/directory-sync-assistant.zip for sideloading or the Teams admin center.
 *
 *   MicrosoftAppId=<bot app id> BOT_DOMAIN=<host> npm run package:teams
 *   npm run package:teams -- --bot-id <guid> [--app-id <guid>] [--domain <host>] [--company <name>]
 */
import 'dotenv/config';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';

export class TeamsPackageError extends Error {}

export interface TeamsPackageOptions {
  botId: string;
  /** The Teams app's own id; default: derived from the bot id, so it is stable across builds. */
  appId?: string;
  /** The bot's host name (valid domain, developer links). */
  domain?: string;
  company?: string;
  sourceDir?: string;
  outDir?: string;
}

export interface TeamsPackage {
  zipPath: string;
  manifest: Record<string, unknown>;
  files: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const ICONS = { 'color.png': 192, 'outline.png': 32 } as const;
const root = path.join(__dirname, '..');
const schemaDir = path.join(
  path.dirname(require.resolve('@microsoft/app-manifest')),
  'json-schemas',
  'teams',
);

function derivedAppId(botId: string): string {
  const h = createHash('sha256').update(`teams-app:${botId.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function pngSize(file: string): { width: number; height: number } {
  const data = fs.readFileSync(file);
  if (data.length < 24 || data.toString('ascii', 1, 4) !== 'PNG') {
    throw new TeamsPackageError(`${path.basename(file)}: not a PNG file`);
  }
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new TeamsPackageError(
      `${path.basename(file)}: cannot be read as JSON: ${(error as Error).message}`,
    );
  }
}

function schemaFor(url: unknown, file: string): Record<string, unknown> {
  const match =
    typeof url === 'string'
      ? /teams\/(v[\d.]+)\/(MicrosoftTeams(?:\.Localization)?\.schema\.json)$/.exec(url)
      : null;
  if (!match) throw new TeamsPackageError(`${file}: $schema: not a Teams schema URL`);
  const schemaFile = path.join(schemaDir, match[1] as string, match[2] as string);
  if (!fs.existsSync(schemaFile))
    throw new TeamsPackageError(`${file}: $schema: ${match[1]} is not shipped with @microsoft/app-manifest`);
  // Some shipped schemas use regex syntax that JavaScript's unicode mode rejects: the escape \a,
  // and an unescaped "]" after \b in the localization keys' patterns.
  const text = fs
    .readFileSync(schemaFile, 'utf8')
    .replace(/\\\\a/g, '\\\\x07')
    .replace(/\\\\b\]/g, '\\\\b\\\\]');
  return JSON.parse(text) as Record<string, unknown>;
}

/** Validates as ManifestUtil.validateManifestAgainstSchema does (draft-04, all errors), without its ESM-only dependencies. */
async function validate(document: Record<string, unknown>, file: string): Promise<void> {
  const ajv = new Ajv04({ allErrors: true, strictTypes: false, strict: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const check = ajv.compile(schemaFor(document.$schema, file));
  if (!check(document)) {
    const errors = (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
    throw new TeamsPackageError(`${file}: ${errors.join('; ')}`);
  }
}

function fill(text: string, values: Record<string, string>, file: string): string {
  const filled = text.replace(/\$\{\{(\w+)\}\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TeamsPackageError(`${file}: unknown placeholder \${{${name}}}`);
    return value.replace(/["\\]/g, (c) => `\\${c}`);
  });
  return filled;
}

export async function packageTeamsApp(options: TeamsPackageOptions): Promise<TeamsPackage> {
  const sourceDir = options.sourceDir ?? path.join(root, 'appPackage');
  const outDir = options.outDir ?? path.join(sourceDir, 'build');
  if (!GUID.test(options.botId)) {
    throw new TeamsPackageError(
      "bot id: must be the Azure Bot's Microsoft App ID (a GUID); set MicrosoftAppId or pass --bot-id",
    );
  }
  const appId = options.appId || derivedAppId(options.botId);
  if (!GUID.test(appId)) throw new TeamsPackageError('app id: must be a GUID');
  const domain = options.domain || 'localhost';
  if (!HOST.test(domain))
    throw new TeamsPackageError(`domain: "${domain}" is not a host name (no scheme, no path)`);
  const values = {
    BOT_ID: options.botId,
    TEAMS_APP_ID: appId,
    BOT_DOMAIN: domain,
    COMPANY_NAME: options.company || 'Your company',
  };

  const manifestFile = path.join(sourceDir, 'manifest.json');
  const manifest = JSON.parse(fill(fs.readFileSync(manifestFile, 'utf8'), values, 'manifest.json')) as Record<
    string,
    unknown
  >;
  await validate(manifest, 'manifest.json');

  const files: Record<string, Buffer> = { 'manifest.json': Buffer.from(JSON.stringify(manifest, null, 2)) };
  const localization = manifest.localizationInfo as
    { additionalLanguages?: { file: string; languageTag: string }[] } | undefined;
  for (const { file } of localization?.additionalLanguages ?? []) {
    const document = readJson(path.join(sourceDir, file));
    await validate(document, file);
    for (const [key, value] of Object.entries(document)) {
      if (/commands\[\d+\]\.title$/.test(key) && typeof value === 'string' && value.length > 32) {
        throw new TeamsPackageError(`${file}: ${key}: a command title may have at most 32 characters`);
      }
    }
    files[file] = Buffer.from(JSON.stringify(document, null, 2));
  }
  for (const [icon, size] of Object.entries(ICONS)) {
    const file = path.join(sourceDir, icon);
    if (!fs.existsSync(file))
      throw new TeamsPackageError(`${icon}: missing (npx tsx scripts/makeTeamsIcons.ts draws it)`);
    const { width, height } = pngSize(file);
    if (width !== size || height !== size)
      throw new TeamsPackageError(`${icon}: must be ${size}x${size} pixels, is ${width}x${height}`);
    files[icon] = fs.readFileSync(file);
  }

  const zip = new JSZip();
  for (const [name, data] of Object.entries(files)) zip.file(name, data);
  fs.mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, 'directory-sync-assistant.zip');
  fs.writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { zipPath, manifest, files: Object.keys(files) };
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  packageTeamsApp({
    botId: flag('--bot-id') ?? process.env.MicrosoftAppId ?? '',
    appId: flag('--app-id') ?? process.env.TEAMS_APP_ID,
    domain: flag('--domain') ?? process.env.BOT_DOMAIN,
    company: flag('--company') ?? process.env.COMPANY_NAME,
  })
    .then(({ zipPath, files }) =>
      console.log(
        `Teams app package written: ${path.relative(process.cwd(), zipPath)} (${files.join(', ')})`,
      ),
    )
    .catch((error: Error) => {
      console.error(
        error instanceof TeamsPackageError ? `Teams package invalid: ${error.message}` : error.message,
      );
      process.exit(1);
    });
}
