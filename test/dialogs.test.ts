import { adaptiveCardProblems } from './support/adaptiveCards';
import { HELPDESK } from './support/assistant';
import { cardsOf, messagesOf, openUrlsOf, stringsOf, submitActionsOf, traceOf } from './support/botReplies';
import { DialogConversation } from './support/dialogClient';
import { knowledgeString } from './support/knowledgeStrings';

const text = (replies: Awaited<ReturnType<DialogConversation['say']>>): string =>
  messagesOf(replies)
    .flatMap((m) => [m.text ?? '', ...stringsOf(m.attachments ?? [])])
    .join('\n');

describe('main dialog: answering', () => {
  it('answers a clear question with the topic card, its steps, links and feedback buttons', async () => {
    const talk = new DialogConversation('en-US');
    const replies = await talk.say('my password changed yesterday but Teams keeps asking for the old one');
    const trace = traceOf(replies);
    expect(trace).toMatchObject({ decision: 'answer', language: 'en' });
    expect(trace?.topics[0]?.id).toBe('password-hash-sync');
    const [card] = cardsOf(replies);
    expect(card).toBeDefined();
    expect(adaptiveCardProblems(card)).toEqual([]);
    const topic = talk.assistant.kb.topic('password-hash-sync', 'en');
    expect(stringsOf(card)).toEqual(expect.arrayContaining([topic?.title, topic?.steps[0]?.text]));
    expect(openUrlsOf(card).length).toBeGreaterThan(0);
    expect(openUrlsOf(card).every((u) => !u.includes('{locale}'))).toBe(true);
    const feedback = submitActionsOf(card).filter((a) => a.data.action === 'feedback');
    expect(feedback.map((a) => a.data.helpful)).toEqual([true, false]);
    expect(messagesOf(replies)[0]?.summary).toContain(topic?.steps[0]?.text);
  });

  it('answers Dutch in Dutch, with nl-nl links', async () => {
    const talk = new DialogConversation('nl-NL');
    const replies = await talk.say('mijn nieuwe collega staat nog steeds niet in het adresboek van outlook');
    expect(traceOf(replies)).toMatchObject({ decision: 'answer', language: 'nl' });
    expect(traceOf(replies)?.topics[0]?.id).toBe('objects-not-syncing');
    const [card] = cardsOf(replies);
    expect(stringsOf(card)).toContain(talk.assistant.kb.topic('objects-not-syncing', 'nl')?.title);
    const learnLinks = openUrlsOf(card).filter((u) => u.includes('learn.microsoft.com'));
    expect(learnLinks.length).toBeGreaterThan(0);
    expect(learnLinks.filter((u) => !u.includes('/nl-nl/'))).toEqual([]);
  });

  it('answers questions outside directory sync with the helpdesk offer, never with sync topics', async () => {
    const talk = new DialogConversation('en-US');
    for (const question of [
      'the printer on the third floor is jammed again',
      'what will the weather be tomorrow',
      'can I book meeting room 4B',
      'my onedrive says sync pending for hours',
    ]) {
      const replies = await talk.say(question);
      expect(traceOf(replies)).toMatchObject({ decision: 'fallback', outOfScope: true });
      const [card] = cardsOf(replies);
      const actions = submitActionsOf(card).map((a) => a.data.action);
      expect(actions).not.toContain('topic');
      expect(actions).toEqual(['escalate', 'menu']);
    }
  });

  it('asks which topic is meant when two are equally close, and answers the one picked', async () => {
    const talk = new DialogConversation('en-US');
    const replies = await talk.say('duplicate');
    const trace = traceOf(replies);
    expect(trace?.decision).toBe('clarify');
    const options = submitActionsOf(cardsOf(replies)[0]).filter((a) => a.data.action === 'topic');
    expect(options.length).toBeGreaterThanOrEqual(2);
    expect(options.length).toBeLessThanOrEqual(3);
    const picked = options[1]?.data.topicId as string;
    const answer = await talk.submit({ action: 'topic', topicId: picked });
    expect(traceOf(answer)).toMatchObject({ decision: 'command', topics: [{ id: picked, score: 1 }] });
    expect(stringsOf(cardsOf(answer)[0])).toContain(talk.assistant.kb.topic(picked, 'en')?.title);
  });

  it('takes a typed number as the pick on a clarify card', async () => {
    const talk = new DialogConversation('en-US');
    const replies = await talk.say('duplicate');
    const options = submitActionsOf(cardsOf(replies)[0]).filter((a) => a.data.action === 'topic');
    const answer = await talk.say('1');
    expect(stringsOf(cardsOf(answer)[0])).toContain(
      talk.assistant.kb.topic(options[0]?.data.topicId as string, 'en')?.title,
    );
  });

  it('treats a new question typed instead of a pick as a new question', async () => {
    const talk = new DialogConversation('en-US');
    await talk.say('duplicate');
    const replies = await talk.say('how do I count the objects we synchronize');
    expect(traceOf(replies)).toMatchObject({ decision: 'answer' });
    expect(traceOf(replies)?.topics[0]?.id).toBe('count-synced-objects');
  });
});

