import { MemoryStorage, type StoreItems } from 'botbuilder';
import { createAssistant } from '../src/app';
import { createLogger } from '../src/infrastructure/logger';
import { cardsDir, HELPDESK, knowledgeDir } from './support/assistant';
import { BotPipeline } from './support/botPipeline';
import { messagesOf, stringsOf } from './support/botReplies';
import { knowledgeString } from './support/knowledgeStrings';

type Replies = Awaited<ReturnType<BotPipeline['send']>>;
const allText = (replies: Replies): string =>
  messagesOf(replies)
    .flatMap((m) => [m.text ?? '', ...stringsOf(m.attachments ?? [])])
    .join('\n');

/**
 * A memory storage that, while `conflictFor` names a conversation, refuses every write of it as an
 * eTag conflict: another instance that keeps saving the conversation first.
 */
class ContestedStorage extends MemoryStorage {
  conflictFor = '';
  override async write(changes: StoreItems): Promise<void> {
    if (this.conflictFor && Object.keys(changes).some((key) => key.includes(this.conflictFor)))
      throw new Error(`Storage: error writing due to eTag conflict.`);
    return super.write(changes);
  }
}

function pipeline() {
  const lines: string[] = [];
  const logger = createLogger('debug', (line) => lines.push(line));
  const storage = new ContestedStorage();
  const assistant = createAssistant({ knowledgeDir, cardsDir, helpdeskContact: HELPDESK }, logger, {
    storage,
  });
  return { bot: new BotPipeline(assistant, 'emulator', logger), assistant, storage, lines };
}

describe('a turn that fails', () => {
  it("apologizes in the user's language, resets only that conversation's dialog, and logs no user text", async () => {
    const { bot, assistant, lines } = pipeline();
    const dutch = bot.conversation('failing', 'user-nl', 'nl-NL');
    const english = bot.conversation('healthy', 'user-en', 'en-US');
    const question = 'hoe tel ik het aantal gesynchroniseerde objecten';
    // Both conversations end with the feedback question waiting.
    await dutch.say(question);
    await english.say('how do I count the synced objects');

    // A card that fails to render, in the middle of the Dutch conversation's turn.
    const { replies } = assistant.services;
    const render = replies.answer.bind(replies);
    replies.answer = () => {
      throw new Error('answer card template is broken');
    };
    const failingText = 'de synchronisatie draait al twee dagen niet meer';
    let failed: Replies;
    try {
      failed = await dutch.say(failingText);
    } finally {
      replies.answer = render;
    }
    expect(messagesOf(failed).map((m) => m.text)).toContain(knowledgeString('nl', 'error.apology'));

    // The failed conversation starts clean: "ja" answers no question any more.
    expect(allText(await dutch.say('ja'))).toContain(knowledgeString('nl', 'conversation.nothingOpen'));
    // The other conversation kept its waiting question.
    expect(allText(await english.say('yes'))).toContain(knowledgeString('en', 'feedback.thanks'));

    const failure = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'turn failed');
    expect(failure).toMatchObject({
      level: 'error',
      error: 'answer card template is broken',
      channel: 'emulator',
    });
    for (const said of [question, failingText, 'how do I count the synced objects'])
      expect(lines.filter((l) => l.includes(said))).toEqual([]);
  });

  it("says so, in the user's language, when other turns kept changing the conversation, and keeps what they saved", async () => {
    const { bot, storage } = pipeline();
    const dutch = bot.conversation('contested', 'user-nl', 'nl-NL');
    await dutch.say('hoe tel ik het aantal gesynchroniseerde objecten');
    storage.conflictFor = 'contested';
    let lost: Replies;
    try {
      lost = await dutch.say('de synchronisatie draait al twee dagen niet meer');
    } finally {
      storage.conflictFor = '';
    }
    const texts = messagesOf(lost).map((m) => m.text);
    expect(texts).toContain(knowledgeString('nl', 'error.conflict'));
    expect(texts).not.toContain(knowledgeString('nl', 'error.apology'));
    // What was saved before stands: the feedback question on the first answer still waits.
    expect(allText(await dutch.say('ja'))).toContain(knowledgeString('nl', 'feedback.thanks'));
  });
});
