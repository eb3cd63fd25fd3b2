/**
 * npm run eval:conversations — whole conversations through the whole bot, as the Emulator sends them.
 * A set is a TSV of turns, conversation<TAB>lang<TAB>expect<TAB>text, the turns of one conversation in
 * order; each line's expect says what the user means at that point:
 *   a topic id            the bot answers that topic
 *   none                  out of scope: no topic answered, no clarify card of topics
 *   vague                 the bot asks which symptom
 *   fact                  a fact given to the question the bot asked
 *   command:<name>        yes, no, dontKnow, back, escalate, help, menu, restart, cancel, thanks,
 *                         greeting, switchLanguage:<code> — whether said in a phrase or in own words
 * A conversation goes as expected when every turn does and every turn gets a visible reply.
 *
 *   npm run eval:conversations -- --set FILE.tsv [--show]
 *
 * --show prints under each turn what the bot sent back: its text or the first lines of its card.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { createAssistant } from '../src/app';
import { readSettings } from '../src/infrastructure/config';
import { silentLogger } from '../src/infrastructure/logger';

const args = process.argv.slice(2);
const i = args.indexOf('--set');
const show = args.includes('--show');
const setFile = path.resolve(
  i >= 0 ? (args[i + 1] as string) : path.join(__dirname, '..', 'test', 'utterances', 'conversations.tsv'),
);

interface Turn {
  conversation: string;
  language: string;
  expect: string;
  text: string;
}

/**
 * Trace commands that carry a typed reply's meaning under the dialog's own name. Feedback counts by
 * what the bot took it as: thanks at "did this solve it?" is a yes, and is answered as one.
 */
const REPLY_TRACES: Record<string, string[]> = {
  'command:yes': ['feedback:helpful', 'flow:yes', 'escalationSent'],
  'command:no': ['feedback:unhelpful', 'flow:no', 'escalationCancelled', 'none'],
  'command:thanks': ['feedback:helpful'],
  'command:dontKnow': ['flow:unknown'],
  'command:back': ['flow:back'],
  'command:escalate': ['escalate'],
};

function understood(expect: string, trace: Record<string, unknown> | undefined): boolean {
  if (!trace) return false;
  const decision = trace.decision as string;
  const command = trace.command as string | undefined;
  const topics = (trace.topics as { id: string }[] | undefined) ?? [];
  if (expect === 'none') return decision === 'fallback' || decision === 'command';
  if (expect === 'vague') return decision === 'clarify' && trace.vague === true;
  if (expect === 'fact') return decision === 'command' && command === 'fact';
  if (expect.startsWith('command:')) {
    if (decision !== 'command' || !command) return false;
    const name =
      command === 'switchLanguage'
        ? `switchLanguage:${trace.language as string}`
        : command === 'feedback'
          ? `feedback:${trace.helpful === false ? 'unhelpful' : 'helpful'}`
          : command;
    return `command:${name}` === expect || (REPLY_TRACES[expect] ?? []).includes(name);
  }
  return (
    (decision === 'answer' || (decision === 'command' && command === 'topic')) && topics[0]?.id === expect
  );
}

/** What a person sees of a reply, in one line: its text, else the texts at the top of its card. */
function visibleText(reply: Partial<Activity>): string {
  const card = reply.attachments?.[0]?.content as { body?: { text?: string }[] } | undefined;
  const texts = (card?.body ?? []).map((element) => element.text).filter(Boolean);
  const seen = (reply.text ?? '').trim() || texts.slice(0, 2).join(' / ');
  return `            bot: ${seen.replace(/\s+/g, ' ').slice(0, 110)}`;
}

async function main(): Promise<void> {
  const turns: Turn[] = fs
    .readFileSync(setFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [conversation = '', language = '', expect = '', text = ''] = line.split('\t');
      return { conversation, language, expect, text };
    });
  const assistant = createAssistant(readSettings({ ...process.env, LOG_LEVEL: 'silent' }), silentLogger);
  assistant.classifier.prepare();
  const adapter = new TestAdapter((context) => assistant.bot.run(context), { channelId: 'emulator' }, true);
  adapter.use(assistant.languageMiddleware);
  const conversations = new Map<string, Turn[]>();
  for (const turn of turns)
    conversations.set(turn.conversation, [...(conversations.get(turn.conversation) ?? []), turn]);

  let good = 0;
  let turnsRight = 0;
  let silent = 0;
  for (const [id, list] of conversations) {
    const lines: string[] = [];
    let ok = true;
    for (const turn of list) {
      await adapter.processActivity({
        type: 'message',
        text: turn.text,
        locale: `${turn.language}-${turn.language.toUpperCase()}`,
        from: { id: `user-${id}`, name: 'User' },
        conversation: { id: `conversation-${id}` } as Activity['conversation'],
      });
      const replies = adapter.activeQueue.splice(0) as Partial<Activity>[];
      const trace = replies.find((r) => r.type === 'trace' && r.name === 'TopicRecognizer')?.value as
        Record<string, unknown> | undefined;
      const visible = replies.some(
        (r) => r.type === 'message' && ((r.text ?? '').trim() || (r.attachments ?? []).length > 0),
      );
      const right = understood(turn.expect, trace) && visible;
      if (!visible) silent++;
      if (right) turnsRight++;
      ok &&= right;
      lines.push(
        `   ${right ? 'ok  ' : 'MISS'} [${turn.language}] ${turn.text.slice(0, 80)}\n          want ${turn.expect}; got ${String(trace?.decision)} ${String(trace?.command ?? (trace?.topics as { id: string }[] | undefined)?.[0]?.id ?? '')}${visible ? '' : ' (no visible reply)'}`,
      );
      if (show) lines.push(...replies.filter((r) => r.type === 'message').map(visibleText));
    }
    if (ok) good++;
    if (show) lines.push('');
    console.log(`${ok ? 'as expected' : 'NOT as expected'}: ${id}\n${lines.join('\n')}`);
  }
  console.log(
    `\n${path.relative(process.cwd(), setFile)}: ${good} of ${conversations.size} conversations as expected; ${turnsRight} of ${turns.length} turns understood; ${silent} turns without a visible reply`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
