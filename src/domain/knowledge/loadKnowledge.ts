import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { KnowledgeBase, type LanguagePack, type Topic, type TrainingExample } from './knowledgeBase';
import {
  commandNames,
  errorCatalogSchema,
  flowDefinitionSchema,
  localizedFlowSchema,
  type FlowDefinition,
  languageProfileSchema,
  localizedErrorsSchema,
  localizedTopicSchema,
  outOfScopeSchema,
  recognitionSettingsSchema,
  stringsSchema,
  synonymsSchema,
  topicDefinitionSchema,
  type TopicDefinition,
} from './schema';

export interface KnowledgeProblem {
  file: string;
  field: string;
  reason: string;
}

/** Raised when knowledge/ does not validate; lists every problem found, each with file, field and reason. */
export class KnowledgeError extends Error {
  constructor(readonly problems: KnowledgeProblem[]) {
    super(
      `The knowledge base is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.file}: ${p.field}: ${p.reason}`).join('\n'),
    );
    this.name = 'KnowledgeError';
  }
}

class ProblemList {
  readonly items: KnowledgeProblem[] = [];
  constructor(private readonly root: string) {}
  add(file: string, field: string, reason: string): void {
    this.items.push({ file: path.relative(path.dirname(this.root), file) || file, field, reason });
  }
}

/**
 * Parsed YAML documents kept between starts, by a hash of each file's text: parsing the knowledge's
 * YAML was half of loading it (about 0.4 s of CPU at start-up, measured), reading JSON a small part
 * of that. Only the documents of the latest load are kept, so the file does not grow; a document
 * that JSON cannot hold as it is (none today) is parsed every time.
 */
class ParsedDocuments {
  private readonly cached: Record<string, unknown>;
  private readonly used: Record<string, unknown> = {};
  private changed = false;

  constructor(private readonly files: string[]) {
    let cached: Record<string, unknown> = {};
    for (const file of files) {
      try {
        cached = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
        break;
      } catch {
        // Absent or damaged: the next place, or parse everything.
      }
    }
    this.cached = cached;
  }

  parse(text: string, problems: ProblemList, file: string): unknown {
    const hash = crypto.createHash('sha256').update(text).digest('hex');
    if (hash in this.cached) return (this.used[hash] = this.cached[hash]);
    // Loaded only when a document changed: every start from the cache skips the YAML parser.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require('yaml') as typeof import('yaml');
    const doc = YAML.parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors)
        problems.add(file, `(line ${e.linePos?.[0]?.line ?? '?'})`, e.message.split('\n')[0] ?? e.message);
      return undefined;
    }
    const value: unknown = doc.toJS();
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(value) ?? 'null'), value)) {
      this.used[hash] = value;
      this.changed = true;
    }
    return value;
  }

  save(): void {
    if (!this.changed && Object.keys(this.used).length === Object.keys(this.cached).length) return;
    const json = JSON.stringify(this.used);
    for (const file of this.files) {
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Written aside, then renamed: a process reading the cache never sees half a file.
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, json);
        fs.renameSync(temporary, file);
        return;
      } catch {
        // A read-only folder (a deployed package): the next one.
      }
    }
  }
}

const parsedDocumentFiles = (): string[] => [
  path.join(__dirname, '..', '..', '..', 'knowledge-cache', 'parsed-yaml.json'),
  path.join(os.tmpdir(), 'directory-sync-assistant-knowledge', 'parsed-yaml.json'),
];

