import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { SyncErrorText } from './knowledgeBase';
import { ParsedDocuments, parsedDocumentFiles } from './parsedDocuments';
import {
  errorCatalogSchema,
  flowDefinitionSchema,
  languageProfileSchema,
  localizedErrorsSchema,
  localizedFlowSchema,
  localizedTopicSchema,
  outOfScopeSchema,
  recognitionSettingsSchema,
  stringsSchema,
  synonymsSchema,
  topicDefinitionSchema,
  type ErrorCatalog,
  type FlowDefinition,
  type LanguageProfile,
  type LocalizedFlow,
  type LocalizedTopic,
  type RecognitionSettings,
  type TopicDefinition,
} from './schema';

export interface KnowledgeProblem {
  file: string;
  field: string;
  reason: string;
}

/** Every problem found, each named by its file (relative to knowledge/'s parent), field and reason. */
export class ProblemList {
  readonly items: KnowledgeProblem[] = [];
  constructor(private readonly root: string) {}
  add(file: string, field: string, reason: string): void {
    this.items.push({ file: path.relative(path.dirname(this.root), file) || file, field, reason });
  }
}

/** A file of knowledge/ and its content, undefined when it did not read or match its schema. */
export interface Parsed<T> {
  file: string;
  data: T | undefined;
}

/** One line of examples.tsv: intent<TAB>persona<TAB>text. */
export interface ExampleLine {
  line: number;
  intent: string;
  text: string;
}

/** A text a language must have for something neutral (a topic, a guided check), if its file exists. */
export interface TextFor<T> {
  id: string;
  file: string;
  exists: boolean;
  data: T | undefined;
}

/** One folder of locales/ that recognition.yaml lists, read. */
export interface LocaleFiles {
  language: string;
  dir: string;
  profile: Parsed<LanguageProfile>;
  strings: Parsed<Record<string, string>>;
  /** Absent files read as no phrasings. */
  outOfScope: Parsed<{ phrasings: string[] }>;
  vague: Parsed<{ phrasings: string[] }>;
  examples: { file: string; lines: ExampleLine[] };
  errors: Parsed<Record<string, SyncErrorText>>;
  /** One per guided check, in the order of KnowledgeFiles.flows. */
  flowTexts: TextFor<LocalizedFlow>[];
  /** One per topic, in the order of KnowledgeFiles.definitions. */
  topicTexts: TextFor<LocalizedTopic>[];
  /** The ids of locales/<lang>/topics/*.yaml, to find texts of topics that do not exist. */
  topicTextIds: string[];
}

/** Everything under knowledge/, parsed against its schema: what the named checks look at. */
export interface KnowledgeFiles {
  root: string;
  recognition: Parsed<RecognitionSettings>;
  synonyms: Parsed<z.infer<typeof synonymsSchema>>;
  errorCatalog: Parsed<ErrorCatalog>;
  topicsDir: string;
  definitions: { file: string; definition: TopicDefinition }[];
  flows: { file: string; flow: FlowDefinition }[];
  localesDir: string;
  /** Every folder of locales/, listed or not. */
  localeFolders: string[];
  locales: LocaleFiles[];
}

