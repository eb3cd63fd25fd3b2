/**
 * npm run kb:validate — the same check start-up runs on knowledge/ and cards/, alone, with a
 * summary, and the command rules of knowledge/powershell.yaml (known cmdlets, no proxy-blind test
 * presented as a proxy test, no copy block that must not be pasted at once). Exit code 1 lists every
 * problem with its file, field and reason.
 */
import path from 'node:path';
import { CardTemplates } from '../src/domain/cards/cardTemplates';
import { readSettings } from '../src/infrastructure/config';
import { checkCommands, readPowerShellRules } from '../src/domain/knowledge/commandRules';
import { KnowledgeError, loadKnowledge } from '../src/domain/knowledge/loadKnowledge';
import { loadReportVocabulary } from '../src/domain/reports/reportVocabulary';

const settings = readSettings({
  ...process.env,
  KNOWLEDGE_DIR: process.argv[2] ?? process.env.KNOWLEDGE_DIR,
});
try {
  const kb = loadKnowledge(settings.knowledgeDir);
  new CardTemplates(settings.cardsDir);
  const commandProblems = checkCommands(kb, readPowerShellRules(settings.knowledgeDir));
  if (commandProblems.length > 0) {
    console.error(`The knowledge's commands break ${commandProblems.length} rule(s):`);
    for (const problem of commandProblems) console.error(`  ${problem}`);
    process.exit(1);
  }
  const reports = loadReportVocabulary(settings.knowledgeDir, kb.errorCatalog);
  const phrasings = kb.languages.map(
    (l) => `${l} ${kb.topics(l).reduce((n, t) => n + t.phrasings.length, 0)}`,
  );
  const cmdlets = Object.values(readPowerShellRules(settings.knowledgeDir).modules).flat().length;
  console.log(`knowledge OK: ${path.relative(process.cwd(), settings.knowledgeDir) || '.'}`);
  console.log(
    `  ${kb.topicIds.length} topics in ${kb.languages.length} languages (${kb.languages.join(', ')})`,
  );
  console.log(`  phrasings per language: ${phrasings.join(', ')}`);
  console.log(`  commands: every cmdlet among the ${cmdlets} known ones, the copy-block rules hold`);
  const labels = Object.values(reports.settings.fields).reduce(
    (n, byLanguage) => n + Object.values(byLanguage).flat().length,
    0,
  );
  console.log(`  sync error report labels: ${labels} (reports.yaml)`);
} catch (error) {
  console.error(error instanceof KnowledgeError ? error.message : `error: ${(error as Error).message}`);
  process.exit(1);
}
