import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { packageTeamsApp, TeamsPackageError } from '../scripts/packageTeams';
import { projectRoot } from './support/assistant';

const BOT_ID = '11111111-2222-3333-4444-555555555555';
const source = path.join(projectRoot, 'appPackage');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dsa-teams-'));
}

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

describe('Teams app package', () => {
  it('validates offline and zips the manifest, its translations and both icons', async () => {
    const outDir = tempDir();
    const result = await packageTeamsApp({ botId: BOT_ID, domain: 'dsa.azurewebsites.net', outDir });
    const zip = await JSZip.loadAsync(fs.readFileSync(result.zipPath));
    expect(Object.keys(zip.files).sort()).toEqual(
      ['color.png', 'de.json', 'es.json', 'fr.json', 'manifest.json', 'nl.json', 'outline.png'].sort(),
    );
    const manifest = JSON.parse(await (zip.file('manifest.json') as JSZip.JSZipObject).async('string'));
    expect(manifest.manifestVersion).toBe('1.30');
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(manifest.id).not.toBe(BOT_ID);
    expect(manifest.validDomains).toEqual(['dsa.azurewebsites.net']);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    const color = await (zip.file('color.png') as JSZip.JSZipObject).async('nodebuffer');
    const outline = await (zip.file('outline.png') as JSZip.JSZipObject).async('nodebuffer');
    expect([color.readUInt32BE(16), color.readUInt32BE(20)]).toEqual([192, 192]);
    expect([outline.readUInt32BE(16), outline.readUInt32BE(20)]).toEqual([32, 32]);
    // The same bot always gets the same Teams app id, so an upload replaces the app.
    const again = await packageTeamsApp({ botId: BOT_ID, outDir: tempDir() });
    expect(again.manifest.id).toBe(manifest.id);
  });

  it('refuses a missing or malformed bot id with a clear reason', async () => {
    await expect(packageTeamsApp({ botId: '', outDir: tempDir() })).rejects.toThrow(/bot id: .*GUID/);
    await expect(packageTeamsApp({ botId: 'my-bot', outDir: tempDir() })).rejects.toThrow(TeamsPackageError);
    await expect(
      packageTeamsApp({ botId: BOT_ID, domain: 'https://x.example/path', outDir: tempDir() }),
    ).rejects.toThrow(/domain/);
  });

  it('names the field when the manifest breaks the schema', async () => {
    const dir = brokenCopy((d) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(d, 'manifest.json'), 'utf8'));
      manifest.bots[0].scopes = ['personal', 'everywhere'];
      fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify(manifest));
    });
    await expect(packageTeamsApp({ botId: BOT_ID, sourceDir: dir, outDir: tempDir() })).rejects.toThrow(
      /manifest\.json: \/bots\/0\/scopes\/1/,
    );
  });

  it('checks the translations and the icons', async () => {
    const longTitle = brokenCopy((d) => {
      const nl = JSON.parse(fs.readFileSync(path.join(d, 'nl.json'), 'utf8'));
      nl['bots[0].commandLists[0].commands[0].title'] = 'een veel te lange titel voor een opdracht in Teams';
      fs.writeFileSync(path.join(d, 'nl.json'), JSON.stringify(nl));
    });
    await expect(packageTeamsApp({ botId: BOT_ID, sourceDir: longTitle, outDir: tempDir() })).rejects.toThrow(
      /nl\.json/,
    );
    const wrongIcon = brokenCopy((d) =>
      fs.copyFileSync(path.join(d, 'outline.png'), path.join(d, 'color.png')),
    );
    await expect(packageTeamsApp({ botId: BOT_ID, sourceDir: wrongIcon, outDir: tempDir() })).rejects.toThrow(
      /color\.png: must be 192x192/,
    );
  });
});
