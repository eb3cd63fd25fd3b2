import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { knowledgeChecks } from '../src/domain/knowledge/knowledgeChecks';
import { ProblemList, readKnowledgeFiles } from '../src/domain/knowledge/knowledgeFiles';
import { knowledgeDir } from './support/assistant';

type Edit = (dir: string) => void;
const editData =
  (file: string, change: (data: Record<string, unknown>) => void): Edit =>
  (dir) => {
    const full = path.join(dir, file);
    const data = YAML.parse(fs.readFileSync(full, 'utf8'));
    change(data);
    fs.writeFileSync(full, YAML.stringify(data));
  };
const editText =
  (file: string, change: (text: string) => string): Edit =>
  (dir) => {
    const full = path.join(dir, file);
    fs.writeFileSync(full, change(fs.readFileSync(full, 'utf8')));
  };
const remove =
  (file: string): Edit =>
  (dir) =>
    fs.rmSync(path.join(dir, file), { recursive: true });

/** For each named check, a break only it is there to catch, and the problem it must name. */
const breaks: Record<string, { edit: Edit; file: string; field: string }> = {
  'topic-ids': {
    edit: editData('topics/object-quota.yaml', (d) => (d.id = 'object-quotas')),
    file: 'knowledge/topics/object-quota.yaml',
    field: 'id',
  },
  'some-topics': { edit: remove('topics'), file: 'knowledge/topics', field: '(folder)' },
  'error-catalog-topics': {
    edit: editData('errors.yaml', (d) => ((d.errors as { topic: string }[])[0]!.topic = 'no-such-topic')),
    file: 'knowledge/errors.yaml',
    field: 'errors.0.topic',
  },
  'related-topics': {
    edit: editData('topics/object-quota.yaml', (d) => (d.related as string[]).unshift('no-such-topic')),
    file: 'knowledge/topics/object-quota.yaml',
    field: 'related.0',
  },
  'flow-graphs': {
    edit: editData('flows/objects-not-syncing.yaml', (d) => {
      (d.steps as Record<string, Record<string, string>>).recentSync!.yes = 'inScope';
    }),
    file: 'knowledge/flows/objects-not-syncing.yaml',
    field: 'steps.inScope',
  },
  'language-folders': {
    edit: editData('recognition.yaml', (d) => (d.languages as string[]).push('it')),
    file: 'knowledge/recognition.yaml',
    field: 'languages',
  },
  'example-intents': {
    edit: editText('locales/en/examples.tsv', (t) => `${t}\nno-such-topic\tadmin\tsome text\n`),
    file: 'knowledge/locales/en/examples.tsv',
    field: `line ${fs.readFileSync(path.join(knowledgeDir, 'locales/en/examples.tsv'), 'utf8').split('\n').length + 1}`,
  },
  'error-texts': {
    edit: editData('locales/fr/errors.yaml', (d) => (d.NoSuchError = { meaning: 'a', cause: 'b', fix: 'c' })),
    file: 'knowledge/locales/fr/errors.yaml',
    field: 'NoSuchError',
  },
  'flow-texts': {
    edit: remove('locales/es/flows/sync-not-recent.yaml'),
    file: 'knowledge/locales/es/flows/sync-not-recent.yaml',
    field: '(file)',
  },
  'step-answers': {
    edit: editData('locales/en/flows/sync-not-recent.yaml', (d) => {
      const service = (d.steps as Record<string, { answers: { yes: string[]; no: string[] } }>).service;
      service?.answers.no.push('Running');
    }),
    file: 'knowledge/locales/en/flows/sync-not-recent.yaml',
    field: 'steps.service.answers',
  },
  'outcome-words': {
    edit: editData('locales/de/language.yaml', (d) => {
      (d.outcomeWords as { yes: string[]; no: string[] }).no.push('Fehler ist weg');
    }),
    file: 'knowledge/locales/de/language.yaml',
    field: 'outcomeWords',
  },
  'topic-texts': {
    edit: editData('locales/nl/topics/sync-not-recent.yaml', (d) => delete d.diagnosis),
    file: 'knowledge/locales/nl/topics/sync-not-recent.yaml',
    field: 'diagnosis',
  },
  'vague-options': {
    edit: editData('recognition.yaml', (d) => ((d.vagueOptions as string[])[0] = 'no-such-topic')),
    file: 'knowledge/recognition.yaml',
    field: 'vagueOptions.0',
  },
  'telltale-topics': {
    edit: editData(
      'recognition.yaml',
      (d) => ((d.telltales as { topic: string }[])[0]!.topic = 'no-such-topic'),
    ),
    file: 'knowledge/recognition.yaml',
    field: 'telltales.0.topic',
  },
  'string-parity': {
    edit: editText('locales/nl/strings.yaml', (t) => t.replace(/^help\.text: .*$/m, '')),
    file: 'knowledge/locales/nl/strings.yaml',
    field: 'help.text',
  },
};

function problemsOf(dir: string, check: (typeof knowledgeChecks)[number]) {
  const problems = new ProblemList(dir);
  const files = readKnowledgeFiles(dir, problems);
  const fromFiles = problems.items.length;
  check.run(files, problems);
  return problems.items.slice(fromFiles);
}

describe('the loader runs named checks (src/domain/knowledge/knowledgeChecks.ts)', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-checks-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('each check has a unique name, a rule, and a break below', () => {
    const names = knowledgeChecks.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(knowledgeChecks.every((c) => c.rule.length > 20)).toBe(true);
    expect(names.sort()).toEqual(Object.keys(breaks).sort());
  });

  it.each(knowledgeChecks.map((c) => [c.name, c] as const))(
    '%s passes on the real knowledge',
    (_name, check) => {
      expect(problemsOf(knowledgeDir, check)).toEqual([]);
    },
  );

  it.each(knowledgeChecks.map((c) => [c.name, c] as const))(
    '%s names the file and field of what it catches',
    (name, check) => {
      const dir = path.join(root, 'knowledge');
      fs.cpSync(knowledgeDir, dir, { recursive: true });
      const broken = breaks[name]!;
      broken.edit(dir);
      expect(problemsOf(dir, check)).toContainEqual(
        expect.objectContaining({ file: broken.file, field: broken.field }),
      );
    },
  );
});
