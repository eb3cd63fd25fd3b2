import fs from 'node:fs';
import path from 'node:path';
import { PLATFORM_SETTINGS, SETTING_NAMES } from '../src/config';
import { projectRoot } from './support/assistant';

interface Template {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, { type: string; defaultValue?: unknown; allowedValues?: unknown[] }>;
  resources: Record<string, unknown>[];
}

const dir = path.join(projectRoot, 'deploymentTemplates');
const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;
const templates = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.parameters.json'));

/** Settings that configure App Service's own build, not the bot. */
const DEPLOYMENT_ONLY = ['SCM_DO_BUILD_DURING_DEPLOYMENT'];
const SECRETS = [
  'MicrosoftAppPassword',
  'BOT_STORAGE_CONNECTION_STRING',
  'COSMOS_DB_AUTH_KEY',
  'DIRECT_LINE_SECRET',
  'DirectLineExtensionKey',
  'HELPDESK_WEBHOOK_URL',
];

describe('Azure deployment templates', () => {
  it('has the App Service and the Azure Bot templates, each with a parameter file', () => {
    expect(templates.sort()).toEqual(['app-service.json', 'azure-bot.json']);
    for (const t of templates)
      expect(fs.existsSync(path.join(dir, t.replace('.json', '.parameters.json')))).toBe(true);
  });

  it.each(templates)('%s is an ARM template whose every parameter is used', (file) => {
    const template = read<Template>(file);
    expect(template.$schema).toMatch(/deploymentTemplate\.json#$/);
    expect(template.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const text = JSON.stringify({ ...template, parameters: undefined });
    for (const name of Object.keys(template.parameters)) {
      expect({ name, used: text.includes(`parameters('${name}')`) }).toEqual({ name, used: true });
    }
    // Nothing refers to a parameter that does not exist.
    for (const [, name] of text.matchAll(/parameters\('([^']+)'\)/g))
      expect(Object.keys(template.parameters)).toContain(name);
  });

  it.each(templates)(
    '%s: its parameter file sets only declared parameters and every required one',
    (file) => {
      const template = read<Template>(file);
      const parameters = read<{ $schema: string; parameters: Record<string, { value: unknown }> }>(
        file.replace('.json', '.parameters.json'),
      );
      expect(parameters.$schema).toMatch(/deploymentParameters\.json#$/);
      for (const name of Object.keys(parameters.parameters))
        expect(Object.keys(template.parameters)).toContain(name);
      const required = Object.entries(template.parameters)
        .filter(([, p]) => p.defaultValue === undefined)
        .map(([name]) => name);
      for (const name of required) expect(Object.keys(parameters.parameters)).toContain(name);
      for (const [name, { value }] of Object.entries(parameters.parameters)) {
        const allowed = template.parameters[name]?.allowedValues;
        if (allowed) expect(allowed).toContain(value);
      }
    },
  );

  it('sets exactly the settings the code reads (App Service provides PORT and WEBSITE_SITE_NAME)', () => {
    const site = read<Template>('app-service.json').resources.find(
      (r) => r.type === 'Microsoft.Web/sites',
    ) as {
      properties: { siteConfig: { appSettings: { name: string; value: string }[]; linuxFxVersion: string } };
    };
    const names = site.properties.siteConfig.appSettings
      .map((s) => s.name)
      .filter((n) => !DEPLOYMENT_ONLY.includes(n));
    const expected = SETTING_NAMES.filter((n) => !PLATFORM_SETTINGS.includes(n));
    expect([...names].sort()).toEqual([...expected].sort());
    expect(new Set(names).size).toBe(names.length);
    expect(site.properties.siteConfig.linuxFxVersion).toBe('NODE|20-lts');
  });

  it('takes secrets only as securestring parameters', () => {
    const template = read<Template>('app-service.json');
    const site = template.resources.find((r) => r.type === 'Microsoft.Web/sites') as {
      properties: { siteConfig: { appSettings: { name: string; value: string }[] } };
    };
    for (const setting of site.properties.siteConfig.appSettings.filter((s) => SECRETS.includes(s.name))) {
      const used = [...setting.value.matchAll(/parameters\('([^']+)'\)/g)].map((m) => m[1] as string);
      for (const name of used)
        expect({ setting: setting.name, type: template.parameters[name]?.type }).toEqual({
          setting: setting.name,
          type: 'securestring',
        });
    }
    for (const file of templates) {
      const parameters = read<{ parameters: Record<string, unknown> }>(
        file.replace('.json', '.parameters.json'),
      );
      for (const name of Object.keys(parameters.parameters)) {
        expect(read<Template>(file).parameters[name]?.type).not.toBe('securestring');
      }
    }
  });

  it('supports the SingleTenant and UserAssignedMSI app types, and the bot has Teams and Direct Line', () => {
    for (const file of templates) {
      expect(read<Template>(file).parameters.appType?.allowedValues?.sort()).toEqual([
        'SingleTenant',
        'UserAssignedMSI',
      ]);
    }
    const bot = read<Template>('azure-bot.json');
    const channels = bot.resources
      .filter((r) => r.type === 'Microsoft.BotService/botServices/channels')
      .map((r) => (r.properties as { channelName: string }).channelName);
    expect(channels.sort()).toEqual(['DirectLineChannel', 'MsTeamsChannel']);
    const service = bot.resources.find((r) => r.type === 'Microsoft.BotService/botServices') as {
      kind: string;
      properties: Record<string, string>;
    };
    expect(service.kind).toBe('azurebot');
    expect(service.properties.msaAppMSIResourceId).toContain("parameters('msiResourceId')");
  });
});

describe('the list of settings', () => {
  it('names exactly the environment variables src/config.ts reads', () => {
    // Code only: comments mention files such as .env.example.
    const source = fs
      .readFileSync(path.join(projectRoot, 'src', 'config.ts'), 'utf8')
      .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const read = new Set([
      ...[...source.matchAll(/\benv\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string),
      ...[...source.matchAll(/\b(?:integer|onOff|url|required)\(env, '([^']+)'/g)].map((m) => m[1] as string),
    ]);
    expect([...read].sort()).toEqual([...SETTING_NAMES].sort());
  });
});
