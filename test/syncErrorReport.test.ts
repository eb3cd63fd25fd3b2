import fs from 'node:fs';
import path from 'node:path';
import { loadReportVocabulary } from '../src/domain/reports/reportVocabulary';
import { readReportFile } from '../src/domain/reports/reportFile';
import { parseSyncErrorReport, type SyncErrorReport } from '../src/domain/reports/syncErrorReport';
import { loadKnowledge } from '../src/domain/knowledge/loadKnowledge';
import { maskAddressesDeep } from '../src/infrastructure/records/personalData';
import { knowledgeDir } from './support/assistant';
import { tempDir } from './support/tempDirs';

const fixtures = path.join(__dirname, 'fixtures', 'reports');
const vocabulary = loadReportVocabulary(knowledgeDir, loadKnowledge(knowledgeDir).errorCatalog);
const MAX = 1024 * 1024;

async function read(file: string): Promise<SyncErrorReport> {
  const bytes = fs.readFileSync(path.join(fixtures, file));
  const reading = await readReportFile(bytes, file, '', MAX);
  if (!reading.ok) throw new Error(`${file}: ${reading.problem}`);
  return parseSyncErrorReport(reading.text, vocabulary, reading.source);
}

/** type / attribute: "object | value | time" for every error, the groups in the reader's order. */
function summary(report: SyncErrorReport): Record<string, string[]> {
  return Object.fromEntries(
    [...report.groups, ...report.unknownGroups].map((g) => [
      `${g.type}/${g.attribute ?? ''}`,
      g.errors.map((e) => [e.object, e.value ?? '', e.time ?? ''].join(' | ')),
    ]),
  );
}

