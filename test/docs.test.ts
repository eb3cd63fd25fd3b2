/**
 * The documentation against its sources: README.md and docs/*.md fail here when a link breaks, a
 * table drifts from package.json, src/infrastructure/config.ts or knowledge/, or a generated part is
 * stale. `UPDATE_DOCS=1 npx jest test/docs.test.ts` rewrites the generated parts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { readSettings, SETTING_NAMES, type Settings } from '../src/infrastructure/config';

const root = path.resolve(__dirname, '..');
const docsDir = path.join(root, 'docs');
const README = path.join(root, 'README.md');
const docPages = fs
  .readdirSync(docsDir)
  .filter((name) => name.endsWith('.md'))
  .sort();
const markdownFiles = [README, ...docPages.map((name) => path.join(docsDir, name))];

const read = (file: string): string => fs.readFileSync(file, 'utf8');
const doc = (name: string): string => read(path.join(docsDir, name));
/** One line of prose per paragraph, so that a phrase wrapped over two lines is still found. */
const flat = (text: string): string => text.replace(/\s+/g, ' ');

/** The text outside fenced code blocks (a link or path in an example is not a claim). */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

/** Every link target of a markdown file: [text](target), ![alt](target) and <img src="target">. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, '');
  return [
    ...[...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] as string),
    ...[...text.matchAll(/<img\s[^>]*src="([^"]+)"/g)].map((m) => m[1] as string),
  ];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const match of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = slug(match[1] as string);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The rows of the first table after `heading` (or the first table of the file), as cells. */
function tableRows(markdown: string, heading?: string): string[][] {
  let text = markdown;
  if (heading !== undefined) {
    const at = markdown.indexOf(`\n${heading}\n`);
    if (at < 0) throw new Error(`no heading "${heading}"`);
    text = markdown.slice(at + heading.length + 2);
  }
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** The code-span name at the start of a cell: `npm` in "`npm` and more". */
function codeName(cell: string | undefined): string {
  const match = /^`([^`]+)`/.exec(cell ?? '');
  if (!match) throw new Error(`cell "${cell}" does not start with a \`name\``);
  return match[1] as string;
}

const packageJson = JSON.parse(read(path.join(root, 'package.json'))) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('README.md', () => {
  it('is at most 8 KB', () => {
    expect(fs.statSync(README).size).toBeLessThanOrEqual(8192);
  });

  it('links every page of docs/', () => {
    const linked = new Set(
      linkTargets(read(README))
        .map((target) => target.split('#')[0] as string)
        .filter((target) => target.startsWith('docs/')),
    );
    expect(docPages.filter((name) => !linked.has(`docs/${name}`))).toEqual([]);
  });

  it('keeps knowledge/AUTHORING.md moved to docs/knowledge-authoring.md', () => {
    expect(fs.existsSync(path.join(root, 'knowledge', 'AUTHORING.md'))).toBe(false);
    expect(docPages).toContain('knowledge-authoring.md');
  });
});

