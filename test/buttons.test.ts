import { fixtureAssistant, fixtureKnowledgeDir } from './support/assistant';
import { cardsOf, messagesOf, stringsOf, submitActionsOf, traceOf } from './support/botReplies';
import { DialogConversation } from './support/dialogClient';
import { knowledgeString } from './support/knowledgeStrings';

type Replies = Awaited<ReturnType<DialogConversation['say']>>;

/** On the fixture knowledge (test/fixtures/knowledge): topic wording written for the tests. */
const strings = (language: string, key: string) => knowledgeString(language, key, fixtureKnowledgeDir);

const allText = (replies: Replies): string =>
  messagesOf(replies)
    .flatMap((m) => [m.text ?? '', ...stringsOf(m.attachments ?? [])])
    .join('\n');

/** The buttons a new user clicks first, and client-controlled payloads that no card sends. */
describe('card buttons clicked when no question is waiting', () => {
  const assistant = fixtureAssistant();
  const { kb, services } = assistant;
  /** A new conversation of its own, on the shared (read-only) assistant. */
  const fresh = (locale = 'en-US') => new DialogConversation(locale, assistant);

  it.each(['en', 'nl'])('%s: every topic button of the welcome card answers its topic', async (language) => {
    const buttons = submitActionsOf(services.replies.welcome(language).card);
    const topicIds = buttons.map((b) => b.data.topicId as string);
    // The five common problems, then every topic behind "All topics".
    expect(topicIds.slice(5)).toEqual(kb.topicIds);
    for (const button of buttons) {
      const topicId = button.data.topicId as string;
      const replies = await fresh(`${language}-${language === 'en' ? 'US' : 'NL'}`).submit(button.data);
      expect({
        topicId,
        trace: traceOf(replies)?.topics[0]?.id,
        decision: traceOf(replies)?.decision,
      }).toEqual({
        topicId,
        trace: topicId,
        decision: 'command',
      });
      expect(stringsOf(cardsOf(replies)[0])).toContain(kb.topic(topicId, language)?.title);
    }
  });

  it('the menu card: a topic button answers the topic, a language button switches the language', async () => {
    const menu = services.replies.menu('en').card;
    const topicButton = submitActionsOf(menu).find((b) => b.data.topicId === 'manage-synced-objects');
    const replies = await fresh().submit(topicButton?.data as Record<string, unknown>);
    expect(traceOf(replies)?.topics[0]?.id).toBe('manage-synced-objects');
    expect(stringsOf(cardsOf(replies)[0])).toContain(kb.topic('manage-synced-objects', 'en')?.title);
    const dutch = submitActionsOf(menu).find((b) => b.data.action === 'language' && b.data.language === 'nl');
    const talk = fresh();
    const switched = await talk.submit(dutch?.data as Record<string, unknown>);
    expect(messagesOf(switched)[0]?.text).toBe(strings('nl', 'language.switched'));
    expect(traceOf(await talk.say('ok'))?.language).toBe('nl');
  });

  it('an "ask" payload is answered as if the question were typed', async () => {
    const replies = await fresh().submit({
      action: 'ask',
      text: 'our new badge holder is not on the roster',
    });
    expect(traceOf(replies)).toMatchObject({ decision: 'answer' });
    expect(traceOf(replies)?.topics[0]?.id).toBe('objects-not-syncing');
  });

  it('a feedback click on an old answer card, with nothing waiting, is still taken', async () => {
    const talk = fresh();
    const yes = await talk.submit({ action: 'feedback', helpful: true, topicId: 'manage-synced-objects' });
    expect(allText(yes)).toContain(strings('en', 'feedback.thanks'));
    const no = await fresh().submit({ action: 'feedback', helpful: false, topicId: 'manage-synced-objects' });
    expect(allText(no)).toContain(strings('en', 'feedback.sorry'));
    const offered = submitActionsOf(cardsOf(no)[0]).filter((a) => a.data.action === 'topic');
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.map((a) => a.data.topicId)).not.toContain('manage-synced-objects');
  });

  it.each([
    ['an unknown topic', { action: 'topic', topicId: 'no-such-topic' }],
    ['an unknown guided check', { action: 'flow', flowId: 'no-such-flow' }],
    ['an unsupported language', { action: 'language', language: 'pt' }],
    ['an unknown action', { action: 'dance' }],
    ['a malformed topic id', { action: 'topic', topicId: { $gt: '' } }],
  ])(
    'a stale or forged payload (%s) is taken as an empty message, and changes nothing',
    async (_name, value) => {
      const talk = fresh();
      const replies = await talk.submit(value);
      // Nothing to read: no topic is answered, the helpdesk and the menu are offered.
      expect(traceOf(replies)).toMatchObject({ decision: 'fallback', language: 'en' });
      expect(submitActionsOf(cardsOf(replies)[0]).map((a) => a.data.action)).toEqual(['escalate', 'menu']);
      expect(talk.dialogStatus).toBe('complete');
      // The language stayed English.
      expect(traceOf(await talk.say('ok'))?.language).toBe('en');
    },
  );
});

