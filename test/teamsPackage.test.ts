import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import {
  MAX_COMMAND_TITLE,
  optionsFromCommandLine,
  packageTeamsApp,
  readPng,
  TeamsPackageError,
  validateDocument,
  ZIP_NAME,
} from '../scripts/packageTeams';
import { encodePng } from '../scripts/makeTeamsIcons';
import { projectRoot, testAssistant } from './support/assistant';
import { traceOf } from './support/botReplies';
import { DialogConversation } from './support/dialogClient';
import { tempDir as makeTempDir } from './support/tempDirs';

const BOT_ID = '11111111-2222-3333-4444-555555555555';
const APP_ID = '99999999-8888-4777-a666-555555555555';
const source = path.join(projectRoot, 'appPackage');
const LANGUAGES = ['nl', 'de', 'fr', 'es'];

type Json = Record<string, unknown>;
interface Command {
  title: string;
  description: string;
}
interface Manifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  validDomains: string[];
  developer: Record<string, string>;
  localizationInfo: {
    defaultLanguageTag: string;
    additionalLanguages: { languageTag: string; file: string }[];
  };
  bots: {
    botId: string;
    scopes: string[];
    supportsFiles: boolean;
    commandLists: { scopes: string[]; commands: Command[] }[];
  }[];
}

const tempDir = (): string => makeTempDir('dsa-teams-');
const readJson = <T = Json>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
const sourceManifest = readJson<Manifest>(path.join(source, 'manifest.json'));

/** A copy of appPackage/ with one change, to prove the checks catch it. */
function brokenCopy(change: (dir: string) => void): string {
  const dir = tempDir();
  for (const file of fs.readdirSync(source)) {
    if (fs.statSync(path.join(source, file)).isFile())
      fs.copyFileSync(path.join(source, file), path.join(dir, file));
  }
  change(dir);
  return dir;
}

function editJson(dir: string, file: string, change: (document: Json) => void): void {
  const document = readJson(path.join(dir, file));
  change(document);
  fs.writeFileSync(path.join(dir, file), JSON.stringify(document, null, 2));
}

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TeamsPackageError)
      return error.problems.map((p) => `${p.file}: ${p.field}: ${p.reason}`);
    throw error;
  }
  throw new Error('the package was written');
}

