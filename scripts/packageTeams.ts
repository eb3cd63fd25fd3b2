/**
 * npm run package:teams — fills in the placeholders of appPackage/manifest.json and its
 * localization files, validates them offline against the Teams schemas that
 * @microsoft/app-manifest ships, checks command titles and icons, and writes
 * appPackage/build/directory-sync-assistant.zip for sideloading or the Teams admin center.
 *
 *   MicrosoftAppId=<bot app id> BOT_DOMAIN=<host> npm run package:teams
 *   npm run package:teams -- --bot-id <guid> [--app-id <guid>] [--domain <host>] [--company <name>] [--out <dir>]
 *
 * Every problem is reported as "file: field: reason", and the process exits with code 1.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Ajv04, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import dotenv from 'dotenv';
import JSZip from 'jszip';

export interface TeamsPackageProblem {
  file: string;
  field: string;
  reason: string;
}

export class TeamsPackageError extends Error {
  constructor(readonly problems: TeamsPackageProblem[]) {
    super(
      problems.length === 1
        ? format(problems[0] as TeamsPackageProblem)
        : `${problems.length} problems:\n${problems.map((p) => `  ${format(p)}`).join('\n')}`,
    );
  }
}

function format(problem: TeamsPackageProblem): string {
  return `${problem.file}: ${problem.field}: ${problem.reason}`;
}

export interface TeamsPackageOptions {
  /** The Azure Bot's Microsoft App ID (MicrosoftAppId): bots[0].botId. */
  botId: string;
  /** The Teams app's own id (TEAMS_APP_ID); default: derived from the bot id, stable across builds. */
  appId?: string;
  /** The bot's host name (BOT_DOMAIN), e.g. mybot.azurewebsites.net: validDomains and the developer links. */
  domain?: string;
  /** The developer name shown in Teams (COMPANY_NAME). */
  company?: string;
  /** Where manifest.json, its localization files and the icons are; default: appPackage/. */
  sourceDir?: string;
  /** Where the zip goes; default: appPackage/build/. */
  outDir?: string;
}

export interface TeamsPackage {
  zipPath: string;
  /** The manifest as packaged, placeholders filled. */
  manifest: Record<string, unknown>;
  /** The zip's entries, all at its root. */
  files: string[];
  /** Not wrong, but worth knowing (e.g. no domain given). */
  warnings: string[];
}

export const ZIP_NAME = 'directory-sync-assistant.zip';
/** Teams' command menu limits (the manifest schema allowed no more up to v1.2x; later ones allow longer). */
export const MAX_COMMAND_TITLE = 32;
export const MAX_COMMAND_DESCRIPTION = 128;
const ICON_SIZES = { color: 192, outline: 32 } as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const root = path.join(__dirname, '..');
const schemaRoot = path.join(
  path.dirname(require.resolve('@microsoft/app-manifest')),
  'json-schemas',
  'teams',
);

