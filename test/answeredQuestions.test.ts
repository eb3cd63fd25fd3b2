import { randomUUID } from 'node:crypto';
import { adaptiveCardProblems } from './support/adaptiveCards';
import { testAssistant } from './support/assistant';
import { cardsOf, messagesOf, stringsOf, submitActionsOf } from './support/botReplies';
import { channelAndBot } from './support/botServer';
import { post } from './support/channel';
import { DialogConversation } from './support/dialogClient';

const { kb } = testAssistant();
const syncTopic = kb.topic('sync-not-recent', 'en');
if (!syncTopic) throw new Error('no sync-not-recent topic');
const strings = kb.pack('en').strings;

/** The fact question's button for an answer ("More than a day ago" is overDay). */
const factButton = (cards: Record<string, unknown>[], key: string) => {
  const button = cards
    .flatMap((c) => submitActionsOf(c))
    .find((a) => a.data.action === 'fact' && a.data.key === key);
  if (!button) throw new Error(`no fact button ${key}`);
  return button;
};

describe('cards that follow the conversation', () => {
  it('a fact given after the answer gets the conclusion and the steps to start with, not the whole answer again', async () => {
    const talk = new DialogConversation('en-US');
    const first = await talk.say('directory sync has stopped');
    expect(stringsOf(cardsOf(first)[0])).toContain(syncTopic.summary);
    const answered = await talk.submit(factButton(cardsOf(first), 'overDay').data);
    const [card] = cardsOf(answered);
    expect(cardsOf(answered)).toHaveLength(1);
    expect(adaptiveCardProblems(card)).toEqual([]);
    const shown = stringsOf(card);
    expect(shown.some((s) => s.includes('the sync has stopped, it is not just slow'))).toBe(true);
    // Not the answer again: no summary, no causes, only the steps the rule starts with (2, 5, 6).
    expect(shown).not.toContain(syncTopic.summary);
    expect(shown).not.toContain(syncTopic.causes);
    const stepsShown = syncTopic.steps.map((s) => shown.includes(s.text));
    expect(stepsShown).toEqual([false, true, false, false, true, true, false]);
    expect(shown).toContain(strings['answer.startWith']);
    // Still asks whether it helped, and the verdict is taken.
    const verdict = submitActionsOf(card).find(
      (a) => a.data.action === 'feedback' && a.data.helpful === true,
    );
    const thanks = await talk.submit(verdict?.data as Record<string, unknown>);
    expect(messagesOf(thanks).map((m) => m.text)).toContain(strings['feedback.thanks']);
  });

  it('a fact typed after the answer gets the conclusion only, too', async () => {
    const talk = new DialogConversation('en-US');
    await talk.say('directory sync has stopped');
    const answered = await talk.say('about 3 hours ago');
    const shown = stringsOf(cardsOf(answered)[0]);
    expect(shown.some((s) => s.startsWith('3 hours without a sync'))).toBe(true);
    expect(shown).not.toContain(syncTopic.summary);
    expect(syncTopic.steps.filter((s) => shown.includes(s.text))).toHaveLength(2);
  });

  it('an old button clicked again gets a polite "already answered", and the conversation goes on', async () => {
    const talk = new DialogConversation('en-US');
    const first = await talk.say('directory sync has stopped');
    const button = factButton(cardsOf(first), 'overDay');
    expect(typeof button.data.questionId).toBe('string');
    const conclusion = await talk.submit(button.data);
    const again = await talk.submit(button.data);
    expect(messagesOf(again).map((m) => m.text)).toEqual([strings['question.alreadyAnswered']]);
    expect(cardsOf(again)).toEqual([]);
    // The conclusion card still takes its answer.
    const no = submitActionsOf(cardsOf(conclusion)[0]).find(
      (a) => a.data.action === 'feedback' && !a.data.helpful,
    );
    const next = await talk.submit(no?.data as Record<string, unknown>);
    expect(messagesOf(next).map((m) => m.text)).toContain(strings['feedback.sorry']);
  });

  it('a button without an id (an older card, another client) is taken as before', async () => {
    const talk = new DialogConversation('en-US');
    const first = await talk.say('directory sync has stopped');
    const { questionId: _dropped, ...data } = factButton(cardsOf(first), 'today').data;
    const answered = await talk.submit(data);
    expect(stringsOf(cardsOf(answered)[0]).some((s) => s.includes('missed 30-minute cycles'))).toBe(true);
  });
});

