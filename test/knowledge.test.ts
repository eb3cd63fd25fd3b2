import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { checkCommands, readPowerShellRules, statementsOf } from '../src/domain/knowledge/commandRules';
import { KnowledgeError, loadKnowledge } from '../src/domain/knowledge/loadKnowledge';
import { knowledgeDir } from './support/assistant';

/** The topic ids fixed by the contract (shared/contract.md §1). */
const CONTRACT_TOPICS = [
  'detect-sync-problems',
  'get-connect-tool',
  'objects-not-syncing',
  'sync-not-recent',
  'password-hash-sync',
  'object-quota',
  'synced-attributes',
  'manage-synced-objects',
  'duplicate-upn',
  'duplicate-email',
  'non-routable-domain',
  'count-synced-objects',
  'adfs-troubleshooting',
  'group-displayname',
];

describe('the knowledge base', () => {
  const kb = loadKnowledge(knowledgeDir);

  it('has every contract topic in every language', () => {
    for (const language of kb.languages) {
      for (const id of CONTRACT_TOPICS) expect(kb.topic(id, language)?.id).toBe(id);
    }
    // Written out: every other "in every language" loop iterates kb.languages and would shrink with it.
    expect([...kb.languages].sort()).toEqual(['de', 'en', 'es', 'fr', 'nl']);
  });

  it('links to Learn in the language of the reader where the page is localized', () => {
    for (const language of kb.languages) {
      const locale = kb.pack(language).profile.learnLocale;
      for (const topic of kb.topics(language)) {
        for (const link of topic.links) {
          expect(link.url).toMatch(/^https:\/\//);
          if (link.url.includes('learn.microsoft.com')) expect(link.url).toContain(`/${locale}/`);
        }
      }
    }
  });

  it('recommends no retired PowerShell module and no retired host', () => {
    for (const language of kb.languages) {
      for (const topic of kb.topics(language)) {
        const all = [
          topic.summary,
          topic.causes,
          ...topic.steps.flatMap((s) => [s.text, s.command ?? '']),
        ].join('\n');
        expect(all).not.toMatch(
          /\b(Get|Set|New|Remove)-Msol\w+|\b(Get|Set|New|Remove)-AzureAD\w+|Connect-MsolService|docs\.microsoft\.com/,
        );
      }
    }
  });

  it('gives every topic enough phrasings in every language', () => {
    for (const language of kb.languages) {
      for (const topic of kb.topics(language)) expect(topic.phrasings.length).toBeGreaterThanOrEqual(15);
    }
  });
});

describe('one register per language in what the bot says', () => {
  // What Microsoft 365 uses with its users; the user-typed phrasings may use either.
  const words = (list: string): RegExp => new RegExp(`(?<!\\p{L})(${list})(?!\\p{L})`, 'iu');
  const otherRegister: Record<string, RegExp> = {
    nl: words('u|uw'),
    de: new RegExp(`(?<!\\p{L})(du|dich|dir|dein|deine|deinen|deinem|deiner)(?!\\p{L})`, 'u'),
    fr: words('tu|toi|ton|ta|tes'),
    // Formal imperatives; "que lo revise una persona" (a third person) is fine.
    es: words('usted|ustedes|compruebe|busque|abra|asegúrese|elija|escriba|indique'),
  };

  /** Every text in a YAML file except what users type (phrasings), commands and URLs. */
  const botTexts = (file: string): string[] => {
    const texts: string[] = [];
    const walk = (node: unknown, key: string): void => {
      if (['phrasings', 'command', 'url'].includes(key)) return;
      if (typeof node === 'string') texts.push(node);
      else if (Array.isArray(node)) node.forEach((n) => walk(n, key));
      else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, k);
    };
    walk(YAML.parse(fs.readFileSync(file, 'utf8')), '');
    return texts;
  };
  it.each(Object.keys(otherRegister))('%s', (language) => {
    const folder = path.join(knowledgeDir, 'locales', language);
    const files = [
      'strings.yaml',
      'errors.yaml',
      ...fs.readdirSync(path.join(folder, 'topics')).map((f) => `topics/${f}`),
      ...fs.readdirSync(path.join(folder, 'flows')).map((f) => `flows/${f}`),
    ];
    const offending = files.flatMap((f) =>
      botTexts(path.join(folder, f))
        .filter((t) => otherRegister[language]?.test(t))
        .map((t) => `${f}: ${t}`),
    );
    expect(offending).toEqual([]);
  });
});