/** A stable GUID (name-based, version 5 layout) for the Teams app of a bot, so re-uploads replace it. */
export function derivedAppId(botId: string): string {
  const h = createHash('sha256').update(`teams-app:${botId.toLowerCase()}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** JSON pointer (/bots/0/scopes/1) to the localization-file notation (bots[0].scopes[1]). */
function fieldName(pointer: string): string {
  const parts = pointer.split('/').slice(1);
  let out = '';
  for (const part of parts.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out || '(root)';
}

// ---------------------------------------------------------------------------------------------
// Schemas

const validators = new Map<string, ValidateFunction>();

/** The shipped schema a document's $schema names, compiled as @microsoft/app-manifest compiles it (draft-04, all errors). */
function validatorFor(
  document: Record<string, unknown>,
  file: string,
): ValidateFunction | TeamsPackageProblem {
  const url = document.$schema;
  const match =
    typeof url === 'string'
      ? /\/teams\/(v[\d.]+)\/(MicrosoftTeams(?:\.Localization)?\.schema\.json)$/.exec(url)
      : null;
  if (!match) return { file, field: '$schema', reason: `not a Teams schema URL: ${String(url)}` };
  const schemaFile = path.join(schemaRoot, match[1] as string, match[2] as string);
  if (!fs.existsSync(schemaFile)) {
    return {
      file,
      field: '$schema',
      reason: `${match[1]} is not among the schemas @microsoft/app-manifest ships`,
    };
  }
  const cached = validators.get(schemaFile);
  if (cached) return cached;
  // Some shipped schemas have regular expressions JavaScript's unicode mode rejects: the escape \a
  // (older manifest schemas; the library does the same) and a bare "]" after \b (localization keys).
  const text = fs
    .readFileSync(schemaFile, 'utf8')
    .replace(/\\\\a/g, '\\\\x07')
    .replace(/\\\\b\]/g, '\\\\b\\\\]');
  const ajv = new Ajv04({ allErrors: true, strictTypes: false, strict: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(JSON.parse(text) as object);
  validators.set(schemaFile, validate);
  return validate;
}

function schemaProblem(file: string, error: ErrorObject): TeamsPackageProblem {
  const params = error.params as Record<string, unknown>;
  let field = fieldName(error.instancePath);
  let reason = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    field = fieldName(`${error.instancePath}/${String(params.additionalProperty)}`);
    reason = 'is not allowed here';
  } else if (error.keyword === 'required') {
    field = fieldName(`${error.instancePath}/${String(params.missingProperty)}`);
    reason = 'is required';
  } else if (error.keyword === 'enum') {
    reason = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return { file, field, reason };
}

/** Problems of a manifest or localization file against the shipped schema its $schema names. */
export function validateDocument(document: Record<string, unknown>, file: string): TeamsPackageProblem[] {
  const validator = validatorFor(document, file);
  if (typeof validator !== 'function') return [validator];
  if (validator(document)) return [];
  const problems = new Map<string, TeamsPackageProblem>();
  for (const error of validator.errors ?? []) {
    const problem = schemaProblem(file, error);
    problems.set(format(problem), problem);
  }
  return [...problems.values()];
}

// ---------------------------------------------------------------------------------------------
// Placeholders

/** Replaces ${{NAME}} in every string of a JSON document; reports unknown and left-over ones by field. */
function fill(
  value: unknown,
  values: Record<string, string>,
  file: string,
  problems: TeamsPackageProblem[],
  field = '',
): unknown {
  if (typeof value === 'string') {
    const filled = value.replace(PLACEHOLDER, (text, name: string) => {
      const replacement = values[name];
      if (replacement !== undefined) return replacement;
      problems.push({
        file,
        field: field || '(root)',
        reason: `unknown placeholder ${text} (known: ${Object.keys(values).join(', ')})`,
      });
      return text;
    });
    if (/\$\{\{|\}\}/.test(filled.replace(PLACEHOLDER, ''))) {
      problems.push({ file, field: field || '(root)', reason: `malformed placeholder in "${value}"` });
    }
    return filled;
  }
  if (Array.isArray(value)) return value.map((v, i) => fill(v, values, file, problems, `${field}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        fill(v, values, file, problems, field === '' || file !== 'manifest.json' ? k : `${field}.${k}`),
      ]),
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Icons

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
  data: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The header and the compressed image data of a PNG file, or why it is not one. */