describe('in Teams, an answered question card is replaced by its answer (HTTP, as Teams drives the bot)', () => {
  const bot = channelAndBot();
  const { channel } = bot;

  const send = async (conversationId: string, channelId: string, extra: Record<string, unknown>) => {
    const before = channel.replies.get(conversationId)?.length ?? 0;
    const activity = channel.activity(conversationId, {
      type: 'message',
      channelId,
      conversation: { id: conversationId, conversationType: 'personal' },
      ...extra,
    });
    const result = await post(`${bot.url}/api/messages`, JSON.stringify(activity));
    expect(result.status).toBe(200);
    return (channel.replies.get(conversationId) ?? []).slice(before);
  };

  it('updates the fact question card with the answer chosen and no answer buttons', async () => {
    const id = randomUUID();
    const first = await send(id, 'msteams', { text: 'directory sync has stopped' });
    const question = first.find((m) =>
      cardsOf([m]).some((c) => submitActionsOf(c).some((a) => a.data.action === 'fact')),
    );
    if (!question) throw new Error('no fact question card');
    const button = factButton(cardsOf([question]), 'overDay');
    const replies = await send(id, 'msteams', { value: button.data, replyToId: question.id });
    expect(stringsOf(cardsOf(replies)[0]).some((s) => s.includes('the sync has stopped'))).toBe(true);
    const updates = channel.updates.get(id) ?? [];
    expect(updates.map((u) => u.activityId)).toEqual([question.id]);
    const updated = cardsOf([updates[0]?.activity as Record<string, unknown>])[0];
    expect(adaptiveCardProblems(updated)).toEqual([]);
    expect(submitActionsOf(updated)).toEqual([]);
    expect(stringsOf(updated)).toContain(strings['question.answered']?.replace('{answer}', button.title));
    expect(stringsOf(updated)).toContain(syncTopic.diagnosisText?.question);
  });

  it('welcomes with suggested replies in Teams personal chat and Web Chat, not in a team channel', async () => {
    const welcome = async (channelId: string, conversationType: string) => {
      const id = randomUUID();
      const before = channel.replies.get(id)?.length ?? 0;
      const activity = channel.activity(id, {
        type: 'conversationUpdate',
        channelId,
        conversation: { id, conversationType },
        membersAdded: [{ id: 'user-1', name: 'User' }],
      });
      expect((await post(`${bot.url}/api/messages`, JSON.stringify(activity))).status).toBe(200);
      const [message] = (channel.replies.get(id) ?? []).slice(before);
      return message?.suggestedActions as { actions: { type: string; value: string }[] } | undefined;
    };
    const expected = kb.definitions
      .filter((d) => d.welcome !== undefined)
      .sort((a, b) => (a.welcome ?? 0) - (b.welcome ?? 0))
      .map((d) => kb.topic(d.id, 'en')?.menuLabel);
    for (const [channelId, type] of [
      ['msteams', 'personal'],
      ['webchat', 'personal'],
    ]) {
      const suggested = await welcome(channelId as string, type as string);
      expect(suggested?.actions.map((a) => [a.type, a.value])).toEqual(expected.map((l) => ['imBack', l]));
    }
    expect(await welcome('msteams', 'channel')).toBeUndefined();
  });

  it('leaves the cards alone in Web Chat, where a message cannot be replaced', async () => {
    const id = randomUUID();
    const first = await send(id, 'webchat', { text: 'directory sync has stopped' });
    const button = factButton(cardsOf(first), 'overDay');
    await send(id, 'webchat', { value: button.data });
    const again = await send(id, 'webchat', { value: button.data });
    expect(channel.updates.get(id)).toBeUndefined();
    expect(again.map((m) => m.text)).toEqual([strings['question.alreadyAnswered']]);
  });
});
