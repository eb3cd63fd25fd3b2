import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { KnowledgeBase, type LanguagePack, type Topic } from './knowledgeBase';
import {
  languageProfileSchema,
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

function readYaml(file: string, problems: ProblemList): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    problems.add(file, '(file)', `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return undefined;
  }
  const doc = YAML.parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      problems.add(file, `(line ${e.linePos?.[0]?.line ?? '?'})`, e.message.split('\n')[0] ?? e.message);
    return undefined;
  }
  return doc.toJS();
}

function parse<S extends z.ZodType>(schema: S, file: string, problems: ProblemList): z.infer<S> | undefined {
  const raw = readYaml(file, problems);
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
export function loadKnowledge(root: string): KnowledgeBase {
  const problems = new ProblemList(root);
  if (!fs.existsSync(root)) {
    problems.add(root, '(folder)', 'the knowledge folder does not exist');
    throw new KnowledgeError(problems.items);
  }
  const recognition = parse(recognitionSettingsSchema, path.join(root, 'recognition.yaml'), problems);
  const synonyms = parse(synonymsSchema, path.join(root, 'synonyms.yaml'), problems);

  const definitions: TopicDefinition[] = [];
  for (const file of yamlFiles(path.join(root, 'topics'))) {
    const full = path.join(root, 'topics', file);
    const def = parse(topicDefinitionSchema, full, problems);
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
  for (const def of definitions) {
    def.related.forEach((r, i) => {
      if (!ids.has(r))
        problems.add(path.join(root, 'topics', `${def.id}.yaml`), `related.${i}`, `unknown topic "${r}"`);
    });
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
  for (const language of languages) {
    const dir = path.join(localesDir, language);
    const profileFile = path.join(dir, 'language.yaml');
    const profile = parse(languageProfileSchema, profileFile, problems);
    if (profile && profile.code !== language)
      problems.add(profileFile, 'code', `"${profile.code}" must match the folder name "${language}"`);
    const stringsFile = path.join(dir, 'strings.yaml');
    const strings = parse(stringsSchema, stringsFile, problems);
    const outOfScopeFile = path.join(dir, 'out-of-scope.yaml');
    const outOfScope = fs.existsSync(outOfScopeFile)
      ? parse(outOfScopeSchema, outOfScopeFile, problems)
      : { phrasings: [] };

    const topics = new Map<string, Topic>();
    for (const def of definitions) {
      const file = path.join(dir, 'topics', `${def.id}.yaml`);
      if (!fs.existsSync(file)) {
        problems.add(file, '(file)', `topic "${def.id}" has no ${language} text`);
        continue;
      }
      const text = parse(localizedTopicSchema, file, problems);
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
      topics.set(def.id, { ...def, ...text, links });
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
      packs.set(language, { profile, strings, topics, outOfScope: outOfScope.phrasings });
  }
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

  if (problems.items.length > 0 || !recognition || !synonyms) throw new KnowledgeError(problems.items);
  return new KnowledgeBase(recognition, synonyms.synonyms, definitions, packs);
}