export function readPng(buffer: Buffer): Png | string {
  if (buffer.length < 33 || !buffer.subarray(0, 8).equals(PNG_SIGNATURE)) return 'is not a PNG file';
  if (buffer.toString('ascii', 12, 16) !== 'IHDR') return 'is not a PNG file (no IHDR header)';
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= buffer.length;) {
    const length = buffer.readUInt32BE(at);
    const type = buffer.toString('ascii', at + 4, at + 8);
    if (type === 'IDAT') idat.push(buffer.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return {
    width: buffer.readUInt32BE(16),
    height: buffer.readUInt32BE(20),
    bitDepth: buffer.readUInt8(24),
    colorType: buffer.readUInt8(25),
    interlace: buffer.readUInt8(28),
    data: Buffer.concat(idat),
  };
}

/** Alpha and "is white" of every pixel of an 8-bit grey+alpha or RGBA PNG, or why it cannot tell. */
function whiteOnTransparent(png: Png): string | undefined {
  const channels = png.colorType === 6 ? 4 : png.colorType === 4 ? 2 : 0;
  if (channels === 0 || png.bitDepth !== 8 || png.interlace !== 0) {
    return 'must be an 8-bit, non-interlaced PNG with an alpha channel (white on transparent)';
  }
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(png.data);
  } catch {
    return 'has corrupt image data';
  }
  const stride = png.width * channels;
  if (raw.length < (stride + 1) * png.height) return 'has truncated image data';
  const previous = Buffer.alloc(stride);
  const row = Buffer.alloc(stride);
  let visible = 0;
  let transparent = 0;
  for (let y = 0; y < png.height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i] as number;
      const a = i >= channels ? (row[i - channels] as number) : 0;
      const b = previous[i] as number;
      const c = i >= channels ? (previous[i - channels] as number) : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      if (predictor === undefined) return `has an unknown row filter ${filter}`;
      row[i] = (x + predictor) & 0xff;
    }
    for (let px = 0; px < png.width; px++) {
      const pixel = row.subarray(px * channels, (px + 1) * channels);
      const alpha = pixel[channels - 1] as number;
      if (alpha === 0) transparent++;
      else {
        visible++;
        const colour = [...pixel.subarray(0, channels - 1)];
        if (colour.some((v) => v < 240)) {
          return `must be white on transparent: pixel (${px}, ${y}) is ${channels === 4 ? 'rgb' : 'grey'}(${colour.join(', ')})`;
        }
      }
    }
    row.copy(previous);
  }
  if (transparent === 0) return 'must be white on transparent: it has no transparent pixel';
  if (visible === 0) return 'is empty: every pixel is transparent';
  return undefined;
}

function checkIcons(
  manifest: Record<string, unknown>,
  sourceDir: string,
  files: Record<string, Buffer>,
  problems: TeamsPackageProblem[],
): void {
  const icons = (manifest.icons ?? {}) as Record<string, unknown>;
  for (const [kind, size] of Object.entries(ICON_SIZES)) {
    const name = icons[kind];
    if (typeof name !== 'string' || !name) continue; // the schema reports it
    const field = `icons.${kind}`;
    if (path.basename(name) !== name) {
      problems.push({
        file: 'manifest.json',
        field,
        reason: `"${name}" must be a file name at the zip's root`,
      });
      continue;
    }
    const file = path.join(sourceDir, name);
    if (!fs.existsSync(file)) {
      problems.push({ file: name, field, reason: 'is missing (npx tsx scripts/makeTeamsIcons.ts draws it)' });
      continue;
    }
    const buffer = fs.readFileSync(file);
    const png = readPng(buffer);
    if (typeof png === 'string') {
      problems.push({ file: name, field, reason: png });
      continue;
    }
    if (png.width !== size || png.height !== size) {
      problems.push({
        file: name,
        field,
        reason: `must be ${size}x${size} pixels, is ${png.width}x${png.height}`,
      });
      continue;
    }
    if (kind === 'outline') {
      const wrong = whiteOnTransparent(png);
      if (wrong) problems.push({ file: name, field, reason: wrong });
    }
    files[name] = buffer;
  }
}

// ---------------------------------------------------------------------------------------------
// Commands and translations

interface CommandList {
  commands?: { title?: unknown; description?: unknown }[];
}

function checkCommandText(
  file: string,
  field: string,
  value: unknown,
  problems: TeamsPackageProblem[],
): void {
  if (typeof value !== 'string') return;
  const limit = field.endsWith('.title') ? MAX_COMMAND_TITLE : MAX_COMMAND_DESCRIPTION;
  if (value.trim() === '') problems.push({ file, field, reason: 'is empty' });
  else if (value.length > limit) {
    problems.push({ file, field, reason: `"${value}" has ${value.length} characters, at most ${limit} fit` });
  }
}

/** The value a localization key (bots[0].commandLists[1].commands[2].title) names in the manifest. */
function lookUp(manifest: unknown, key: string): unknown {
  let node = manifest;
  for (const [, name, index] of key.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[name ?? (index as string)];
  }
  return node;
}