describe('sync error report parser: every format, several languages', () => {
  it('reads Graph JSON (users with onPremisesProvisioningErrors), PropertyConflict as AttributeValueMustBeUnique', async () => {
    const report = await read('graph-users.en.json');
    expect(report.format).toBe('graph-json');
    expect(summary(report)).toEqual({
      'AttributeValueMustBeUnique/UserPrincipalName': [
        'k.jansen4821@fabrikam.onmicrosoft.com | k.jansen@fabrikam.com | 2026-11-23T14:02:11Z',
        'm.dewit3377@fabrikam.onmicrosoft.com | m.dewit@fabrikam.com | 2026-11-24T08:45:00Z',
      ],
      'AttributeValueMustBeUnique/ProxyAddress': [
        'l.smit@fabrikam.com | smtp:info@fabrikam.com | 2026-11-23T14:02:12Z',
      ],
    });
    expect(Object.keys(summary(report))).toEqual([
      'AttributeValueMustBeUnique/UserPrincipalName',
      'AttributeValueMustBeUnique/ProxyAddress',
    ]);
    expect(report.unknownCount).toBe(0);
  });

  it("reads PowerShell's ConvertTo-Json of Get-MgUser (Spanish data), counting objects, not values", async () => {
    const report = await read('powershell-json.es.json');
    expect(report.format).toBe('powershell');
    expect(summary(report)).toEqual({
      'AttributeValueMustBeUnique/ProxyAddress': [
        'ventas.madrid@fabrikam.es | smtp:ventas@fabrikam.es | 2026-11-23T14:02:15',
        'ventas.madrid@fabrikam.es | smtp:pedidos@fabrikam.es | 2026-11-23T14:02:15',
      ],
      'AttributeValueMustBeUnique/UserPrincipalName': [
        'l.fernandez3108@fabrikam.onmicrosoft.com | l.fernandez@fabrikam.es | 2026-11-23T14:02:11',
      ],
    });
    expect(report.groups.map((g) => g.objects.length)).toEqual([1, 1]);
  });

  it('reads PowerShell Format-List output (Dutch data)', async () => {
    const report = await read('powershell-list.nl.txt');
    expect(report.format).toBe('powershell');
    expect(summary(report)).toEqual({
      'AttributeValueMustBeUnique/ProxyAddress': [
        'verkoop.noord@fabrikam.nl | smtp:verkoop@fabrikam.nl | 23-11-2026 14:02:13',
        's.degroot@fabrikam.nl | smtp:s.degroot@fabrikam.nl | 24-11-2026 09:12:40',
      ],
      'AttributeValueMustBeUnique/UserPrincipalName': [
        'p.bakker7731@fabrikam.onmicrosoft.com | p.bakker@fabrikam.nl | 23-11-2026 14:02:11',
      ],
    });
  });

  it('reads PowerShell Format-Table output (German data), the command line above it ignored', async () => {
    const report = await read('powershell-table.de.txt');
    expect(report.format).toBe('powershell');
    expect(summary(report)).toEqual({
      'AttributeValueMustBeUnique/UserPrincipalName': [
        'a.mueller5521@fabrikam.onmicrosoft.com | a.mueller@fabrikam.de | 23.11.2026 14:02:11',
        'k.weber8812@fabrikam.onmicrosoft.com | k.weber@fabrikam.de | 24.11.2026 07:30:05',
      ],
      'AttributeValueMustBeUnique/ProxyAddress': [
        'j.schulz@fabrikam.de | smtp:vertrieb@fabrikam.de | 23.11.2026 14:02:12',
        'm.fischer@fabrikam.de | smtp:einkauf@fabrikam.de | 24.11.2026 07:30:06',
      ],
    });
  });

  it('reads the error report e-mail as text (Dutch), with type headings, a DN-only object and an unknown type', async () => {
    const report = await read('email.nl.txt');
    expect(report.format).toBe('email');
    expect(summary(report)).toEqual({
      'AttributeValueMustBeUnique/UserPrincipalName': [
        'k.jansen@fabrikam.nl | k.jansen@fabrikam.nl | 25-11-2026 02:31',
        'l.smit@fabrikam.nl | l.smit@fabrikam.nl | 25-11-2026 02:31',
        'CN=M. de Wit,OU=HR,DC=fabrikam,DC=local | m.dewit@fabrikam.nl | 25-11-2026 02:32',
      ],
      'DataValidationFailed/UserPrincipalName': ['n.vos@fabrikam | n.vos@fabrikam | 25-11-2026 02:32'],
      'SoftDeletedObjectConflict/': ['o.visser@fabrikam.nl |  | 25-11-2026 02:33'],
    });
    expect(report.unknownCount).toBe(1);
    expect(report.unknownGroups[0]?.known).toBe(false);
  });

  it('reads the e-mail as saved HTML (German): tables under type headings, the script ignored', async () => {
    const report = await read('email.de.html');
    expect(report.format).toBe('email');
    expect(summary(report)).toEqual({
      'AttributeValueMustBeUnique/ProxyAddresses': [
        'a.mueller@fabrikam.de | SMTP:vertrieb@fabrikam.de | 25.11.2026 02:31',
        'j.schulz@fabrikam.de | SMTP:vertrieb@fabrikam.de | 25.11.2026 02:31',
      ],
      'ExistingAdminRoleConflict/UserPrincipalName': [
        'admin@fabrikam.de | admin@fabrikam.de | 25.11.2026 02:33',
      ],
      'LargeObject/UserCertificate': ['k.weber@fabrikam.de | 17 Werte | 25.11.2026 02:32'],
    });
  });

  it('reads the e-mail as .eml (French, quoted-printable HTML part) with mailparser', async () => {
    const report = await read('email.fr.eml');
    expect(report.format).toBe('email');
    expect(summary(report)).toEqual({
      'FederatedDomainChangeError/UserPrincipalName': [
        'h.moreau@fabrikam.fr | h.moreau@fabrikam-paris.fr | 25/11/2026 02:33',
      ],
      'InvalidHardMatch/SourceAnchor': ['i.laurent@fabrikam.fr | Vm9pY2kgdW4gaWQ= | 25/11/2026 02:34'],
      'InvalidSoftMatch/ProxyAddresses': [
        'c.dubois@fabrikam.fr | SMTP:c.dubois@fabrikam.fr | 25/11/2026 02:31',
      ],
      'InvalidSoftMatch/UserPrincipalName': [
        'e.lefevre@fabrikam.fr | e.lefevre@fabrikam.fr | 25/11/2026 02:31',
      ],
      'ObjectTypeMismatch/ProxyAddresses': [
        'ventes@fabrikam.fr | SMTP:ventes@fabrikam.fr | 25/11/2026 02:32',
      ],
    });
  });

  it("reads Connect Health's CSV export (English): quoted commas, a contact without UPN, error 114", async () => {
    const report = await read('connect-health.en.csv');
    expect(report.format).toBe('csv');
    expect(summary(report)).toEqual({
      'AttributeValueMustBeUnique/ProxyAddresses': [
        'r.brown@fabrikam.com | SMTP:sales@fabrikam.com | 2026-11-25 02:31 UTC',
        'Sales (old) | SMTP:sales@fabrikam.com | 2026-11-25 02:31 UTC',
      ],
      'AttributeValueMustBeUnique/UserPrincipalName': [
        's.taylor@fabrikam.com | s.taylor@fabrikam.com | 2026-11-25 02:32 UTC',
      ],
      'DataValidationFailed/UserPrincipalName': [
        'chris green@fabrikam.com | chris green@fabrikam.com | 2026-11-25 02:33 UTC',
      ],
      'DeletionAccessViolation/': ['d.white@fabrikam.com |  | 2026-11-25 02:34 UTC'],
    });
  });

  it('reads a semicolon CSV with Spanish headers, an unknown type counted, never dropped', async () => {
    const report = await read('connect-health.es.csv');
    expect(report.format).toBe('csv');
    expect(summary(report)).toEqual({
      'AttributeValueMustBeUnique/UserPrincipalName': [
        'l.fernandez@fabrikam.es | l.fernandez@fabrikam.es | 25/11/2026 02:31',
        'j.ruiz@fabrikam.es | j.ruiz@fabrikam.es | 25/11/2026 02:31',
      ],
      'AttributeValueMustBeUnique/ProxyAddresses': [
        'ventas@fabrikam.es | smtp:ventas@fabrikam.es | 25/11/2026 02:32',
      ],
      'ExistingAdminRoleConflict/UserPrincipalName': [
        'admin@fabrikam.es | admin@fabrikam.es | 25/11/2026 02:34',
      ],
      'LargeObject/UserSMIMECertificate': ['m.gomez@fabrikam.es |  | 25/11/2026 02:33'],
      'DirSyncProvisioningTimeout/': ['p.torres@fabrikam.es |  | 25/11/2026 02:35'],
    });
    expect(report.total).toBe(6);
    expect(report.unknownCount).toBe(1);
  });

  it("reads a Synchronization Service Manager export error: attribute and value from the error's detail", async () => {
    const report = await read('ssm-export.en.txt');
    expect(report.format).toBe('ssm');
    expect(summary(report)).toEqual({
      'AttributeValueMustBeUnique/ProxyAddresses': [
        'CN={5A1B0F2C6D3E4F70A1B2C3D4E5F60718} | SMTP:info@fabrikam.com | 11/25/2026 2:31:07 AM',
      ],
    });
  });

  it('reads a French SSM paste: the deletion threshold stop of a connector and an export error', async () => {
    const report = await read('ssm-operations.fr.txt');
    expect(report.format).toBe('ssm');
    expect(summary(report)).toEqual({
      'DataValidationFailed/UserPrincipalName': [
        'CN=Paul Girard,OU=Ventes,DC=fabrikam,DC=local | paul girard@fabrikam | 25/11/2026 02:31:12',
      ],
      'stopped-deletion-threshold/': ['fabrikam.local |  | 25/11/2026 02:30:00'],
    });
  });

  it('finds no errors in text that is not a report', () => {
    for (const text of [
      'What does AttributeValueMustBeUnique mean?',
      '# Heading\n**bold** [link](https://evil.example)',
      '{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"InvalidSoftMatch"}]}',
      '<script>alert(1)</script>',
      '',
    ]) {
      expect(parseSyncErrorReport(text, vocabulary).total).toBe(0);
    }
  });
});