function readYaml(file: string, problems: ProblemList): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    problems.add(file, '(file)', `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return undefined;
  }
  return documents.parse(text, (field, reason) => problems.add(file, field, reason));
}

/** The documents of one readKnowledgeFiles() call (it is synchronous, so one at a time). */
let documents = new ParsedDocuments([]);

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

const parsed = <S extends z.ZodType>(schema: S, file: string, problems: ProblemList): Parsed<z.infer<S>> => ({
  file,
  data: parse(schema, file, problems),
});

/** A file that may be left out: absent, it reads as no phrasings. */
const optionalPhrasings = (file: string, problems: ProblemList): Parsed<{ phrasings: string[] }> => ({
  file,
  data: fs.existsSync(file) ? parse(outOfScopeSchema, file, problems) : { phrasings: [] },
});

function textFor<S extends z.ZodType>(
  schema: S,
  id: string,
  file: string,
  problems: ProblemList,
): TextFor<z.infer<S>> {
  const exists = fs.existsSync(file);
  return { id, file, exists, data: exists ? parse(schema, file, problems) : undefined };
}

const yamlFiles = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
    : [];

/** examples.tsv: intent<TAB>persona<TAB>text a line, # comments; an absent file has no examples. */
function readExampleLines(file: string): ExampleLine[] {
  if (!fs.existsSync(file)) return [];
  const lines: ExampleLine[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim() || line.startsWith('#')) return;
      const [intent = '', , text = ''] = line.split('\t');
      lines.push({ line: i + 1, intent, text });
    });
  return lines;
}

/**
 * Reads every file of knowledge/ against its schema. A file that does not read, parse or match its
 * schema is a problem here; how the files fit together is for the named checks (knowledgeChecks.ts).
 */
export function readKnowledgeFiles(root: string, problems: ProblemList): KnowledgeFiles {
  documents = new ParsedDocuments(parsedDocumentFiles());
  try {
    return readAllFiles(root, problems);
  } finally {
    documents.save();
  }
}

function readAllFiles(root: string, problems: ProblemList): KnowledgeFiles {
  const recognition = parsed(recognitionSettingsSchema, path.join(root, 'recognition.yaml'), problems);
  const synonyms = parsed(synonymsSchema, path.join(root, 'synonyms.yaml'), problems);
  const errorCatalog = parsed(errorCatalogSchema, path.join(root, 'errors.yaml'), problems);

  const topicsDir = path.join(root, 'topics');
  const definitions = yamlFiles(topicsDir).flatMap((name) => {
    const file = path.join(topicsDir, name);
    const definition = parse(topicDefinitionSchema, file, problems);
    return definition ? [{ file, definition }] : [];
  });
  const flows = yamlFiles(path.join(root, 'flows')).flatMap((name) => {
    const file = path.join(root, 'flows', name);
    const flow = parse(flowDefinitionSchema, file, problems);
    return flow ? [{ file, flow }] : [];
  });

  const localesDir = path.join(root, 'locales');
  const localeFolders = fs.existsSync(localesDir)
    ? fs
        .readdirSync(localesDir)
        .filter((d) => fs.statSync(path.join(localesDir, d)).isDirectory())
        .sort()
    : [];
  const locales = localeFolders
    .filter((language) => recognition.data?.languages.includes(language))
    .map((language): LocaleFiles => {
      const dir = path.join(localesDir, language);
      return {
        language,
        dir,
        profile: parsed(languageProfileSchema, path.join(dir, 'language.yaml'), problems),
        strings: parsed(stringsSchema, path.join(dir, 'strings.yaml'), problems),
        outOfScope: optionalPhrasings(path.join(dir, 'out-of-scope.yaml'), problems),
        vague: optionalPhrasings(path.join(dir, 'vague.yaml'), problems),
        examples: {
          file: path.join(dir, 'examples.tsv'),
          lines: readExampleLines(path.join(dir, 'examples.tsv')),
        },
        errors: parsed(localizedErrorsSchema, path.join(dir, 'errors.yaml'), problems),
        flowTexts: flows.map(({ flow }) =>
          textFor(localizedFlowSchema, flow.id, path.join(dir, 'flows', `${flow.id}.yaml`), problems),
        ),
        topicTexts: definitions.map(({ definition }) =>
          textFor(
            localizedTopicSchema,
            definition.id,
            path.join(dir, 'topics', `${definition.id}.yaml`),
            problems,
          ),
        ),
        topicTextIds: yamlFiles(path.join(dir, 'topics')).map((name) => path.basename(name, '.yaml')),
      };
    });
  return {
    root,
    recognition,
    synonyms,
    errorCatalog,
    topicsDir,
    definitions,
    flows,
    localesDir,
    localeFolders,
    locales,
  };
}