function readJson(
  file: string,
  name: string,
  problems: TeamsPackageProblem[],
): Record<string, unknown> | undefined {
  if (!fs.existsSync(file)) {
    problems.push({ file: name, field: '(file)', reason: 'is missing' });
    return undefined;
  }
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    problems.push({ file: name, field: '(root)', reason: 'must be a JSON object' });
  } catch (error) {
    problems.push({ file: name, field: '(file)', reason: `is not valid JSON: ${(error as Error).message}` });
  }
  return undefined;
}

const schemaVersion = (document: Record<string, unknown>): string | undefined =>
  /\/teams\/(v[\d.]+)\//.exec(String(document.$schema))?.[1];

// ---------------------------------------------------------------------------------------------

function checkOptions(options: TeamsPackageOptions): TeamsPackageProblem[] {
  const problems: TeamsPackageProblem[] = [];
  const botId = options.botId.trim();
  if (botId === '') {
    problems.push({
      file: 'settings',
      field: 'MicrosoftAppId (--bot-id)',
      reason: "is missing: give the Azure Bot's Microsoft App ID (a GUID)",
    });
  } else if (!GUID.test(botId)) {
    problems.push({
      file: 'settings',
      field: 'MicrosoftAppId (--bot-id)',
      reason: `"${botId}" is not a GUID: give the Azure Bot's Microsoft App ID`,
    });
  }
  if (options.appId && !GUID.test(options.appId.trim())) {
    problems.push({
      file: 'settings',
      field: 'TEAMS_APP_ID (--app-id)',
      reason: `"${options.appId}" is not a GUID (leave it out to derive one from the bot id)`,
    });
  }
  if (options.domain && !HOST.test(options.domain.trim())) {
    problems.push({
      file: 'settings',
      field: 'BOT_DOMAIN (--domain)',
      reason: `"${options.domain}" is not a host name: give the host only, e.g. mybot.azurewebsites.net`,
    });
  }
  return problems;
}

export async function packageTeamsApp(options: TeamsPackageOptions): Promise<TeamsPackage> {
  const optionProblems = checkOptions(options);
  if (optionProblems.length > 0) throw new TeamsPackageError(optionProblems);
  const sourceDir = options.sourceDir ?? path.join(root, 'appPackage');
  const outDir = options.outDir ?? path.join(sourceDir, 'build');
  const botId = options.botId.trim().toLowerCase();
  const warnings: string[] = [];
  const domain = options.domain?.trim().toLowerCase() || 'localhost';
  if (!options.domain?.trim()) {
    warnings.push(
      'no BOT_DOMAIN (--domain): validDomains and the developer links use "localhost"; give the web app\'s host for a real upload',
    );
  }
  const values: Record<string, string> = {
    BOT_ID: botId,
    TEAMS_APP_ID: options.appId?.trim().toLowerCase() || derivedAppId(botId),
    BOT_DOMAIN: domain,
    COMPANY_NAME: options.company?.trim() || 'Your company',
    APP_VERSION: (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
      .version,
  };

  const problems: TeamsPackageProblem[] = [];
  const report = (list: TeamsPackageProblem[]): void => {
    // An explicit check and the schema may both catch a field: keep the first (clearer) reason.
    for (const p of list)
      if (!problems.some((q) => q.file === p.file && q.field === p.field)) problems.push(p);
  };

  const source = readJson(path.join(sourceDir, 'manifest.json'), 'manifest.json', problems);
  if (!source) throw new TeamsPackageError(problems);
  const manifest = fill(source, values, 'manifest.json', problems) as Record<string, unknown>;
  const files: Record<string, Buffer> = {};

  const bots = Array.isArray(manifest.bots) ? (manifest.bots as Record<string, unknown>[]) : [];
  bots.forEach((bot, b) =>
    ((bot.commandLists ?? []) as CommandList[]).forEach((list, l) =>
      (list.commands ?? []).forEach((command, c) => {
        const field = `bots[${b}].commandLists[${l}].commands[${c}]`;
        checkCommandText('manifest.json', `${field}.title`, command.title, problems);
        checkCommandText('manifest.json', `${field}.description`, command.description, problems);
      }),
    ),
  );
  report(validateDocument(manifest, 'manifest.json'));

  const localization = (manifest.localizationInfo ?? {}) as {
    additionalLanguages?: { languageTag?: string; file?: string }[];
  };
  for (const [i, language] of (localization.additionalLanguages ?? []).entries()) {
    const name = language.file;
    if (typeof name !== 'string') continue; // the schema reports it
    if (path.basename(name) !== name) {
      report([
        {
          file: 'manifest.json',
          field: `localizationInfo.additionalLanguages[${i}].file`,
          reason: `"${name}" must be a file name at the zip's root`,
        },
      ]);
      continue;
    }
    const document = readJson(path.join(sourceDir, name), name, problems);
    if (!document) continue;
    const translated = fill(document, values, name, problems) as Record<string, unknown>;
    const local: TeamsPackageProblem[] = [];
    if (schemaVersion(translated) && schemaVersion(translated) !== schemaVersion(manifest)) {
      local.push({
        file: name,
        field: '$schema',
        reason: `is ${schemaVersion(translated)}, the manifest is ${schemaVersion(manifest)}`,
      });
    }
    for (const [key, value] of Object.entries(translated)) {
      if (key === '$schema') continue;
      if (/\.commands\[\d+\]\.(title|description)$/.test(key)) checkCommandText(name, key, value, local);
      if (!key.startsWith('[[') && lookUp(manifest, key) === undefined) {
        local.push({ file: name, field: key, reason: 'translates nothing: manifest.json has no such field' });
      }
    }
    report(local);
    report(validateDocument(translated, name));
    files[name] = Buffer.from(`${JSON.stringify(translated, null, 2)}\n`);
  }

  checkIcons(manifest, sourceDir, files, problems);
  if (problems.length > 0) throw new TeamsPackageError(problems);

  const zip = new JSZip();
  const date = new Date('2025-01-01T00:00:00Z'); // fixed: the same input gives the same zip
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date });
  for (const [name, data] of Object.entries(files)) zip.file(name, data, { date });
  fs.mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, ZIP_NAME);
  fs.writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { zipPath, manifest, files: ['manifest.json', ...Object.keys(files)], warnings };
}