describe('main dialog: feedback', () => {
  it('thanks the user for a yes (button)', async () => {
    const talk = new DialogConversation('en-US');
    await talk.say('how do I count the synced objects');
    const replies = await talk.submit({ action: 'feedback', helpful: true, topicId: 'count-synced-objects' });
    expect(traceOf(replies)).toMatchObject({ decision: 'command' });
    expect(text(replies)).toContain(knowledgeString('en', 'feedback.thanks'));
    expect(talk.dialogStatus).toBe('complete');
  });

  it('offers the next likely topics and the configured helpdesk after a typed "no"', async () => {
    const talk = new DialogConversation('en-US');
    await talk.say('we got an alert that the object quota is exceeded');
    const replies = await talk.say('no');
    const all = text(replies);
    expect(all).toContain(HELPDESK);
    const offered = submitActionsOf(cardsOf(replies)[0]).filter((a) => a.data.action === 'topic');
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.map((o) => o.data.topicId)).not.toContain('object-quota');
    expect(adaptiveCardProblems(cardsOf(replies)[0])).toEqual([]);
    const alternative = offered[0]?.data.topicId as string;
    const next = await talk.submit(offered[0]?.data as Record<string, unknown>);
    expect(traceOf(next)?.topics[0]?.id).toBe(alternative);
    expect(cardsOf(next)).toHaveLength(1);
    expect(stringsOf(cardsOf(next)[0])).toContain(talk.assistant.kb.topic(alternative, 'en')?.title);
  });

  it('hands over to the helpdesk when the alternative picked after a "no" did not help either', async () => {
    const talk = new DialogConversation('en-US');
    await talk.say('we got an alert that the object quota is exceeded');
    const sorry = await talk.say('no');
    const offered = submitActionsOf(cardsOf(sorry)[0]).filter((a) => a.data.action === 'topic');
    const alternative = offered[0]?.data.topicId as string;
    const second = await talk.submit(offered[0]?.data as Record<string, unknown>);
    expect(traceOf(second)?.topics[0]?.id).toBe(alternative);
    expect(stringsOf(cardsOf(second)[0])).toContain(talk.assistant.kb.topic(alternative, 'en')?.title);
    const handover = await talk.say('no');
    const strings = talk.assistant.kb.pack('en').strings;
    expect(text(handover)).toContain(strings['feedback.sorryAgain']);
    expect(text(handover)).toContain(strings['escalation.intro']);
    // The problem is the one first asked about, not the alternative.
    expect(text(handover)).toContain(talk.assistant.kb.topic('object-quota', 'en')?.title as string);
    const declined = await talk.submit({ action: 'escalate', step: 'abort' });
    expect(text(declined)).toContain(strings['escalation.notSent']);
    expect(talk.dialogStatus).toBe('complete');
  });

  it('after a "yes" on an alternative, thanks the user and starts nothing else', async () => {
    const talk = new DialogConversation('en-US');
    await talk.say('we got an alert that the object quota is exceeded');
    const sorry = await talk.say('no');
    const offered = submitActionsOf(cardsOf(sorry)[0]).filter((a) => a.data.action === 'topic');
    await talk.submit(offered[0]?.data as Record<string, unknown>);
    const thanks = await talk.say('yes');
    expect(text(thanks)).toContain(knowledgeString('en', 'feedback.thanks'));
    expect(talk.dialogStatus).toBe('complete');
  });

  it('understands a Dutch "nee" as feedback', async () => {
    const talk = new DialogConversation('nl-NL');
    await talk.say('hoe tel ik het aantal gesynchroniseerde objecten');
    const replies = await talk.say('nee');
    expect(text(replies)).toContain(knowledgeString('nl', 'feedback.sorry'));
  });

  it('lets the user ask a new question instead of answering the feedback question', async () => {
    const talk = new DialogConversation('en-US');
    await talk.say('how do I count the synced objects');
    const replies = await talk.say('which attributes are synced to the cloud');
    expect(traceOf(replies)?.topics[0]?.id).toBe('synced-attributes');
  });
});

