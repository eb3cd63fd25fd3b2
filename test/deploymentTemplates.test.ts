import fs from 'node:fs';
import path from 'node:path';
import { PLATFORM_SETTINGS, SETTING_NAMES } from '../src/infrastructure/config';
import { projectRoot } from './support/assistant';

interface Parameter {
  type: string;
  defaultValue?: unknown;
  allowedValues?: unknown[];
}
interface Resource {
  type: string;
  name: string;
  condition?: string;
  kind?: string;
  location?: string;
  sku?: { name: string };
  identity?: unknown;
  properties?: Record<string, unknown>;
}
interface Template {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, Parameter>;
  variables?: Record<string, unknown>;
  resources: Resource[];
  outputs?: Record<string, { type: string; value: string }>;
}
interface ParameterFile {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, { value: unknown }>;
}
interface SiteConfig {
  linuxFxVersion: string;
  appCommandLine: string;
  alwaysOn: unknown;
  minTlsVersion: string;
  healthCheckPath: string;
  appSettings: { name: string; value: string }[];
}

const dir = path.join(projectRoot, 'deploymentTemplates');
const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;
const templates = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.parameters.json'));
const parametersFileOf = (template: string): string => template.replace(/\.json$/, '.parameters.json');
const parameterRefs = (text: string): string[] =>
  [...text.matchAll(/parameters\('([^']+)'\)/g)].map((m) => m[1] as string);

const appService = read<Template>('app-service.json');
const site = appService.resources.find((r) => r.type === 'Microsoft.Web/sites') as Resource;
const siteConfig = site.properties?.siteConfig as SiteConfig;
const settingValue = (name: string): string =>
  siteConfig.appSettings.find((s) => s.name === name)?.value ?? `(no ${name})`;

/**
 * Settings the bot reads that the templates must not set, because App Service sets them itself:
 * PORT (the port the platform forwards to) and WEBSITE_SITE_NAME (the site's name).
 */
const PROVIDED_BY_APP_SERVICE = [...PLATFORM_SETTINGS];
/** Settings holding secrets: their values may only come from securestring parameters or listKeys. */
const SECRETS = [
  'MicrosoftAppPassword',
  'BOT_STORAGE_CONNECTION_STRING',
  'COSMOS_DB_AUTH_KEY',
  'DIRECT_LINE_SECRET',
  'DirectLineExtensionKey',
  // A Teams Workflow / Power Automate trigger URL carries its signature: it is a secret too.
  'HELPDESK_WEBHOOK_URL',
];

describe('Azure deployment templates', () => {
  it('has the App Service and the Azure Bot templates, each with a parameter file', () => {
    expect(templates.sort()).toEqual(['app-service.json', 'azure-bot.json']);
    expect(
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.parameters.json'))
        .sort(),
    ).toEqual(templates.map(parametersFileOf).sort());
  });

  it.each(templates)(
    '%s is an ARM template whose every parameter is used, and only declared ones',
    (file) => {
      const template = read<Template>(file);
      expect(template.$schema).toBe(
        'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      );
      expect(template.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const text = JSON.stringify({ ...template, parameters: undefined });
      const used = new Set(parameterRefs(text));
      for (const name of Object.keys(template.parameters))
        expect({ name, used: used.has(name) }).toEqual({ name, used: true });
      for (const name of used) expect(Object.keys(template.parameters)).toContain(name);
      const variables = new Set([...text.matchAll(/variables\('([^']+)'\)/g)].map((m) => m[1] as string));
      for (const name of variables) expect(Object.keys(template.variables ?? {})).toContain(name);
    },
  );

  it.each(templates)(
    '%s: its parameter file sets only declared parameters, every required one, allowed values',
    (file) => {
      const template = read<Template>(file);
      const parameters = read<ParameterFile>(parametersFileOf(file));
      expect(parameters.$schema).toBe(
        'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
      );
      expect(parameters.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      for (const name of Object.keys(parameters.parameters))
        expect(Object.keys(template.parameters)).toContain(name);
      const required = Object.entries(template.parameters)
        .filter(([, p]) => p.defaultValue === undefined)
        .map(([name]) => name);
      for (const name of required) expect(Object.keys(parameters.parameters)).toContain(name);
      for (const [name, { value }] of Object.entries(parameters.parameters)) {
        const allowed = template.parameters[name]?.allowedValues;
        if (allowed) expect(allowed).toContain(value);
        // Secrets are passed on the command line, never kept in a parameter file.
        expect({ name, type: template.parameters[name]?.type }).not.toEqual({ name, type: 'securestring' });
      }
    },
  );

  it(`sets exactly the settings the code reads, except those App Service provides (${PROVIDED_BY_APP_SERVICE.join(', ')})`, () => {
    expect(PROVIDED_BY_APP_SERVICE.sort()).toEqual(['PORT', 'WEBSITE_SITE_NAME']);
    const names = siteConfig.appSettings.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    const expected = SETTING_NAMES.filter((n) => !PROVIDED_BY_APP_SERVICE.includes(n));
    // Both ways: nothing the code reads is missing, nothing is set that the code does not read.
    expect(expected.filter((n) => !names.includes(n))).toEqual([]);
    expect(names.filter((n) => !(expected as readonly string[]).includes(n))).toEqual([]);
  });

  it('takes secrets only from securestring parameters (or the storage account keys)', () => {
    for (const name of SECRETS) {
      const value = settingValue(name);
      const referenced = parameterRefs(value);
      expect({ name, fromParameter: referenced.length > 0 || value.includes('listKeys(') }).toEqual({
        name,
        fromParameter: true,
      });
      for (const parameter of referenced) {
        expect({ name, parameter, type: appService.parameters[parameter]?.type }).toEqual({
          name,
          parameter,
          type: 'securestring',
        });
      }
    }
    // No other parameter is a secret that ends up somewhere else.
    const secure = Object.entries(appService.parameters).filter(([, p]) => p.type === 'securestring');
    for (const [parameter] of secure) {
      const settings = siteConfig.appSettings.filter((s) => parameterRefs(s.value).includes(parameter));
      expect(settings.map((s) => s.name).every((n) => SECRETS.includes(n))).toBe(true);
    }
    expect(JSON.stringify(appService.outputs)).not.toMatch(/listKeys|appSecret|Key'\)|Secret'\)/);
  });

  it('runs the built bot on a Linux Node 22 LTS web app: HTTPS only, TLS 1.2, health check, Always On', () => {
    const plan = appService.resources.find((r) => r.type === 'Microsoft.Web/serverfarms') as Resource;
    expect(plan.kind).toBe('linux');
    expect(plan.properties?.reserved).toBe(true);
    expect(site.kind).toBe('app,linux');
    expect(site.properties?.httpsOnly).toBe(true);
    expect(siteConfig.linuxFxVersion).toBe('NODE|22-lts');
    expect(siteConfig.minTlsVersion).toBe('1.2');
    expect(siteConfig.healthCheckPath).toBe('/healthz');
    // Always On everywhere but on the free plan, which does not have it.
    expect(siteConfig.alwaysOn).toBe("[not(equals(parameters('planSku'), 'F1'))]");
    // `npm start` would compile first (prestart), which needs the dev dependencies: App Service runs
    // what `npm run build` produced, the file package.json names as main.
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
      main: string;
      scripts: Record<string, string>;
    };
    expect(siteConfig.appCommandLine).toBe(`node ${pkg.main}`);
    expect(pkg.scripts.start).toBe(`node ${pkg.main}`);
    // The build also trains the intent models into dist/, so the deployed bot loads them at start.
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json && node dist/scripts/trainIntents.js');
    expect(pkg.main).toBe('dist/src/index.js');
  });

  it('creates the managed identity for UserAssignedMSI and a storage account for BOT_STORAGE=blob, each only when chosen', () => {
    const identity = appService.resources.find(
      (r) => r.type === 'Microsoft.ManagedIdentity/userAssignedIdentities',
    ) as Resource;
    expect(identity.condition).toBe("[variables('createMsi')]");
    expect(appService.variables?.createMsi).toBe(
      "[and(variables('useMsi'), empty(parameters('msiResourceId')))]",
    );
    expect(appService.variables?.useMsi).toBe("[equals(parameters('appType'), 'UserAssignedMSI')]");
    expect(JSON.stringify(site.identity)).toContain("'UserAssigned'");
    expect(settingValue('MicrosoftAppId')).toContain('.clientId');
    expect(settingValue('MicrosoftAppType')).toBe("[parameters('appType')]");

    const storage = appService.resources.find(
      (r) => r.type === 'Microsoft.Storage/storageAccounts',
    ) as Resource;
    const container = appService.resources.find(
      (r) => r.type === 'Microsoft.Storage/storageAccounts/blobServices/containers',
    ) as Resource;
    expect(appService.variables?.useBlob).toBe("[equals(parameters('botStorage'), 'blob')]");
    expect(storage.condition).toBe("[variables('useBlob')]");
    expect(container.condition).toBe("[variables('useBlob')]");
    expect(container.name).toContain("parameters('stateContainer')");
    expect(storage.properties).toMatchObject({ minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false });
    expect(settingValue('BOT_STORAGE_CONNECTION_STRING')).toMatch(
      /^\[if\(variables\('useBlob'\), concat\('DefaultEndpointsProtocol=https;AccountName=.*listKeys\(resourceId\('Microsoft\.Storage\/storageAccounts'/,
    );
    expect(settingValue('BOT_STORAGE_CONTAINER')).toBe("[parameters('stateContainer')]");
    expect(appService.parameters.botStorage?.allowedValues).toEqual(['memory', 'blob', 'cosmos']);
  });

  it('supports the SingleTenant and UserAssignedMSI app types only', () => {
    for (const file of templates) {
      expect(read<Template>(file).parameters.appType?.allowedValues?.sort()).toEqual([
        'SingleTenant',
        'UserAssignedMSI',
      ]);
    }
  });

  it('creates an Azure Bot that calls the web app, with the Teams and Direct Line channels', () => {
    const template = read<Template>('azure-bot.json');
    const bot = template.resources.find((r) => r.type === 'Microsoft.BotService/botServices') as Resource;
    expect(bot).toMatchObject({ kind: 'azurebot', location: 'global', sku: { name: "[parameters('sku')]" } });
    expect(template.parameters.sku?.allowedValues).toEqual(['F0', 'S1']);
    expect(bot.properties).toMatchObject({
      msaAppId: "[parameters('appId')]",
      msaAppType: "[parameters('appType')]",
      msaAppTenantId: "[parameters('tenantId')]",
      endpoint: "[variables('endpoint')]",
    });
    expect(String(bot.properties?.msaAppMSIResourceId)).toContain("parameters('msiResourceId')");
    expect(template.variables?.endpoint).toContain(
      "concat('https://', parameters('webAppName'), '.azurewebsites.net/api/messages')",
    );
    const channels = template.resources.filter((r) => r.type === 'Microsoft.BotService/botServices/channels');
    expect(channels.map((c) => c.properties?.channelName).sort()).toEqual([
      'DirectLineChannel',
      'MsTeamsChannel',
    ]);
    for (const channel of channels) expect(channel.location).toBe('global');
  });

  it("feeds the bot template from the App Service template's outputs", () => {
    const outputs = Object.keys(appService.outputs ?? {});
    for (const name of ['appId', 'msiResourceId', 'webAppName']) {
      expect(outputs).toContain(name);
      expect(Object.keys(read<Template>('azure-bot.json').parameters)).toContain(name);
    }
    expect(appService.outputs?.botEndpoint?.value).toMatch(/\/api\/messages'\)\]$/);
  });
});

describe('the list of settings', () => {
  it('names exactly the environment variables src/infrastructure/config.ts reads', () => {
    // Code only: comments mention files such as .env.example.
    const source = fs
      .readFileSync(path.join(projectRoot, 'src', 'infrastructure', 'config.ts'), 'utf8')
      .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const read = new Set([
      ...[...source.matchAll(/\benv\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string),
      ...[...source.matchAll(/\b(?:integer|onOff|url|required)\(env, '([^']+)'/g)].map((m) => m[1] as string),
    ]);
    expect([...read].sort()).toEqual([...SETTING_NAMES].sort());
  });
});