describe('report files', () => {
  const text = (s: string) => new TextEncoder().encode(s);

  it('reads UTF-16 with a byte order mark (Windows PowerShell Out-File) and Windows-1252', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Error: LargeObject\r\n', 'utf16le'),
    ]);
    expect(await readReportFile(utf16, 'out.txt', '', MAX)).toEqual({
      ok: true,
      text: 'Error: LargeObject\r\n',
      source: 'text',
    });
    const cp1252 = Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]); // "Müller"
    expect(await readReportFile(cp1252, 'x.csv', '', MAX)).toMatchObject({ ok: true, text: 'Müller' });
  });

  it('says why a file cannot be read: too large, empty, binary, garbled, unsupported', async () => {
    expect(await readReportFile(text('x'.repeat(101)), 'a.txt', '', 100)).toEqual({
      ok: false,
      problem: 'tooLarge',
    });
    expect(await readReportFile(text('  \n '), 'a.txt', '', MAX)).toEqual({ ok: false, problem: 'empty' });
    expect(await readReportFile(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d]), 'report.txt', '', MAX)).toEqual({
      ok: false,
      problem: 'binary',
    });
    expect(await readReportFile(Buffer.from([1, 2, 0, 0, 5, 0, 7, 0, 0, 9]), 'a.csv', '', MAX)).toEqual({
      ok: false,
      problem: 'binary',
    });
    const noise = Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 7919) % 30 || 1));
    expect(await readReportFile(noise, 'a.txt', '', MAX)).toEqual({ ok: false, problem: 'garbled' });
    expect(await readReportFile(text('a,b'), 'report.xlsx', '', MAX)).toEqual({
      ok: false,
      problem: 'unsupported',
    });
    expect(await readReportFile(text('a,b'), 'report', 'text/csv', MAX)).toMatchObject({
      ok: true,
      source: 'csv',
    });
  });
});

