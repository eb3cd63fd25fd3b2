/**
 * npm run report — for knowledge authors: per topic and language, how often answers helped, and the
 * most frequent questions the bot could not answer. Reads the records where the bot keeps them
 * (DATA_DIR, or the blob container when BOT_STORAGE=blob), with the same settings as the bot.
 *
 *   npm run report                 the configured store
 *   npm run report -- --top 50     more unanswered questions
 *   npm run report -- --json       the report as JSON
 */
import 'dotenv/config';
import { readSettings } from '../src/infrastructure/config';
import { createRecordStore } from '../src/infrastructure/records/createRecordStore';
import { buildReport, formatReport } from '../src/infrastructure/records/feedbackReport';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const topIndex = args.indexOf('--top');
  const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 20;
  const store = createRecordStore(readSettings());
  const [feedback, gaps, tickets] = await Promise.all([
    store.read('feedback'),
    store.read('gaps'),
    store.read('tickets'),
  ]);
  const report = buildReport(feedback, gaps, tickets, Number.isInteger(top) && top > 0 ? top : 20);
  console.log(
    args.includes('--json') ? JSON.stringify(report, null, 2) : formatReport(report, store.location),
  );
}

main().catch((error: Error) => {
  console.error(`report failed: ${error.message}`);
  process.exit(1);
});