const newestStableSchema = (): string =>
  fs
    .readdirSync(path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams'))
    .filter((v) => /^v\d+\.\d+$/.test(v))
    .map((v) => v.slice(1))
    .sort((a, b) => {
      const [a1, a2] = a.split('.').map(Number) as [number, number];
      const [b1, b2] = b.split('.').map(Number) as [number, number];
      return a1 - b1 || a2 - b2;
    })
    .pop() as string;

describe('Teams app package', () => {
  let zip: JSZip;
  let manifest: Manifest;

  beforeAll(async () => {
    const result = await packageTeamsApp({
      botId: BOT_ID,
      domain: 'dsa.azurewebsites.net',
      company: 'Contoso',
      outDir: tempDir(),
    });
    expect(path.basename(result.zipPath)).toBe(ZIP_NAME);
    expect(result.warnings).toEqual([]);
    zip = await JSZip.loadAsync(fs.readFileSync(result.zipPath));
    manifest = JSON.parse(await (zip.file('manifest.json') as JSZip.JSZipObject).async('string')) as Manifest;
  });

  it('zips the manifest, its translations and both icons, all at the root', () => {
    expect(Object.keys(zip.files).sort()).toEqual(
      ['color.png', 'de.json', 'es.json', 'fr.json', 'manifest.json', 'nl.json', 'outline.png'].sort(),
    );
  });

  it('uses the newest stable manifest schema that @microsoft/app-manifest ships, and validates against it', async () => {
    const version = newestStableSchema();
    expect(manifest.manifestVersion).toBe(version);
    expect(manifest.$schema).toContain(`/teams/v${version}/MicrosoftTeams.schema.json`);
    expect(validateDocument(manifest as unknown as Json, 'manifest.json')).toEqual([]);
    for (const language of LANGUAGES) {
      const file = `${language}.json`;
      const document = JSON.parse(await (zip.file(file) as JSZip.JSZipObject).async('string')) as Json;
      expect(document.$schema).toContain(`/teams/v${version}/MicrosoftTeams.Localization.schema.json`);
      expect(validateDocument(document, file)).toEqual([]);
    }
  });

  it('fills in the bot id, the app id and the domain, and leaves no placeholder', async () => {
    expect(manifest.bots[0]?.botId).toBe(BOT_ID);
    expect(manifest.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(manifest.id).not.toBe(BOT_ID);
    expect(manifest.validDomains).toEqual(['dsa.azurewebsites.net']);
    expect(manifest.developer).toMatchObject({
      name: 'Contoso IT',
      websiteUrl: 'https://dsa.azurewebsites.net/',
    });
    for (const file of Object.keys(zip.files).filter((f) => f.endsWith('.json'))) {
      expect({ file, text: await (zip.file(file) as JSZip.JSZipObject).async('string') }).not.toEqual({
        file,
        text: expect.stringContaining('${{'),
      });
    }
    // In the sources the ids are placeholders, never a real GUID.
    expect(sourceManifest.id).toBe('${{TEAMS_APP_ID}}');
    expect(sourceManifest.bots[0]?.botId).toBe('${{BOT_ID}}');
  });

  it('derives the same Teams app id for the same bot every time, unless one is given', async () => {
    const again = await packageTeamsApp({ botId: BOT_ID.toUpperCase(), outDir: tempDir() });
    expect(again.manifest.id).toBe(manifest.id);
    expect(again.warnings.join()).toMatch(/BOT_DOMAIN/);
    const given = await packageTeamsApp({ botId: BOT_ID, appId: APP_ID, outDir: tempDir() });
    expect(given.manifest.id).toBe(APP_ID);
  });

  it('offers the bot in personal chats, teams and group chats, with files (sync error reports), with a command menu per scope', () => {
    const bot = manifest.bots[0];
    expect(bot?.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    // Teams sends a file shared in a personal chat as a file.download.info attachment: the report reader takes it.
    expect(bot?.supportsFiles).toBe(true);
    expect(bot?.commandLists.flatMap((l) => l.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of bot?.commandLists ?? []) {
      expect(list.commands.length).toBeGreaterThanOrEqual(3);
      for (const command of list.commands)
        expect(command.title.length).toBeLessThanOrEqual(MAX_COMMAND_TITLE);
    }
  });

  it('is localized: en-us by default, every command title and description in nl, de, fr and es', () => {
    expect(manifest.localizationInfo.defaultLanguageTag).toBe('en-us');
    expect(manifest.localizationInfo.additionalLanguages).toEqual(
      LANGUAGES.map((l) => ({ languageTag: l, file: `${l}.json` })),
    );
    const keys = (sourceManifest.bots[0]?.commandLists ?? []).flatMap((list, l) =>
      list.commands.flatMap((_c, c) =>
        ['title', 'description'].map((k) => `bots[0].commandLists[${l}].commands[${c}].${k}`),
      ),
    );
    for (const language of LANGUAGES) {
      const document = readJson(path.join(source, `${language}.json`));
      for (const key of ['name.short', 'name.full', 'description.short', 'description.full', ...keys]) {
        expect({ language, key, translated: typeof document[key] }).toEqual({
          language,
          key,
          translated: 'string',
        });
      }
    }
  });

  it('has a 192x192 colour icon and a 32x32 white-on-transparent outline icon', async () => {
    const color = readPng(await (zip.file('color.png') as JSZip.JSZipObject).async('nodebuffer'));
    const outline = readPng(await (zip.file('outline.png') as JSZip.JSZipObject).async('nodebuffer'));
    expect(color).toMatchObject({ width: 192, height: 192 });
    expect(outline).toMatchObject({ width: 32, height: 32, colorType: 6 });
  });
});

describe('the example commands of the Teams menu', () => {
  const assistant = testAssistant();
  /** What each command of the English manifest must lead to, in every language: a topic, or a command. */
  const EXPECTED: Record<string, { topic: string } | { command: string }> = {
    "Sync hasn't run since yesterday": { topic: 'sync-not-recent' },
    'My new password fails in Teams': { topic: 'password-hash-sync' },
    'Colleague not in address book': { topic: 'objects-not-syncing' },
    AttributeValueMustBeUnique: { topic: 'duplicate-upn' },
    'Object quota exceeded': { topic: 'object-quota' },
    help: { command: 'help' },
    menu: { command: 'menu' },
    'talk to a person': { command: 'escalate' },
  };
  const commandLists = sourceManifest.bots[0]?.commandLists ?? [];
  /** The English title at a translation key such as bots[0].commandLists[1].commands[2].title. */
  const englishTitle = (key: string): string => {
    const [, list, command] = /commandLists\[(\d+)\]\.commands\[(\d+)\]/.exec(key) ?? [];
    return commandLists[Number(list)]?.commands[Number(command)]?.title ?? `no command at ${key}`;
  };
  const examples: [string, string, string][] = [
    ...commandLists.flatMap((l) =>
      l.commands.map((c): [string, string, string] => ['en-US', c.title, c.title]),
    ),
    ...LANGUAGES.flatMap((language) =>
      Object.entries(readJson(path.join(source, `${language}.json`)))
        .filter(([key]) => key.endsWith('.title') && key.includes('commandLists'))
        .map(([key, title]): [string, string, string] => [language, String(title), englishTitle(key)]),
    ),
  ];

  it('knows what every command of the manifest should do', () => {
    expect(examples.filter(([, , english]) => !(english in EXPECTED))).toEqual([]);
  });

  it.each(examples)('%s "%s" does what "%s" does', async (locale, title, english) => {
    const trace = traceOf(await new DialogConversation(locale, assistant).say(title));
    expect(trace?.language).toBe(locale.slice(0, 2));
    const expected = EXPECTED[english];
    if (expected && 'topic' in expected) {
      expect({ decision: trace?.decision, topic: trace?.topics[0]?.id }).toEqual({
        decision: 'answer',
        topic: expected.topic,
      });
    } else {
      expect({ decision: trace?.decision, command: trace?.command }).toEqual({
        decision: 'command',
        command: expected?.command,
      });
    }
  });
});

describe('Teams app package problems', () => {
  const problems = (options: Partial<Parameters<typeof packageTeamsApp>[0]>): Promise<string[]> =>
    problemsOf(packageTeamsApp({ botId: BOT_ID, outDir: tempDir(), ...options }));

  it('refuses a missing or malformed bot id, app id or domain with a clear reason', async () => {
    expect(await problems({ botId: '' })).toEqual([
      "settings: MicrosoftAppId (--bot-id): is missing: give the Azure Bot's Microsoft App ID (a GUID)",
    ]);
    expect(await problems({ botId: 'my-bot' })).toEqual([
      `settings: MicrosoftAppId (--bot-id): "my-bot" is not a GUID: give the Azure Bot's Microsoft App ID`,
    ]);
    expect(await problems({ appId: 'teams-app' })).toEqual([
      expect.stringMatching(/^settings: TEAMS_APP_ID \(--app-id\): "teams-app" is not a GUID/),
    ]);
    expect(await problems({ domain: 'https://x.example/path' })).toEqual([
      expect.stringMatching(/^settings: BOT_DOMAIN \(--domain\): .* is not a host name/),
    ]);
  });

  it('names the field when the manifest breaks the schema', async () => {
    const sourceDir = brokenCopy((d) =>
      editJson(d, 'manifest.json', (m) => {
        const bot = (m.bots as Json[])[0] as Json;
        bot.scopes = ['personal', 'everywhere'];
        bot.supportsFile = false;
        delete (m.developer as Json).privacyUrl;
      }),
    );
    expect(await problems({ sourceDir })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^manifest\.json: bots\[0\]\.scopes\[1\]: must be one of "team", "personal"/),
        'manifest.json: bots[0].supportsFile: is not allowed here',
        'manifest.json: developer.privacyUrl: is required',
      ]),
    );
  });

  it('names the field of an unknown or malformed placeholder', async () => {
    const sourceDir = brokenCopy((d) =>
      editJson(d, 'manifest.json', (m) => {
        (m.developer as Json).websiteUrl = 'https://${{SUPPORT_SITE}}/';
        (m.name as Json).full = 'Directory Sync Assistant ${{ BOT-NAME }}';
      }),
    );
    expect(await problems({ sourceDir })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^manifest\.json: developer\.websiteUrl: unknown placeholder \$\{\{SUPPORT_SITE\}\}/,
        ),
        expect.stringMatching(/^manifest\.json: name\.full: malformed placeholder/),
      ]),
    );
  });

  it('checks the length of every command title, in the manifest and in each translation', async () => {
    const sourceDir = brokenCopy((d) => {
      editJson(d, 'manifest.json', (m) => {
        const list = ((m.bots as Json[])[0]?.commandLists as { commands: Command[] }[])[1];
        if (list?.commands[0]) list.commands[0].title = 'My new password doesn’t work in Microsoft Teams';
      });
      editJson(d, 'nl.json', (nl) => {
        nl['bots[0].commandLists[0].commands[0].title'] =
          'een veel te lange titel voor een opdracht in Teams';
      });
    });
    expect(await problems({ sourceDir })).toEqual([
      expect.stringMatching(
        /^manifest\.json: bots\[0\]\.commandLists\[1\]\.commands\[0\]\.title: ".*" has 47 characters, at most 32 fit$/,
      ),
      expect.stringMatching(
        /^nl\.json: bots\[0\]\.commandLists\[0\]\.commands\[0\]\.title: ".*" has 50 characters, at most 32 fit$/,
      ),
    ]);
  });

  it('checks each translation against the localization schema and the manifest', async () => {
    const sourceDir = brokenCopy((d) => {
      editJson(d, 'de.json', (de) => {
        de['bots[0].commandLists[0].commands[11].title'] = 'Gibt es nicht';
        de['name.short'] = 'Ein viel zu langer Name für die App';
      });
      fs.rmSync(path.join(d, 'es.json'));
    });
    expect(await problems({ sourceDir })).toEqual([
      'de.json: bots[0].commandLists[0].commands[11].title: translates nothing: manifest.json has no such field',
      'de.json: name.short: must NOT have more than 30 characters',
      'es.json: (file): is missing',
    ]);
  });

  it('checks the icons: sizes from the PNG header, the outline white on transparent', async () => {
    const wrongSize = brokenCopy((d) =>
      fs.copyFileSync(path.join(d, 'outline.png'), path.join(d, 'color.png')),
    );
    expect(await problems({ sourceDir: wrongSize })).toEqual([
      'color.png: icons.color: must be 192x192 pixels, is 32x32',
    ]);
    const blueOutline = brokenCopy((d) =>
      fs.writeFileSync(
        path.join(d, 'outline.png'),
        encodePng(32, (x) => (x < 16 ? [0, 0, 0, 0] : [15, 92, 168, 255])),
      ),
    );
    expect(await problems({ sourceDir: blueOutline })).toEqual([
      'outline.png: icons.outline: must be white on transparent: pixel (16, 0) is rgb(15, 92, 168)',
    ]);
    const notPng = brokenCopy((d) => fs.writeFileSync(path.join(d, 'color.png'), 'GIF89a'));
    expect(await problems({ sourceDir: notPng })).toEqual(['color.png: icons.color: is not a PNG file']);
  });

  it('writes nothing when something is wrong', async () => {
    const outDir = tempDir();
    await expect(packageTeamsApp({ botId: 'nope', outDir })).rejects.toThrow(TeamsPackageError);
    expect(fs.readdirSync(outDir)).toEqual([]);
  });
});

