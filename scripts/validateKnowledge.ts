/**
 * npm run kb:validate — the same check start-up runs on knowledge/ and cards/, alone, with a
 * summary. Exit code 1 lists every problem with its file, field and reason.
 */
import path from 'node:path';
import { CardTemplates } from '../src/cards/cardTemplates';
import { readSettings } from '../src/config';
import { KnowledgeError, loadKnowledge } from '../src/knowledge/loadKnowledge';
import { loadReportVocabulary } from '../src/reports/reportVocabulary';

const settings = readSettings({
  ...process.env,
  KNOWLEDGE_DIR: process.argv[2] ?? process.env.KNOWLEDGE_DIR,
});
try {
  const kb = loadKnowledge(settings.knowledgeDir);
  new CardTemplates(settings.cardsDir);
  const reports = loadReportVocabulary(settings.knowledgeDir, kb.errorCatalog);
  const phrasings = kb.languages.map(
    (l) => `${l} ${kb.topics(l).reduce((n, t) => n + t.phrasings.length, 0)}`,
  );
  console.log(`knowledge OK: ${path.relative(process.cwd(), settings.knowledgeDir) || '.'}`);
  console.log(
    `  ${kb.topicIds.length} topics in ${kb.languages.length} languages (${kb.languages.join(', ')})`,
  );
  console.log(`  phrasings per language: ${phrasings.join(', ')}`);
  const labels = Object.values(reports.settings.fields).reduce(
    (n, byLanguage) => n + Object.values(byLanguage).flat().length,
    0,
  );
  console.log(`  sync error report labels: ${labels} (reports.yaml)`);
} catch (error) {
  console.error(error instanceof KnowledgeError ? error.message : `error: ${(error as Error).message}`);
  process.exit(1);
}