describe('buttons and commands inside a waiting question', () => {
  const assistant = fixtureAssistant();
  const fresh = (locale = 'en-US') => new DialogConversation(locale, assistant);

  it('"None of these" on the clarify card asks to rephrase and offers the helpdesk', async () => {
    const talk = fresh();
    const clarify = await talk.say('two badges share one tag');
    expect(traceOf(clarify)?.decision).toBe('clarify');
    const none = submitActionsOf(cardsOf(clarify)[0]).find((a) => a.data.action === 'none');
    expect(none).toBeDefined();
    const replies = await talk.submit(none?.data as Record<string, unknown>);
    expect(traceOf(replies)).toMatchObject({ decision: 'command', command: 'none', topics: [] });
    expect(allText(replies)).toContain(strings('en', 'clarify.rephrase'));
    expect(submitActionsOf(cardsOf(replies)[0]).map((a) => a.data)).toEqual([
      expect.objectContaining({ action: 'escalate', step: 'start' }),
    ]);
    expect(talk.dialogStatus).toBe('complete');
    // The clarify question is over: "1" is no pick any more.
    expect(traceOf(await talk.say('1'))?.decision).toBe('fallback');
  });

  it('"I don\'t know" at the fact question keeps the general guidance and asks whether it helped', async () => {
    const talk = fresh();
    const asked = await talk.say('the mirror run halted');
    expect(cardsOf(asked)).toHaveLength(2);
    // Not the button's own label ("I don't know", read as that option), but the command in other words.
    const replies = await talk.say('no idea');
    expect(traceOf(replies)).toMatchObject({ decision: 'command', command: 'dontKnow' });
    expect(allText(replies)).toContain(strings('en', 'fact.dontKnow'));
    // The feedback question now waits: "yes" is the verdict on the answer.
    expect(allText(await talk.say('yes'))).toContain(strings('en', 'feedback.thanks'));
  });

  it('a feedback click while the fact question waits is the verdict on the answer', async () => {
    const talk = fresh();
    await talk.say('the mirror run halted');
    const replies = await talk.submit({ action: 'feedback', helpful: true, topicId: 'sync-not-recent' });
    expect(allText(replies)).toContain(strings('en', 'feedback.thanks'));
    expect(talk.dialogStatus).toBe('complete');
  });

  it('"thanks" is answered and the feedback question keeps waiting', async () => {
    const talk = fresh();
    await talk.say('how do I change a mirrored badge');
    const thanks = await talk.say('thanks');
    expect(traceOf(thanks)).toMatchObject({ decision: 'command', command: 'thanks' });
    expect(allText(thanks)).toContain(strings('en', 'thanks.reply'));
    expect(talk.dialogStatus).toBe('waiting');
  });

  it("another card's button in the middle of an escalation leaves it and does what the button says", async () => {
    const talk = fresh();
    await talk.say('talk to a person');
    expect(talk.dialogStatus).toBe('waiting');
    const replies = await talk.submit({ action: 'topic', topicId: 'manage-synced-objects' });
    expect(traceOf(replies)?.topics[0]?.id).toBe('manage-synced-objects');
    expect(stringsOf(cardsOf(replies)[0])).toContain(
      assistant.kb.topic('manage-synced-objects', 'en')?.title,
    );
    // The escalation is over: "yes" no longer sends a ticket.
    expect(await assistant.records.read('tickets')).toEqual([]);
  });
});