// ---------------------------------------------------------------------------------------------
// Command line

const FLAGS: Record<string, keyof TeamsPackageOptions> = {
  '--bot-id': 'botId',
  '--app-id': 'appId',
  '--domain': 'domain',
  '--company': 'company',
  '--out': 'outDir',
};

/** Options from the flags, falling back to the environment (MicrosoftAppId, TEAMS_APP_ID, BOT_DOMAIN, COMPANY_NAME). */
export function optionsFromCommandLine(argv: string[], env: NodeJS.ProcessEnv): TeamsPackageOptions {
  const flags: Partial<Record<keyof TeamsPackageOptions, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    const key = FLAGS[flag];
    if (!key) {
      throw new TeamsPackageError([
        {
          file: 'command line',
          field: flag,
          reason: `unknown option (known: ${Object.keys(FLAGS).join(', ')})`,
        },
      ]);
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new TeamsPackageError([{ file: 'command line', field: flag, reason: 'needs a value' }]);
    }
    flags[key] = value;
  }
  return {
    botId: flags.botId ?? env.MicrosoftAppId ?? '',
    appId: flags.appId ?? env.TEAMS_APP_ID,
    domain: flags.domain ?? env.BOT_DOMAIN,
    company: flags.company ?? env.COMPANY_NAME,
    ...(flags.outDir ? { outDir: path.resolve(flags.outDir) } : {}),
  };
}

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const result = await packageTeamsApp(optionsFromCommandLine(process.argv.slice(2), process.env));
  for (const warning of result.warnings) console.warn(`warning: ${warning}`);
  const shown = path.relative(process.cwd(), result.zipPath);
  console.log(
    `Teams app package: ${shown.startsWith('..') ? result.zipPath : shown} (${result.files.join(', ')})\n` +
      `  app id ${String(result.manifest.id)}, bot id ${String((result.manifest.bots as { botId: string }[])[0]?.botId)}`,
  );
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(
      error instanceof TeamsPackageError ? `Teams app package not written: ${error.message}` : error.stack,
    );
    process.exit(1);
  });
}