describe('links in README.md and docs/', () => {
  const links = markdownFiles.flatMap((file) =>
    linkTargets(read(file))
      .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
      .map((target) => [path.relative(root, file), target] as const),
  );

  it('finds links to check', () => {
    expect(links.length).toBeGreaterThan(50);
  });

  it.each(links)('%s: %s resolves to a file and heading that exist', (from, target) => {
    const [file = '', anchor] = target.split('#');
    const resolved =
      file === '' ? path.join(root, from) : path.resolve(path.dirname(path.join(root, from)), file);
    expect({ target, exists: fs.existsSync(resolved) }).toEqual({ target, exists: true });
    if (anchor !== undefined && resolved.endsWith('.md')) {
      expect([...anchorsOf(read(resolved))]).toContain(anchor);
    }
  });

  it('names only repository paths that exist', () => {
    const missing = markdownFiles.flatMap((file) =>
      [
        ...prose(read(file)).matchAll(
          /`((?:src|scripts|test|knowledge|cards|deploymentTemplates|appPackage|docs|webchat)\/[^`\s]*)`/g,
        ),
      ]
        .map((m) => m[1] as string)
        // Placeholders (<lang>, {id}, *) and what the build or the tests write are not in the repository.
        .filter((p) => !/[<>{}*]/.test(p) && !/(^|\/)(build|artifacts)\//.test(p))
        .filter((p) => !fs.existsSync(path.join(root, p)))
        .map((p) => `${path.relative(root, file)}: ${p}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('docs/scripts.md', () => {
  it('lists exactly the scripts of package.json', () => {
    const listed = tableRows(doc('scripts.md')).map((row) => codeName(row[0]));
    expect([...listed].sort()).toEqual(Object.keys(packageJson.scripts).sort());
  });
});

describe('docs/dependencies.md', () => {
  it.each(['dependencies', 'devDependencies'] as const)(
    'explains every package of %s, in its own table',
    (kind) => {
      const listed = tableRows(
        doc('dependencies.md'),
        `## \`${kind}\``.concat(
          kind === 'dependencies' ? ' (what the running bot loads)' : ' (build, tests and scripts)',
        ),
      ).map((row) => codeName(row[0]));
      expect([...listed].sort()).toEqual(Object.keys(packageJson[kind]).sort());
    },
  );
});

describe('docs/configuration.md', () => {
  const rows = tableRows(doc('configuration.md'));
  const byName = new Map(rows.map((row) => [codeName(row[0]), row]));

  it('names exactly the settings src/infrastructure/config.ts reads', () => {
    expect([...byName.keys()].sort()).toEqual([...SETTING_NAMES].sort());
  });

  it('names exactly the settings .env.example documents', () => {
    const inExample = [...read(path.join(root, '.env.example')).matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map(
      (m) => m[1] as string,
    );
    expect([...byName.keys()].sort()).toEqual([...inExample].sort());
  });

  // A default that config.ts gives a setting, as readSettings() reports it.
  const blob = readSettings({
    BOT_STORAGE: 'blob',
    BOT_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
  });
  const cosmos = readSettings({
    BOT_STORAGE: 'cosmos',
    COSMOS_DB_ENDPOINT: 'https://x',
    COSMOS_DB_AUTH_KEY: 'k',
  });
  const relative = (dir: string): string => `./${path.relative(root, dir)}`;
  const defaults: Partial<
    Record<(typeof SETTING_NAMES)[number], (s: Settings) => string | number | boolean>
  > = {
    PORT: (s) => s.port,
    LOG_LEVEL: (s) => s.logLevel,
    KNOWLEDGE_DIR: (s) => relative(s.knowledgeDir),
    CARDS_DIR: (s) => relative(s.cardsDir),
    DATA_DIR: (s) => relative(s.dataDir),
    MAX_BODY_BYTES: (s) => s.maxBodyBytes,
    MESSAGE_RATE_LIMIT: (s) => s.messageRateLimit,
    MAX_CONCURRENT_TURNS: (s) => s.maxConcurrentTurns,
    MAX_REPORT_BYTES: (s) => s.reports.maxBytes,
    REPORT_FETCH_TIMEOUT_MS: (s) => s.reports.fetchTimeoutMs,
    BOT_STORAGE: (s) => s.storage.kind,
    BOT_STORAGE_CONTAINER: () => (blob.storage.kind === 'blob' ? blob.storage.container : ''),
    COSMOS_DB_DATABASE_ID: () => (cosmos.storage.kind === 'cosmos' ? cosmos.storage.databaseId : ''),
    COSMOS_DB_CONTAINER_ID: () => (cosmos.storage.kind === 'cosmos' ? cosmos.storage.containerId : ''),
    BOT_TRANSCRIPTS: (s) => (s.transcripts ? 'on' : 'off'),
    DIRECT_LINE_ENDPOINT: (s) => s.directLine.endpoint,
    SYNC_STATUS_CHECK: (s) => (s.syncStatus.enabled ? 'graph' : 'off'),
    GRAPH_BASE_URL: (s) => s.syncStatus.graphBaseUrl,
    SYNC_STATUS_CACHE_SECONDS: (s) => s.syncStatus.cacheSeconds,
    SYNC_STATUS_TIMEOUT_MS: (s) => s.syncStatus.timeoutMs,
  };
  const settings = readSettings({});

  it.each(SETTING_NAMES.map((name) => [name]))('gives the default of %s that config.ts gives', (name) => {
    const cell = byName.get(name)?.[1] ?? '';
    const expected = defaults[name];
    if (expected)
      expect(cell).toMatch(
        new RegExp(`^\`${String(expected(settings)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``),
      );
    else expect(cell).toMatch(/^empty\b/);
  });
});

describe('knowledge/recognition.yaml in the docs', () => {
  const recognition = YAML.parse(read(path.join(root, 'knowledge', 'recognition.yaml'))) as Record<
    string,
    unknown
  >;
  const keys = Object.entries(recognition).flatMap(([key, value]) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? [[key, value] as const, ...Object.entries(value as Record<string, unknown>)]
      : [[key, value] as const],
  );

  it.each(keys.map(([key]) => [key]))('describes %s in docs/knowledge-authoring.md', (key) => {
    expect(doc('knowledge-authoring.md')).toMatch(new RegExp(`^\\s*- \`${key}\``, 'm'));
  });

  // The values live in the YAML alone: a copy in the docs goes stale (it did: 0.45 and 0.04 stood here).
  it('repeats no value of the file next to its key', () => {
    const repeats = markdownFiles.flatMap((file) =>
      keys
        .filter(([, value]) => typeof value === 'number')
        .filter(([key, value]) =>
          new RegExp(
            `\\b${key}\\b\`?\\s*(?:[:=]\\s*\\d|\\(\\s*${String(value).replace('.', '\\.')}\\s*\\))`,
          ).test(read(file)),
        )
        .map(([key]) => `${path.relative(root, file)}: ${key}`),
    );
    expect(repeats).toEqual([]);
  });
});

interface DiagnosisRule {
  below?: number;
  severity: string;
  conclusion: string;
  startWith?: number[];
}
interface DiagnosisTopic {
  id: string;
  diagnosis?: { fact: 'elapsed' | 'count'; rules: DiagnosisRule[] };
}

const topicsDir = path.join(root, 'knowledge', 'topics');
const topicFiles = fs
  .readdirSync(topicsDir)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const topics = topicFiles.map((name) => YAML.parse(read(path.join(topicsDir, name))) as DiagnosisTopic);

function duration(seconds: number): string {
  const unit = (value: number, name: string): string => `${value} ${name}${value === 1 ? '' : 's'}`;
  if (seconds < 3600) return unit(seconds / 60, 'minute');
  if (seconds < 72 * 3600) return unit(seconds / 3600, 'hour');
  return unit(seconds / 86400, 'day');
}

/** Every topic's diagnosis rules as a table: the limits are the YAML's, never typed by hand. */
function diagnosisTable(): string {
  const lines = [
    '| topic | fact | below | severity | conclusion | starts with steps | says (English, first clause) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const topic of topics) {
    if (!topic.diagnosis) continue;
    const english = YAML.parse(
      read(path.join(root, 'knowledge', 'locales', 'en', 'topics', `${topic.id}.yaml`)),
    ) as {
      diagnosis: { conclusions: Record<string, string> };
    };
    topic.diagnosis.rules.forEach((rule, index) => {
      const below =
        rule.below === undefined
          ? 'above all'
          : topic.diagnosis?.fact === 'elapsed'
            ? duration(rule.below)
            : rule.below.toLocaleString('en-US');
      const says = (english.diagnosis.conclusions[rule.conclusion] ?? '').split(/[:.](?=\s|$)/)[0];
      lines.push(
        `| ${index === 0 ? `\`${topic.id}\`` : ''} | ${index === 0 ? `\`${topic.diagnosis?.fact}\`` : ''} | ${below} | ${rule.severity} | \`${rule.conclusion}\` | ${(rule.startWith ?? []).join(', ')} | ${says} |`,
      );
    });
  }
  return lines.join('\n');
}

/** The diagnosis block of one topic file, as authors write it. */
function diagnosisExample(): string {
  const lines = read(path.join(topicsDir, 'sync-not-recent.yaml')).split('\n');
  const start = lines.findIndex((line) => line.startsWith('diagnosis:'));
  const end = lines.findIndex((line, i) => i > start && !/^\s+\S/.test(line));
  return ['```yaml', '# knowledge/topics/sync-not-recent.yaml', ...lines.slice(start, end), '```'].join('\n');
}

const generated: { file: string; name: string; content: () => string }[] = [
  { file: 'answers.md', name: 'diagnosis', content: diagnosisTable },
  { file: 'knowledge-authoring.md', name: 'diagnosis-example', content: diagnosisExample },
];

/** The text as `npm run lint` wants it (Prettier's own CLI: its API needs ES modules, which jest lacks). */
function prettierFormat(file: string, text: string): string {
  return execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--stdin-filepath', file],
    { cwd: root, input: text, encoding: 'utf8' },
  );
}

describe('generated parts of docs/', () => {
  it.each(generated.map((g) => [g.file, g.name, g] as const))('%s: %s is up to date', (file, name, part) => {
    const full = path.join(docsDir, file);
    const current = read(full);
    const begin = new RegExp(
      `(<!-- begin generated: ${name}\\b[^\\n]*-->\\n)[\\s\\S]*?(\\n<!-- end generated: ${name} -->)`,
    );
    expect(current).toMatch(begin);
    const expected = prettierFormat(full, current.replace(begin, `$1\n${part.content()}\n$2`));
    if (process.env.UPDATE_DOCS === '1' && expected !== current) fs.writeFileSync(full, expected);
    else expect(current).toBe(expected);
  });

  it('the diagnosis table holds every rule of every topic', () => {
    const rules = topics.reduce((n, t) => n + (t.diagnosis?.rules.length ?? 0), 0);
    const inTable = doc('answers.md')
      .split('\n')
      .filter((line) => /\| (good|warning|attention) +\|/.test(line));
    expect(rules).toBeGreaterThan(0);
    expect(inTable).toHaveLength(rules);
  });
});

describe('docs/architecture.md', () => {
  it('names every folder of src/', () => {
    const text = doc('architecture.md');
    const folders = fs
      .readdirSync(path.join(root, 'src'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((layer) => [
        `src/${layer.name}/`,
        ...fs
          .readdirSync(path.join(root, 'src', layer.name), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => `${e.name}/`),
      ]);
    expect(folders.filter((folder) => !text.includes(`\`${folder}\``))).toEqual([]);
  });
});

describe('docs/trace-contract.md', () => {
  const text = doc('trace-contract.md');
  const fieldsOf = (file: string, type: string): string[] => {
    const body =
      new RegExp(`export interface ${type} \\{([\\s\\S]*?)\\n\\}`).exec(read(path.join(root, file)))?.[1] ??
      '';
    return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1] as string);
  };

  it.each([
    ['src/conversation/recognitionTrace.ts', 'RecognitionTraceValue'],
    ['src/conversation/syncErrorReportDialog.ts', 'SyncErrorReportTraceValue'],
  ])('describes every field of %s %s', (file, type) => {
    const fields = fieldsOf(file, type);
    expect(fields.length).toBeGreaterThan(2);
    expect(fields.filter((field) => !text.includes(`\`${field}\``))).toEqual([]);
  });

  it('names every decision and every entity type', () => {
    const decisions =
      /export type TraceDecision = ([^;]+);/.exec(
        read(path.join(root, 'src/conversation/recognitionTrace.ts')),
      )?.[1] ?? '';
    const entities = [
      ...read(path.join(root, 'src/domain/entities/facts.ts')).matchAll(/\{ type: '(\w+)'/g),
    ].map((m) => m[1] as string);
    const names = [...[...decisions.matchAll(/'(\w+)'/g)].map((m) => m[1] as string), ...entities];
    expect(entities.length).toBeGreaterThan(3);
    expect(names.filter((name) => !text.includes(`\`${name}\``) && !text.includes(`"${name}"`))).toEqual([]);
  });
});

describe('figures that count files', () => {
  const dataLines = (file: string): string[] =>
    read(path.join(root, file))
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const n = (count: number): string => count.toLocaleString('en-US');

  it('docs/understanding.md gives the sizes of the training, dev and held-out sets', () => {
    const text = flat(doc('understanding.md'));
    const examples = fs.readdirSync(path.join(root, 'knowledge', 'locales')).reduce((sum, language) => {
      const file = path.join('knowledge', 'locales', language, 'examples.tsv');
      return sum + (fs.existsSync(path.join(root, file)) ? dataLines(file).length : 0);
    }, 0);
    const conversations = dataLines('test/utterances/holdout-conversations-2026-12.tsv');
    expect(text).toContain(`\`knowledge/locales/*/examples.tsv\`: ${n(examples)} messages`);
    expect(text).toContain(
      `(\`test/utterances/dev.tsv\`, ${n(dataLines('test/utterances/dev.tsv').length)} lines)`,
    );
    expect(text).toContain(`${n(dataLines('test/utterances/holdout-2026-12.tsv').length)} messages, and`);
    expect(text).toContain(
      `${new Set(conversations.map((line) => line.split('\t')[0])).size} conversations of ${conversations.length} turns`,
    );
  });

  it('docs/languages.md gives the size of the labeled sets the foreign-language check was measured on', () => {
    const labeled =
      dataLines('test/utterances/eval.tsv').length + dataLines('test/utterances/regression.tsv').length;
    expect(flat(doc('languages.md'))).toContain(`${n(labeled)} labeled messages`);
  });

  it('docs/live-tenant-check.md names every topic with a tenantCheck block', () => {
    const withCheck = topicFiles.filter((name) => /^tenantCheck:/m.test(read(path.join(topicsDir, name))));
    const text = flat(doc('live-tenant-check.md'));
    expect(withCheck.length).toBeGreaterThan(0);
    expect(withCheck.map((name) => name.replace(/\.yaml$/, '')).filter((id) => !text.includes(id))).toEqual(
      [],
    );
  });
});
