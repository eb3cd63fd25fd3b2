import { adaptiveCardProblems } from './support/adaptiveCards';
import { fixtureAssistant, fixtureKnowledgeDir, HELPDESK } from './support/assistant';
import { cardsOf, messagesOf, openUrlsOf, stringsOf, submitActionsOf, traceOf } from './support/botReplies';
import { DialogConversation } from './support/dialogClient';
import { knowledgeString } from './support/knowledgeStrings';

/**
 * The main dialog on the fixture knowledge (test/fixtures/knowledge): its topics' wording is written
 * for these tests, so the titles and phrasings below are literals that no edit to knowledge/ changes.
 */
const conversation = (locale: string) => new DialogConversation(locale, fixtureAssistant());
const strings = (language: string, key: string) => knowledgeString(language, key, fixtureKnowledgeDir);
const TITLES = {
  missing: 'Fixture: a badge holder is missing from the roster',
  missingNl: 'Fixture: een pashouder ontbreekt in het rooster',
  mirrored: 'Fixture: a mirrored badge cannot be edited',
  halted: 'Fixture: the mirror run halted',
};
const titleOf = (id: string): string => fixtureAssistant().kb.topic(id, 'en')?.title as string;

const text = (replies: Awaited<ReturnType<DialogConversation['say']>>): string =>
  messagesOf(replies)
    .flatMap((m) => [m.text ?? '', ...stringsOf(m.attachments ?? [])])
    .join('\n');