describe('a broken knowledge file stops loading with the file, the field and the reason', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-'));
    fs.cpSync(knowledgeDir, dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const problemsOf = (): { file: string; field: string; reason: string }[] => {
    try {
      loadKnowledge(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(KnowledgeError);
      return (error as KnowledgeError).problems;
    }
    throw new Error('the broken knowledge base loaded');
  };
  const edit = (file: string, change: (text: string) => string): void => {
    const full = path.join(dir, file);
    fs.writeFileSync(full, change(fs.readFileSync(full, 'utf8')));
  };
  /** Changes a file's parsed content and writes it back as YAML. */
  const editData = (file: string, change: (data: Record<string, unknown>) => void): void => {
    const full = path.join(dir, file);
    const data = YAML.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>;
    change(data);
    fs.writeFileSync(full, YAML.stringify(data));
  };

  it('a step that is not text', () => {
    editData('locales/nl/topics/duplicate-upn.yaml', (d) =>
      (d.steps as unknown[]).unshift({ text: 42, bogus: true }),
    );
    const problems = problemsOf();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: expect.stringContaining('locales/nl/topics/duplicate-upn.yaml'),
          field: 'steps.0.text',
        }),
      ]),
    );
  });

  it('YAML that does not parse', () => {
    edit('topics/object-quota.yaml', (t) => `${t}\n  : : [unclosed\n`);
    expect(problemsOf()[0]).toMatchObject({
      file: expect.stringContaining('topics/object-quota.yaml'),
      field: expect.stringMatching(/^\(line \d+\)$/),
    });
  });

  it('a topic missing in one language', () => {
    fs.rmSync(path.join(dir, 'locales/en/topics/group-displayname.yaml'));
    expect(problemsOf()).toEqual([
      expect.objectContaining({
        file: expect.stringContaining('locales/en/topics/group-displayname.yaml'),
        reason: expect.stringContaining('no en text'),
      }),
    ]);
  });

  it('a link title for a link that does not exist, and a related topic that does not exist', () => {
    editData(
      'locales/en/topics/object-quota.yaml',
      (d) => ((d.links as Record<string, string>).nowhere = 'A page that is not there'),
    );
    editData('topics/object-quota.yaml', (d) => (d.related as string[]).unshift('no-such-topic'));
    const problems = problemsOf();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'links.nowhere',
          reason: expect.stringContaining('no link "nowhere"'),
        }),
        expect.objectContaining({ field: 'related.0', reason: expect.stringContaining('no-such-topic') }),
      ]),
    );
  });

  it('a string missing in a translation, or with other placeholders', () => {
    edit('locales/nl/strings.yaml', (t) =>
      t
        .replace(/^feedback\.helpdesk: .*$/m, "feedback.helpdesk: 'Bel de helpdesk: {telefoon}'")
        .replace(/^help\.text: .*$/m, ''),
    );
    const problems = problemsOf();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'feedback.helpdesk',
          reason: expect.stringContaining('placeholders'),
        }),
        expect.objectContaining({ field: 'help.text', reason: expect.stringContaining('missing') }),
      ]),
    );
  });

  it('a stemmer, a stop-word list or a date parser that does not exist', () => {
    editData('locales/de/language.yaml', (d) => {
      d.stemmer = 'deutsch';
      d.stopwords = 'ger';
      (d.entities as Record<string, unknown>).dateParser = 'de-de';
    });
    const problems = problemsOf().filter((p) => p.file.includes('locales/de/language.yaml'));
    expect(problems.map((p) => p.field).sort()).toEqual(['entities.dateParser', 'stemmer', 'stopwords']);
    expect(problems.find((p) => p.field === 'stemmer')?.reason).toContain('german');
    expect(problems.find((p) => p.field === 'entities.dateParser')?.reason).toContain('"de"');
  });

  it('a calendar word in the future, or a setting the entity readers no longer have', () => {
    editData('locales/de/language.yaml', (d) => {
      const entities = d.entities as Record<string, unknown>;
      entities.calendarWords = { 'nächste woche': { unit: 'week', offset: 1 } };
      entities.recognizerCulture = 'de-de';
    });
    const problems = problemsOf().filter((p) => p.file.includes('locales/de/language.yaml'));
    expect(problems.map((p) => p.field).sort()).toEqual([
      'entities',
      'entities.calendarWords.nächste woche.offset',
    ]);
    expect(problems.find((p) => p.field === 'entities')?.reason).toContain('recognizerCulture');
  });

  it('a threshold out of range', () => {
    edit('recognition.yaml', (t) => t.replace(/^answerThreshold: .*$/m, 'answerThreshold: 7'));
    expect(problemsOf()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: expect.stringContaining('recognition.yaml'),
          field: 'answerThreshold',
        }),
      ]),
    );
  });
});