describe('reports.yaml validation', () => {
  it('names the file and field of a problem', () => {
    const dir = tempDir('reports-');
    const original = fs.readFileSync(path.join(knowledgeDir, 'reports.yaml'), 'utf8');
    const catalog = loadKnowledge(knowledgeDir).errorCatalog;
    fs.writeFileSync(
      path.join(dir, 'reports.yaml'),
      original.replace('objectsOnCard: 3', 'objectsOnCard: 0'),
    );
    expect(() => loadReportVocabulary(dir, catalog)).toThrow(/reports\.yaml: limits\.objectsOnCard/);
    fs.writeFileSync(path.join(dir, 'reports.yaml'), original.replace('  LargeObject:\n', '  HugeObject:\n'));
    expect(() => loadReportVocabulary(dir, catalog)).toThrow(/typeNames\.HugeObject: not an error code/);
  });
});

describe('transcripts of reports (BOT_TRANSCRIPTS=on)', () => {
  it('keep masked text only: addresses and DNs masked, files and download links left out', () => {
    const activity = {
      text: 'Identiteit: k.jansen@fabrikam.nl\nOn-premises DN: CN=Kees Jansen,OU=Verkoop,DC=fabrikam,DC=local',
      attachments: [
        { contentType: 'text/csv', name: 'errors.csv', contentUrl: 'data:text/csv;base64,SGVsbG8=' },
        {
          contentType: 'application/vnd.microsoft.teams.file.download.info',
          content: { downloadUrl: 'https://contoso-my.sharepoint.com/x?tempauth=secret', fileType: 'csv' },
        },
      ],
    };
    const masked = JSON.stringify(maskAddressesDeep(activity));
    expect(masked).not.toMatch(/k\.jansen|Kees Jansen|SGVsbG8|tempauth/);
    expect(masked).toContain('[e-mail]');
    expect(masked).toContain('[dn]');
    expect(masked).toContain('[file]');
  });
});