describe('main dialog: interruptions', () => {
  it.each([
    ['en-US', 'help', 'help.text'],
    ['nl-NL', 'hulp', 'help.text'],
    ['en-US', 'cancel', 'cancel.done'],
    ['nl-NL', 'annuleren', 'cancel.done'],
    ['en-US', 'start over', 'restart.done'],
    ['nl-NL', 'opnieuw beginnen', 'restart.done'],
  ])('%s "%s" answers with %s', async (locale, command, key) => {
    const talk = new DialogConversation(locale);
    const replies = await talk.say(command);
    expect(traceOf(replies)).toMatchObject({ decision: 'command' });
    expect(text(replies)).toContain(knowledgeString(locale.slice(0, 2), key));
  });

  it('shows the menu while a clarify question waits, and the pick still works afterwards', async () => {
    const talk = new DialogConversation('en-US');
    const clarify = await talk.say('duplicate');
    const first = submitActionsOf(cardsOf(clarify)[0]).find((a) => a.data.action === 'topic')?.data
      .topicId as string;
    const menu = await talk.say('menu');
    expect(submitActionsOf(cardsOf(menu)[0]).filter((a) => a.data.action === 'topic')).toHaveLength(
      talk.assistant.kb.topicIds.length,
    );
    expect(talk.dialogStatus).toBe('waiting');
    const answer = await talk.say('1');
    // A lost prompt would take "1" for a new message: the fallback, also one card (see the next test).
    expect(traceOf(answer)).toMatchObject({ decision: 'command', topics: [{ id: first }] });
    expect(cardsOf(answer)).toHaveLength(1);
    expect(stringsOf(cardsOf(answer)[0])).toContain(talk.assistant.kb.topic(first, 'en')?.title);
  });

  it('cancel ends a waiting question, so "1" is no longer a pick', async () => {
    const talk = new DialogConversation('en-US');
    await talk.say('duplicate');
    await talk.say('cancel');
    const replies = await talk.say('1');
    expect(traceOf(replies)?.decision).toBe('fallback');
  });

  it('help keeps the feedback question open', async () => {
    const talk = new DialogConversation('nl-NL');
    await talk.say('hoe tel ik het aantal gesynchroniseerde objecten');
    await talk.say('help');
    const replies = await talk.say('ja');
    expect(text(replies)).toContain(knowledgeString('nl', 'feedback.thanks'));
  });
});

describe('main dialog: messages that break a recognizer', () => {
  it('answers "since March 12 sync has not run for 26 hours" (the date recognizer throws on it)', async () => {
    const talk = new DialogConversation('en-US');
    const replies = await talk.say('since March 12 sync has not run for 26 hours');
    expect(traceOf(replies)).toMatchObject({ decision: 'answer' });
    expect(traceOf(replies)?.topics[0]?.id).toBe('sync-not-recent');
    expect(traceOf(replies)?.entities).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'duration', seconds: 26 * 3600 })]),
    );
    expect(cardsOf(replies)).toHaveLength(1);
  });
});