describe('the commands in the knowledge (knowledge/powershell.yaml, npm run kb:validate)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-cmd-'));
    fs.cpSync(knowledgeDir, dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const problems = (): string[] => checkCommands(loadKnowledge(dir), readPowerShellRules(dir));
  const editStep = (file: string, index: number, step: { text: string; command?: string }): void => {
    const full = path.join(dir, file);
    const data = YAML.parse(fs.readFileSync(full, 'utf8')) as { steps: unknown[] };
    data.steps[index] = step;
    fs.writeFileSync(full, YAML.stringify(data));
  };

  it('hold for the knowledge as it is', () => {
    expect(problems()).toEqual([]);
  });

  it('find Test-NetConnection presented as a test through the proxy', () => {
    editStep('locales/de/topics/sync-not-recent.yaml', 5, {
      text: 'Testen Sie die Verbindung, einschließlich Proxy in der machine.config.',
      command: 'Test-NetConnection login.microsoftonline.com -Port 443',
    });
    expect(problems()).toEqual([
      'locales/de/topics/sync-not-recent.yaml: steps[5]: Test-NetConnection ignores proxies, but the text presents it as a proxy test',
    ]);
  });

  it('find two commands in one copy block when something must run between them', () => {
    editStep('locales/fr/topics/manage-synced-objects.yaml', 2, {
      text: 'Désactivez la protection, puis réactivez-la (entre les deux, lancez Export).',
      command: 'Get-ADSyncScheduler\nStart-ADSyncSyncCycle -PolicyType Delta',
    });
    expect(problems()).toEqual([
      expect.stringMatching(
        /^locales\/fr\/topics\/manage-synced-objects.yaml: steps\[2\]: command: 2 commands .*"entre les deux"/,
      ),
    ]);
  });

  it('find a protection switched off and on again in one paste, in any language', () => {
    editStep('locales/es/topics/manage-synced-objects.yaml', 2, {
      text: 'Si son intencionadas, déjalas pasar una vez.',
      command:
        'Disable-ADSyncExportDeletionThreshold -AADUserName "a@contoso.onmicrosoft.com"; Enable-ADSyncExportDeletionThreshold -DeletionThreshold 500',
    });
    expect(problems()).toEqual([
      expect.stringContaining('Disable-ADSyncExportDeletionThreshold and its Enable-'),
    ]);
  });

  it('find a cmdlet no module has, a retired one, and one misspelled in the prose', () => {
    editStep('locales/nl/topics/duplicate-upn.yaml', 2, {
      text: 'Zoek in de cloud wie de UPN heeft, met Get-MgUsers.',
      command: 'Get-MsolUser -UserPrincipalName user@contoso.com',
    });
    expect(problems()).toEqual([
      'locales/nl/topics/duplicate-upn.yaml: steps[2]: command: Get-MsolUser is not a known cmdlet',
      'locales/nl/topics/duplicate-upn.yaml: steps[2]: text: Get-MgUsers is not a known cmdlet',
    ]);
  });

  it('take ordinary hyphenated words for words, and ; inside quotes or braces for one command', () => {
    expect(statementsOf('Get-ADUser -Filter "a;b" | ForEach-Object { Set-ADUser $_; $x }')).toHaveLength(1);
    expect(statementsOf('Set-ADSyncScheduler -SyncCycleEnabled $true; Start-ADSyncSyncCycle')).toHaveLength(
      2,
    );
  });
});

describe('parsed knowledge kept between starts', () => {
  it('reads a changed file anew and the unchanged ones the same as when parsed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-cache-'));
    try {
      fs.cpSync(knowledgeDir, dir, { recursive: true });
      const parsed = loadKnowledge(dir);
      // The second load finds every document in the cache the first one wrote.
      const cached = loadKnowledge(dir);
      expect(cached.pack('en').strings).toEqual(parsed.pack('en').strings);
      expect(cached.topics('fr')).toEqual(parsed.topics('fr'));
      const file = path.join(dir, 'locales', 'en', 'strings.yaml');
      fs.writeFileSync(
        file,
        fs
          .readFileSync(file, 'utf8')
          .replace('welcome.title: Directory Sync Assistant', 'welcome.title: Changed'),
      );
      expect(loadKnowledge(dir).pack('en').strings['welcome.title']).toBe('Changed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