describe('npm run package:teams', () => {
  it('takes flags before the environment', () => {
    const env = {
      MicrosoftAppId: BOT_ID,
      TEAMS_APP_ID: APP_ID,
      BOT_DOMAIN: 'env.example.net',
      COMPANY_NAME: 'Env',
    };
    expect(optionsFromCommandLine([], env)).toEqual({
      botId: BOT_ID,
      appId: APP_ID,
      domain: 'env.example.net',
      company: 'Env',
    });
    expect(
      optionsFromCommandLine(['--bot-id', APP_ID, '--domain=flag.example.net', '--out', 'x'], env),
    ).toMatchObject({ botId: APP_ID, appId: APP_ID, domain: 'flag.example.net', outDir: path.resolve('x') });
    expect(() => optionsFromCommandLine(['--bot'], env)).toThrow(/--bot: unknown option/);
    expect(() => optionsFromCommandLine(['--bot-id'], env)).toThrow(/--bot-id: needs a value/);
  });

  it('exits with code 1 and the reason when the bot id is missing', async () => {
    const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
    const env = { ...process.env };
    delete env.MicrosoftAppId;
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
      // Run from an empty directory: a developer's .env must not supply the bot id.
      execFile(
        tsx,
        [path.join(projectRoot, 'scripts', 'packageTeams.ts')],
        { cwd: tempDir(), env },
        (error, _out, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
      ),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('settings: MicrosoftAppId (--bot-id): is missing');
  });
});