describe('main dialog: answering', () => {
  it('answers a clear question with the topic card, its steps, links and feedback buttons', async () => {
    const talk = conversation('en-US');
    const replies = await talk.say('our new badge holder is not on the roster');
    const trace = traceOf(replies);
    expect(trace).toMatchObject({ decision: 'answer', language: 'en' });
    expect(trace?.topics[0]?.id).toBe('objects-not-syncing');
    const [card] = cardsOf(replies);
    expect(adaptiveCardProblems(card)).toEqual([]);
    const topic = talk.assistant.kb.topic('objects-not-syncing', 'en');
    expect(stringsOf(card)).toEqual(
      expect.arrayContaining([TITLES.missing, 'Badge holder missing: first fixture step.']),
    );
    expect(openUrlsOf(card).length).toBeGreaterThan(0);
    expect(openUrlsOf(card).every((u) => !u.includes('{locale}'))).toBe(true);
    const feedback = submitActionsOf(card).filter((a) => a.data.action === 'feedback');
    expect(feedback.map((a) => a.data.helpful)).toEqual([true, false]);
    expect(messagesOf(replies)[0]?.summary).toContain(topic?.steps[0]?.text);
  });

  it('answers Dutch in Dutch, with nl-nl links', async () => {
    const talk = conversation('nl-NL');
    const replies = await talk.say('nieuwe pashouder staat niet in het rooster');
    expect(traceOf(replies)).toMatchObject({ decision: 'answer', language: 'nl' });
    expect(traceOf(replies)?.topics[0]?.id).toBe('objects-not-syncing');
    const [card] = cardsOf(replies);
    expect(stringsOf(card)).toContain(TITLES.missingNl);
    const learnLinks = openUrlsOf(card).filter((u) => u.includes('learn.microsoft.com'));
    expect(learnLinks.length).toBeGreaterThan(0);
    expect(learnLinks.filter((u) => !u.includes('/nl-nl/'))).toEqual([]);
  });

  it('answers questions outside directory sync with the helpdesk offer, never with sync topics', async () => {
    const talk = conversation('en-US');
    for (const question of [
      'the coffee machine is empty again',
      'can I borrow a stapler please',
      'who waters the plants on friday',
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
    const talk = conversation('en-US');
    const replies = await talk.say('two badges share one tag');
    const trace = traceOf(replies);
    expect(trace?.decision).toBe('clarify');
    const options = submitActionsOf(cardsOf(replies)[0]).filter((a) => a.data.action === 'topic');
    expect(options.map((o) => o.data.topicId).sort()).toEqual(['duplicate-email', 'duplicate-upn']);
    const picked = options[1]?.data.topicId as string;
    const answer = await talk.submit({ action: 'topic', topicId: picked });
    expect(traceOf(answer)).toMatchObject({ decision: 'command', topics: [{ id: picked, score: 1 }] });
    expect(stringsOf(cardsOf(answer)[0])).toContain(titleOf(picked));
  });

  it('takes a typed number as the pick on a clarify card', async () => {
    const talk = conversation('en-US');
    const replies = await talk.say('two badges share one tag');
    const options = submitActionsOf(cardsOf(replies)[0]).filter((a) => a.data.action === 'topic');
    const answer = await talk.say('1');
    expect(stringsOf(cardsOf(answer)[0])).toContain(titleOf(options[0]?.data.topicId as string));
  });

  it('treats a new question typed instead of a pick as a new question', async () => {
    const talk = conversation('en-US');
    await talk.say('two badges share one tag');
    const replies = await talk.say('how do I change a mirrored badge');
    expect(traceOf(replies)).toMatchObject({ decision: 'answer' });
    expect(traceOf(replies)?.topics[0]?.id).toBe('manage-synced-objects');
  });
});

describe('main dialog: feedback', () => {
  it('thanks the user for a yes (button)', async () => {
    const talk = conversation('en-US');
    await talk.say('how do I change a mirrored badge');
    const replies = await talk.submit({
      action: 'feedback',
      helpful: true,
      topicId: 'manage-synced-objects',
    });
    expect(traceOf(replies)).toMatchObject({ decision: 'command' });
    expect(text(replies)).toContain(strings('en', 'feedback.thanks'));
    expect(talk.dialogStatus).toBe('complete');
  });

  it('offers the next likely topics and the configured helpdesk after a typed "no"', async () => {
    const talk = conversation('en-US');
    await talk.say('a mirrored badge cannot be edited');
    const replies = await talk.say('no');
    const all = text(replies);
    expect(all).toContain(HELPDESK);
    const offered = submitActionsOf(cardsOf(replies)[0]).filter((a) => a.data.action === 'topic');
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.map((o) => o.data.topicId)).not.toContain('manage-synced-objects');
    expect(adaptiveCardProblems(cardsOf(replies)[0])).toEqual([]);
    const alternative = offered[0]?.data.topicId as string;
    const next = await talk.submit(offered[0]?.data as Record<string, unknown>);
    expect(traceOf(next)?.topics[0]?.id).toBe(alternative);
    expect(cardsOf(next)).toHaveLength(1);
    expect(stringsOf(cardsOf(next)[0])).toContain(titleOf(alternative));
  });

  it('hands over to the helpdesk when the alternative picked after a "no" did not help either', async () => {
    const talk = conversation('en-US');
    await talk.say('a mirrored badge cannot be edited');
    const sorry = await talk.say('no');
    const offered = submitActionsOf(cardsOf(sorry)[0]).filter((a) => a.data.action === 'topic');
    const alternative = offered[0]?.data.topicId as string;
    const second = await talk.submit(offered[0]?.data as Record<string, unknown>);
    expect(traceOf(second)?.topics[0]?.id).toBe(alternative);
    expect(stringsOf(cardsOf(second)[0])).toContain(titleOf(alternative));
    const handover = await talk.say('no');
    expect(text(handover)).toContain(strings('en', 'feedback.sorryAgain'));
    expect(text(handover)).toContain(strings('en', 'escalation.intro'));
    // The problem is the one first asked about, not the alternative.
    expect(text(handover)).toContain(TITLES.mirrored);
    const declined = await talk.submit({ action: 'escalate', step: 'abort' });
    expect(text(declined)).toContain(strings('en', 'escalation.notSent'));
    expect(talk.dialogStatus).toBe('complete');
  });

  it('after a "yes" on an alternative, thanks the user and starts nothing else', async () => {
    const talk = conversation('en-US');
    await talk.say('a mirrored badge cannot be edited');
    const sorry = await talk.say('no');
    const offered = submitActionsOf(cardsOf(sorry)[0]).filter((a) => a.data.action === 'topic');
    await talk.submit(offered[0]?.data as Record<string, unknown>);
    const thanks = await talk.say('yes');
    expect(text(thanks)).toContain(strings('en', 'feedback.thanks'));
    expect(talk.dialogStatus).toBe('complete');
  });

  it('understands a Dutch "nee" as feedback', async () => {
    const talk = conversation('nl-NL');
    await talk.say('hoe wijzig ik een gespiegelde pas');
    const replies = await talk.say('nee');
    expect(text(replies)).toContain(strings('nl', 'feedback.sorry'));
  });

  it('lets the user ask a new question instead of answering the feedback question', async () => {
    const talk = conversation('en-US');
    await talk.say('how do I change a mirrored badge');
    const replies = await talk.say('our new badge holder is not on the roster');
    expect(traceOf(replies)?.topics[0]?.id).toBe('objects-not-syncing');
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
  ] as const)('%s "%s" answers with %s', async (locale, command, key) => {
    const talk = conversation(locale);
    const replies = await talk.say(command);
    expect(traceOf(replies)).toMatchObject({ decision: 'command' });
    expect(text(replies)).toContain(strings(locale.slice(0, 2), key));
  });

  it('shows the menu while a clarify question waits, and the pick still works afterwards', async () => {
    const talk = conversation('en-US');
    const clarify = await talk.say('two badges share one tag');
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
    expect(stringsOf(cardsOf(answer)[0])).toContain(titleOf(first));
  });

  it('cancel ends a waiting question, so "1" is no longer a pick', async () => {
    const talk = conversation('en-US');
    await talk.say('two badges share one tag');
    await talk.say('cancel');
    const replies = await talk.say('1');
    expect(traceOf(replies)?.decision).toBe('fallback');
  });

  it('help keeps the feedback question open', async () => {
    const talk = conversation('nl-NL');
    await talk.say('hoe wijzig ik een gespiegelde pas');
    await talk.say('help');
    const replies = await talk.say('ja');
    expect(text(replies)).toContain(strings('nl', 'feedback.thanks'));
  });
});

describe('main dialog: messages that break a recognizer', () => {
  it('answers "since March 12 the mirror run halted for 26 hours" (the date recognizer throws on it)', async () => {
    const talk = conversation('en-US');
    const replies = await talk.say('since March 12 the mirror run halted for 26 hours');
    expect(traceOf(replies)).toMatchObject({ decision: 'answer' });
    expect(traceOf(replies)?.topics[0]?.id).toBe('sync-not-recent');
    expect(traceOf(replies)?.entities).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'duration', seconds: 26 * 3600 })]),
    );
    expect(cardsOf(replies)).toHaveLength(1);
    expect(stringsOf(cardsOf(replies)[0])).toContain(TITLES.halted);
  });
});
