import { TestAdapter, type Activity } from 'botbuilder';
import { freshAssistant } from './support/assistant';
import { cardsOf } from './support/botReplies';

/** The whole bot (language middleware, bot, dialogs) as Microsoft Teams drives it. */
function teams() {
  const assistant = freshAssistant();
  const adapter = new TestAdapter((context) => assistant.bot.run(context), { channelId: 'msteams' });
  adapter.use(assistant.languageMiddleware);
  const say = async (extra: Partial<Activity>): Promise<Partial<Activity>[]> => {
    await adapter.processActivity({ type: 'message', locale: 'en-US', ...extra });
    return adapter.activeQueue.splice(0);
  };
  return { say };
}
const bot = { id: 'bot-1', name: 'Sync Assistant' };
const mention = { type: 'mention', mentioned: bot, text: '<at>Sync Assistant</at>' };

describe('Microsoft Teams', () => {
  it('in a channel, ignores messages that do not mention the bot', async () => {
    const { say } = teams();
    const replies = await say({
      text: 'anyone seen the sync alert?',
      recipient: bot,
      conversation: { id: 'c1', conversationType: 'channel' } as Activity['conversation'],
    });
    expect(replies).toEqual([]);
  });

  it('in a channel, answers when mentioned, without the mention in the question', async () => {
    const { say } = teams();
    const text = '<at>Sync Assistant</at> which attributes are synchronized to the cloud';
    const replies = await say({
      text,
      entities: [mention],
      recipient: bot,
      conversation: { id: 'c2', conversationType: 'channel' } as Activity['conversation'],
    });
    expect(cardsOf(replies)).toHaveLength(1);
  });

  it('in a personal chat, answers every message', async () => {
    const { say } = teams();
    const replies = await say({
      text: 'which attributes are synchronized to the cloud',
      recipient: bot,
      conversation: { id: 'c3', conversationType: 'personal' } as Activity['conversation'],
    });
    expect(cardsOf(replies)).toHaveLength(1);
  });
});