function readYaml(file: string, problems: ProblemList, documents: ParsedDocuments): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    problems.add(file, '(file)', `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return undefined;
  }
  return documents.parse(text, problems, file);
}

function parse<S extends z.ZodType>(
  schema: S,
  file: string,
  problems: ProblemList,
  documents: ParsedDocuments,
): z.infer<S> | undefined {
  const raw = readYaml(file, problems, documents);
  if (raw === undefined && problems.items.some((p) => p.file.endsWith(path.basename(file)))) return undefined;
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.add(file, issue.path.length ? issue.path.join('.') : '(document)', issue.message);
    }
    return undefined;
  }
  return result.data;
}

const yamlFiles = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
    : [];

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
}

/**
 * Reads and validates knowledge/. Every problem in every file is collected before failing, so an
 * author sees the whole list at once.
 */
/** The intents an example may carry besides topic ids; see TrainingExample. */
const COMMAND_INTENT = /^command:([A-Za-z]+)(?::([a-z]{2}))?$/;

/** examples.tsv: intent<TAB>persona<TAB>text a line, # comments; an unknown intent is a problem. */
function readExamples(
  file: string,
  topicIds: ReadonlySet<string>,
  languages: readonly string[],
  problems: ProblemList,
): TrainingExample[] {
  if (!fs.existsSync(file)) return [];
  const examples: TrainingExample[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim() || line.startsWith('#')) return;
      const [intent = '', , text = ''] = line.split('\t');
      const command = COMMAND_INTENT.exec(intent);
      const known =
        topicIds.has(intent) ||
        intent === 'vague' ||
        intent === 'out-of-scope' ||
        (command !== null &&
          (commandNames as readonly string[]).includes(command[1] as string) &&
          (command[1] === 'switchLanguage') === (command[2] !== undefined) &&
          (command[2] === undefined || languages.includes(command[2])));
      if (!known) problems.add(file, `line ${i + 1}`, `unknown intent "${intent}"`);
      else if (!text.trim()) problems.add(file, `line ${i + 1}`, 'has no text (intent<TAB>persona<TAB>text)');
      else examples.push({ intent, text: text.trim() });
    });
  return examples;
}

export function loadKnowledge(root: string): KnowledgeBase {
  const problems = new ProblemList(root);
  const documents = new ParsedDocuments(parsedDocumentFiles());
  if (!fs.existsSync(root)) {
    problems.add(root, '(folder)', 'the knowledge folder does not exist');
    throw new KnowledgeError(problems.items);
  }
  const recognition = parse(
    recognitionSettingsSchema,
    path.join(root, 'recognition.yaml'),
    problems,
    documents,
  );
  const synonyms = parse(synonymsSchema, path.join(root, 'synonyms.yaml'), problems, documents);
  const errorsFile = path.join(root, 'errors.yaml');
  const errorCatalog = parse(errorCatalogSchema, errorsFile, problems, documents);

  const definitions: TopicDefinition[] = [];
  for (const file of yamlFiles(path.join(root, 'topics'))) {
    const full = path.join(root, 'topics', file);
    const def = parse(topicDefinitionSchema, full, problems, documents);
    if (!def) continue;
    if (def.id !== path.basename(file, '.yaml'))
      problems.add(full, 'id', `"${def.id}" must match the file name`);
    const keys = def.links.map((l) => l.key);
    keys.forEach(
      (k, i) => keys.indexOf(k) !== i && problems.add(full, `links.${i}.key`, `duplicate key "${k}"`),
    );
    definitions.push(def);
  }
  if (definitions.length === 0) problems.add(path.join(root, 'topics'), '(folder)', 'no topic files found');
  const ids = new Set(definitions.map((d) => d.id));
  errorCatalog?.errors.forEach((e, i) => {
    for (const [field, id] of [
      ['topic', e.topic],
      ...Object.entries(e.topicByAttribute).map(([a, t]) => [`topicByAttribute.${a}`, t]),
    ]) {
      if (!ids.has(id as string)) problems.add(errorsFile, `errors.${i}.${field}`, `unknown topic "${id}"`);
    }
    for (const attribute of Object.keys(e.topicByAttribute)) {
      if (!(attribute in errorCatalog.attributes))
        problems.add(
          errorsFile,
          `errors.${i}.topicByAttribute.${attribute}`,
          `"${attribute}" is not listed under attributes`,
        );
    }
  });
  for (const def of definitions) {
    def.related.forEach((r, i) => {
      if (!ids.has(r))
        problems.add(path.join(root, 'topics', `${def.id}.yaml`), `related.${i}`, `unknown topic "${r}"`);
    });
  }

  const flows: FlowDefinition[] = [];
  for (const file of yamlFiles(path.join(root, 'flows'))) {
    const full = path.join(root, 'flows', file);
    const flow = parse(flowDefinitionSchema, full, problems, documents);
    if (!flow) continue;
    if (flow.id !== path.basename(file, '.yaml'))
      problems.add(full, 'id', `"${flow.id}" must match the file name`);
    if (!ids.has(flow.topic)) problems.add(full, 'topic', `unknown topic "${flow.topic}"`);
    const nodes = new Set([...Object.keys(flow.steps), ...Object.keys(flow.outcomes)]);
    if (!(flow.start in flow.steps)) problems.add(full, 'start', `no step "${flow.start}"`);
    for (const [step, next] of Object.entries(flow.steps)) {
      for (const [answer, target] of Object.entries(next)) {
        if (!nodes.has(target))
          problems.add(full, `steps.${step}.${answer}`, `no step or outcome "${target}"`);
      }
    }
    // Every step reachable from the start, and no way round in a circle: the check always ends.
    const visiting = new Set<string>();
    const done = new Set<string>();
    const walk = (node: string, trail: string): void => {
      if (done.has(node) || !(node in flow.steps)) return void done.add(node);
      if (visiting.has(node))
        return problems.add(full, `steps.${node}`, `the answers lead round in a circle (${trail})`);
      visiting.add(node);
      for (const target of Object.values(flow.steps[node] ?? {})) walk(target, `${trail} → ${target}`);
      visiting.delete(node);
      done.add(node);
    };
    walk(flow.start, flow.start);
    for (const node of nodes)
      if (!done.has(node))
        problems.add(
          full,
          node in flow.steps ? `steps.${node}` : `outcomes.${node}`,
          'never reached from the start',
        );
    flows.push(flow);
  }

  const packs = new Map<string, LanguagePack>();
  const localesDir = path.join(root, 'locales');
  const languages = fs.existsSync(localesDir)
    ? fs
        .readdirSync(localesDir)
        .filter((d) => fs.statSync(path.join(localesDir, d)).isDirectory())
        .sort()
    : [];
  let referenceStrings: { language: string; strings: Record<string, string> } | undefined;
  for (const language of recognition?.languages ?? []) {
    if (!languages.includes(language))
      problems.add(path.join(root, 'recognition.yaml'), 'languages', `no folder locales/${language}/`);
  }
  for (const language of languages.filter((l) => recognition?.languages.includes(l))) {
    const dir = path.join(localesDir, language);
    const profileFile = path.join(dir, 'language.yaml');
    const profile = parse(languageProfileSchema, profileFile, problems, documents);
    if (profile && profile.code !== language)
      problems.add(profileFile, 'code', `"${profile.code}" must match the folder name "${language}"`);
    const stringsFile = path.join(dir, 'strings.yaml');
    const strings = parse(stringsSchema, stringsFile, problems, documents);
    const outOfScopeFile = path.join(dir, 'out-of-scope.yaml');
    const outOfScope = fs.existsSync(outOfScopeFile)
      ? parse(outOfScopeSchema, outOfScopeFile, problems, documents)
      : { phrasings: [] };
    const vagueFile = path.join(dir, 'vague.yaml');
    const vague = fs.existsSync(vagueFile)
      ? parse(outOfScopeSchema, vagueFile, problems, documents)
      : { phrasings: [] };

    const examples = readExamples(
      path.join(dir, 'examples.tsv'),
      ids,
      recognition?.languages ?? [],
      problems,
    );

    const localizedErrorsFile = path.join(dir, 'errors.yaml');
    const localizedErrors = parse(localizedErrorsSchema, localizedErrorsFile, problems, documents);
    const errors = new Map(Object.entries(localizedErrors ?? {}));
    for (const e of errorCatalog?.errors ?? []) {
      if (localizedErrors && !errors.has(e.code))
        problems.add(localizedErrorsFile, e.code, `the ${language} text of error ${e.code} is missing`);
    }
    for (const code of errors.keys()) {
      if (errorCatalog && !errorCatalog.errors.some((e) => e.code === code))
        problems.add(localizedErrorsFile, code, 'no such error in errors.yaml');
    }

    const flowTexts = new Map<string, z.infer<typeof localizedFlowSchema>>();
    for (const flow of flows) {
      const file = path.join(dir, 'flows', `${flow.id}.yaml`);
      if (!fs.existsSync(file)) {
        problems.add(file, '(file)', `guided check "${flow.id}" has no ${language} text`);
        continue;
      }
      const text = parse(localizedFlowSchema, file, problems, documents);
      if (!text) continue;
      for (const step of Object.keys(flow.steps))
        if (!text.steps[step]) problems.add(file, `steps.${step}`, 'missing');
      for (const outcome of Object.keys(flow.outcomes))
        if (!text.outcomes[outcome]) problems.add(file, `outcomes.${outcome}`, 'missing');
      for (const step of Object.keys(text.steps))
        if (!(step in flow.steps))
          problems.add(file, `steps.${step}`, `no such step in flows/${flow.id}.yaml`);
      for (const outcome of Object.keys(text.outcomes))
        if (!(outcome in flow.outcomes))
          problems.add(file, `outcomes.${outcome}`, `no such outcome in flows/${flow.id}.yaml`);
      flowTexts.set(flow.id, text);
    }

    const topics = new Map<string, Topic>();
    for (const def of definitions) {
      const file = path.join(dir, 'topics', `${def.id}.yaml`);
      if (!fs.existsSync(file)) {
        problems.add(file, '(file)', `topic "${def.id}" has no ${language} text`);
        continue;
      }
      const text = parse(localizedTopicSchema, file, problems, documents);
      if (!text || !profile) continue;
      for (const key of Object.keys(text.links)) {
        if (!def.links.some((l) => l.key === key))
          problems.add(file, `links.${key}`, `no link "${key}" in topics/${def.id}.yaml`);
      }
      const links = def.links.map((l) => {
        const title = text.links[l.key];
        if (!title) problems.add(file, `links.${l.key}`, `missing the title of link "${l.key}"`);
        return { title: title ?? l.key, url: l.url.replace('{locale}', profile.learnLocale) };
      });
      if (def.diagnosis) {
        const d = def.diagnosis;
        if (!text.diagnosis)
          problems.add(
            file,
            'diagnosis',
            `topics/${def.id}.yaml has diagnosis rules: their ${language} text is missing`,
          );
        for (const option of d.options) {
          if (text.diagnosis && !text.diagnosis.options[option.key])
            problems.add(file, `diagnosis.options.${option.key}`, 'missing');
        }
        for (const rule of d.rules) {
          if (text.diagnosis && !text.diagnosis.conclusions[rule.conclusion])
            problems.add(file, `diagnosis.conclusions.${rule.conclusion}`, 'missing');
          for (const step of rule.startWith)
            if (step > text.steps.length)
              problems.add(
                file,
                'steps',
                `topics/${def.id}.yaml: rule ${rule.conclusion} starts with step ${step}, but there are ${text.steps.length} steps`,
              );
        }
      } else if (text.diagnosis) {
        problems.add(file, 'diagnosis', `topics/${def.id}.yaml has no diagnosis rules for this text`);
      }
      const { diagnosis: diagnosisText, ...rest } = text;
      topics.set(def.id, { ...def, ...rest, diagnosisText, links });
    }
    for (const file of yamlFiles(path.join(dir, 'topics'))) {
      if (!ids.has(path.basename(file, '.yaml'))) {
        problems.add(path.join(dir, 'topics', file), '(file)', 'no topic of this id in knowledge/topics/');
      }
    }

    if (strings) {
      // The default language is the reference: every language says everything it says, with the same placeholders.
      const isReference = recognition ? language === recognition.defaultLanguage : !referenceStrings;
      if (isReference) referenceStrings = { language, strings };
    }
    if (profile && strings && outOfScope)
      packs.set(language, {
        profile,
        strings,
        topics,
        outOfScope: outOfScope.phrasings,
        vague: vague?.phrasings ?? [],
        examples,
        errors,
        flows: flowTexts,
      });
  }
  recognition?.vagueOptions.forEach((id, i) => {
    if (!ids.has(id))
      problems.add(path.join(root, 'recognition.yaml'), `vagueOptions.${i}`, `unknown topic "${id}"`);
  });
  if (
    recognition &&
    !packs.has(recognition.defaultLanguage) &&
    !languages.includes(recognition.defaultLanguage)
  ) {
    problems.add(
      path.join(root, 'recognition.yaml'),
      'defaultLanguage',
      `no folder locales/${recognition.defaultLanguage}/`,
    );
  }
  if (referenceStrings) {
    const ref = referenceStrings;
    for (const [language, pack] of packs) {
      if (language === ref.language) continue;
      const file = path.join(localesDir, language, 'strings.yaml');
      for (const [key, text] of Object.entries(ref.strings)) {
        const own = pack.strings[key];
        if (own === undefined) problems.add(file, key, `missing (present in ${ref.language})`);
        else if (placeholders(own).join() !== placeholders(text).join()) {
          problems.add(
            file,
            key,
            `placeholders {${placeholders(own).join('}, {')}} differ from ${ref.language}'s {${placeholders(text).join('}, {')}}`,
          );
        }
      }
      for (const key of Object.keys(pack.strings)) {
        if (!(key in ref.strings)) problems.add(file, key, `unknown key (not in ${ref.language})`);
      }
    }
  }

  if (problems.items.length > 0 || !recognition || !synonyms || !errorCatalog)
    throw new KnowledgeError(problems.items);
  documents.save();
  return new KnowledgeBase(recognition, synonyms.synonyms, definitions, errorCatalog, flows, packs);
}
