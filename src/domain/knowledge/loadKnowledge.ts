import fs from 'node:fs';
import { KnowledgeBase, type LanguagePack, type Topic } from './knowledgeBase';
import { knowledgeChecks } from './knowledgeChecks';
import {
  ProblemList,
  readKnowledgeFiles,
  type KnowledgeFiles,
  type KnowledgeProblem,
  type LocaleFiles,
} from './knowledgeFiles';
import type { LocalizedFlow } from './schema';

export type { KnowledgeProblem } from './knowledgeFiles';

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

/** A language's pack from its files, once every check has passed (so every file read). */
function languagePack(files: KnowledgeFiles, locale: LocaleFiles): LanguagePack | undefined {
  const profile = locale.profile.data;
  const strings = locale.strings.data;
  const outOfScope = locale.outOfScope.data;
  if (!profile || !strings || !outOfScope) return undefined;
  const topics = new Map<string, Topic>();
  files.definitions.forEach(({ definition: def }, i) => {
    const text = locale.topicTexts[i]?.data;
    if (!text) return;
    const links = def.links.map((l) => ({
      title: text.links[l.key] ?? l.key,
      url: l.url.replace('{locale}', profile.learnLocale),
    }));
    const { diagnosis: diagnosisText, ...rest } = text;
    topics.set(def.id, { ...def, ...rest, diagnosisText, links });
  });
  const flows = new Map<string, LocalizedFlow>();
  files.flows.forEach(({ flow }, i) => {
    const text = locale.flowTexts[i]?.data;
    if (text) flows.set(flow.id, text);
  });
  return {
    profile,
    strings,
    topics,
    outOfScope: outOfScope.phrasings,
    vague: locale.vague.data?.phrasings ?? [],
    examples: locale.examples.lines.map(({ intent, text }) => ({ intent, text: text.trim() })),
    errors: new Map(Object.entries(locale.errors.data ?? {})),
    flows,
  };
}

/**
 * Reads and validates knowledge/: every file against its schema (knowledgeFiles.ts), then how they
 * fit together, one named check at a time (knowledgeChecks.ts). Every problem in every file is
 * collected before failing, so an author sees the whole list at once.
 */
export function loadKnowledge(root: string): KnowledgeBase {
  const problems = new ProblemList(root);
  if (!fs.existsSync(root)) {
    problems.add(root, '(folder)', 'the knowledge folder does not exist');
    throw new KnowledgeError(problems.items);
  }
  const files = readKnowledgeFiles(root, problems);
  for (const check of knowledgeChecks) check.run(files, problems);
  const recognition = files.recognition.data;
  const synonyms = files.synonyms.data;
  const errorCatalog = files.errorCatalog.data;
  if (problems.items.length > 0 || !recognition || !synonyms || !errorCatalog)
    throw new KnowledgeError(problems.items);
  const packs = new Map<string, LanguagePack>();
  for (const locale of files.locales) {
    const pack = languagePack(files, locale);
    if (pack) packs.set(locale.language, pack);
  }
  return new KnowledgeBase(
    recognition,
    synonyms.synonyms,
    files.definitions.map((d) => d.definition),
    errorCatalog,
    files.flows.map((f) => f.flow),
    packs,
  );
}
