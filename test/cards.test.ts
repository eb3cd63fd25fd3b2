import { adaptiveCardProblems } from './support/adaptiveCards';
import { testAssistant } from './support/assistant';
import { openUrlsOf, stringsOf, submitActionsOf } from './support/botReplies';

describe('every rendered card passes the Adaptive Cards SDK, in every language', () => {
  const { kb, services } = testAssistant();
  const { replies } = services;

  it.each(kb.languages)('%s: answer cards of every topic', (language) => {
    for (const topic of kb.topics(language)) {
      const reply = replies.answer(topic, language);
      expect({ topic: topic.id, problems: adaptiveCardProblems(reply.card) }).toEqual({
        topic: topic.id,
        problems: [],
      });
      expect(openUrlsOf(reply.card)).toEqual(topic.links.slice(0, 6).map((l) => l.url));
      const strings = stringsOf(reply.card);
      for (const step of topic.steps) expect(strings).toContain(step.text);
      expect(reply.plainText).toContain(topic.title);
      for (const link of topic.links) expect(reply.plainText).toContain(link.url);
    }
  });

  it.each(kb.languages)('%s: an answer with a conclusion shows it above the guidance', (language) => {
    const topic = kb.topics(language)[0];
    if (!topic) throw new Error('no topics');
    const reply = replies.answer(topic, language, { text: 'Conclusion first', severity: 'attention' });
    expect(adaptiveCardProblems(reply.card)).toEqual([]);
    const strings = stringsOf(reply.card);
    expect(strings.indexOf('Conclusion first')).toBeLessThan(strings.indexOf(topic.summary));
  });

  it.each(kb.languages)('%s: welcome, menu, fallback, clarify and alternatives cards', (language) => {
    const ids = kb.topicIds.slice(0, 3);
    for (const reply of [
      replies.welcome(language),
      replies.menu(language),
      replies.fallback(language),
      replies.clarify(ids, language),
      replies.alternatives(ids, language),
    ]) {
      expect(adaptiveCardProblems(reply.card)).toEqual([]);
      expect(reply.plainText?.length).toBeGreaterThan(20);
    }
    const menuTopics = submitActionsOf(replies.menu(language).card).map((a) => a.data.topicId);
    expect(menuTopics).toEqual(kb.topicIds);
    const clarify = submitActionsOf(replies.clarify(ids, language).card);
    expect(clarify.map((a) => a.data.action)).toEqual(['topic', 'topic', 'topic', 'none']);
  });

  it('the checker itself rejects unknown elements, unknown properties and versions above 1.5', () => {
    const base = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'hi', wrap: true }],
    };
    expect(adaptiveCardProblems(base)).toEqual([]);
    expect(adaptiveCardProblems({ ...base, version: '1.6' })).not.toEqual([]);
    expect(adaptiveCardProblems({ ...base, body: [{ type: 'Carousel' }] })).not.toEqual([]);
    expect(
      adaptiveCardProblems({ ...base, body: [{ type: 'TextBlock', text: 'hi', colour: 'red' }] }),
    ).not.toEqual([]);
  });
});
