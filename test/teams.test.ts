import type { Activity } from 'botbuilder';
import { freshAssistant } from './support/assistant';
import { BotPipeline } from './support/botPipeline';
import { cardsOf, stringsOf, submitActionsOf, traceOf } from './support/botReplies';

/** The whole bot (every middleware, the bot, the dialogs) as Microsoft Teams drives it. */
function teams() {
  const pipeline = new BotPipeline(freshAssistant(), 'msteams');
  return { kb: pipeline.assistant.kb, say: (extra: Partial<Activity>) => pipeline.send(extra) };
}
const bot = { id: 'bot-1', name: 'Sync Assistant' };
const mention = { type: 'mention', mentioned: bot, text: '<at>Sync Assistant</at>' };
const colleague = { id: 'user-7', name: 'Someone Else' };
const colleagueMention = { type: 'mention', mentioned: colleague, text: '<at>Someone Else</at>' };
const QUESTION = 'which attributes are synchronized to the cloud';
const in_ = (conversationType: string, id: string) => ({ id, conversationType }) as Activity['conversation'];

describe('Microsoft Teams', () => {
  it('in a channel, ignores messages that do not mention the bot', async () => {
    const { say } = teams();
    const replies = await say({
      text: 'anyone seen the sync alert?',
      recipient: bot,
      conversation: in_('channel', 'c1'),
    });
    expect(replies).toEqual([]);
  });

  it('in a channel, ignores a message that mentions only another person', async () => {
    const { say } = teams();
    const replies = await say({
      text: `<at>Someone Else</at> ${QUESTION}`,
      entities: [colleagueMention],
      recipient: bot,
      conversation: in_('channel', 'c1b'),
    });
    expect(replies).toEqual([]);
  });

  it('in a channel, answers when mentioned, without the mention in the question', async () => {
    const { say, kb } = teams();
    const replies = await say({
      text: `<at>Sync Assistant</at> ${QUESTION}`,
      entities: [mention],
      recipient: bot,
      conversation: in_('channel', 'c2'),
    });
    const trace = traceOf(replies);
    expect(trace).toMatchObject({ text: QUESTION, decision: 'answer' });
    expect(trace?.topics[0]?.id).toBe('synced-attributes');
    expect(cardsOf(replies)).toHaveLength(1);
    expect(stringsOf(cardsOf(replies)[0])).toContain(kb.topic('synced-attributes', 'en')?.title);
  });

  it('in a personal chat, answers every message', async () => {
    const { say, kb } = teams();
    const replies = await say({ text: QUESTION, recipient: bot, conversation: in_('personal', 'c3') });
    expect(traceOf(replies)).toMatchObject({ decision: 'answer' });
    expect(traceOf(replies)?.topics[0]?.id).toBe('synced-attributes');
    expect(stringsOf(cardsOf(replies)[0])).toContain(kb.topic('synced-attributes', 'en')?.title);
  });

  // Teams sends an Action.Submit click in a channel or group chat without any @mention.
  it.each(['channel', 'groupChat'])(
    'in a %s, takes a card button click that carries no mention: the menu button shows the menu',
    async (conversationType) => {
      const { say, kb } = teams();
      const replies = await say({
        value: { action: 'menu' },
        recipient: bot,
        conversation: in_(conversationType, `menu-${conversationType}`),
      });
      const topics = submitActionsOf(cardsOf(replies)[0]).filter((a) => a.data.action === 'topic');
      expect(topics.map((a) => a.data.topicId)).toEqual(kb.topicIds);
    },
  );

  it('in a group chat, a topic button clicked without a mention answers that topic', async () => {
    const { say, kb } = teams();
    const replies = await say({
      value: { action: 'topic', topicId: 'object-quota' },
      recipient: bot,
      conversation: in_('groupChat', 'g1'),
    });
    expect(traceOf(replies)?.topics[0]?.id).toBe('object-quota');
    expect(stringsOf(cardsOf(replies)[0])).toContain(kb.topic('object-quota', 'en')?.title);
  });

  it('in a group chat, stays out of talk between people and answers when mentioned', async () => {
    const { say } = teams();
    const conversation = in_('groupChat', 'g2');
    expect(await say({ text: QUESTION, recipient: bot, conversation })).toEqual([]);
    const mentioned = await say({
      text: `<at>Sync Assistant</at> ${QUESTION}`,
      entities: [mention],
      recipient: bot,
      conversation,
    });
    expect(traceOf(mentioned)).toMatchObject({ text: QUESTION });
    expect(traceOf(mentioned)?.topics[0]?.id).toBe('synced-attributes');
  });
});
