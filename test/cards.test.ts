import { adaptiveCardProblems } from './support/adaptiveCards';
import { testAssistant } from './support/assistant';
import { openUrlsOf, stringsOf, submitActionsOf } from './support/botReplies';

/** Every element of this type in a card, depth first. */
function elementsOf(node: unknown, type: string): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap((n) => elementsOf(n, type));
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = record.type === type ? [record] : [];
  return [...own, ...Object.entries(record).flatMap(([k, v]) => (k === 'data' ? [] : elementsOf(v, type)))];
}

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

  it.each(kb.languages)(
    '%s: every command is a whole, read-only Teams CodeBlock in PowerShell, with a monospace fallback line by line',
    (language) => {
      for (const topic of kb.topics(language)) {
        const card = replies.answer(topic, language).card;
        const blocks = elementsOf(card, 'CodeBlock');
        const commands = topic.steps.flatMap((s) => (s.command ? [s.command] : []));
        expect(blocks.map((b) => b.codeSnippet)).toEqual(commands);
        expect(elementsOf(card, 'Input.Text')).toEqual([]);
        for (const [i, block] of blocks.entries()) {
          expect(block.language).toBe('PowerShell');
          const fallback = block.fallback as Record<string, unknown>;
          const runs = elementsOf(fallback, 'TextRun');
          expect(runs.map((r) => r.text)).toEqual(commands[i]?.split('\n'));
          for (const run of runs) expect(run.fontType).toBe('Monospace');
        }
      }
      for (const flow of kb.flows) {
        const text = kb.flowText(flow.id, language);
        for (const [id, step] of Object.entries(text?.steps ?? {})) {
          const card = replies.flowStep(flow.id, id, 1, language).card;
          expect(adaptiveCardProblems(card)).toEqual([]);
          expect(elementsOf(card, 'CodeBlock').map((b) => b.codeSnippet)).toEqual(
            step.command ? [step.command] : [],
          );
        }
        for (const [id, outcome] of Object.entries(text?.outcomes ?? {})) {
          const card = replies.flowOutcome(flow.id, id, [], flow.topic, language).card;
          expect(adaptiveCardProblems(card)).toEqual([]);
          expect(elementsOf(card, 'CodeBlock').map((b) => b.codeSnippet)).toEqual(
            outcome.command ? [outcome.command] : [],
          );
        }
      }
    },
  );

  it.each(kb.languages)(
    '%s: a short welcome - five common problems, every topic behind "All topics", the same five as suggested replies',
    (language) => {
      const reply = replies.welcome(language);
      const card = reply.card as Record<string, unknown>;
      expect(adaptiveCardProblems(card)).toEqual([]);
      const showCards = elementsOf(card, 'Action.ShowCard');
      expect(showCards.map((a) => a.title)).toEqual([kb.pack(language).strings['welcome.allTopics']]);
      const inside = submitActionsOf(showCards[0]?.card);
      expect(inside.map((a) => a.data.topicId)).toEqual(kb.topicIds);
      const visible = submitActionsOf({ ...card, body: (card.body as unknown[]).slice(0, -1) });
      expect(visible).toHaveLength(5);
      expect(reply.suggestions).toEqual(visible.map((a) => a.title));
      // A suggested reply is sent as text: it must lead to the topic its button opens.
      for (const action of visible) {
        const recognition = services.recognizer.recognize(action.title, language, []);
        expect({ text: action.title, decision: recognition.decision, topic: recognition.options[0] }).toEqual(
          {
            text: action.title,
            decision: 'answer',
            topic: action.data.topicId,
          },
        );
      }
    },
  );

  it('the checker wants a fallback for a Teams-only element, and checks the fallback with the SDK', () => {
    const card = (element: Record<string, unknown>) => ({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [element],
    });
    const codeBlock = { type: 'CodeBlock', codeSnippet: 'Get-ADSyncScheduler', language: 'PowerShell' };
    expect(
      adaptiveCardProblems(card({ ...codeBlock, fallback: { type: 'TextBlock', text: 'x', wrap: true } })),
    ).toEqual([]);
    expect(adaptiveCardProblems(card(codeBlock))).toContain(
      'card.body[0]: a CodeBlock needs a fallback element for hosts other than Teams',
    );
    expect(
      adaptiveCardProblems(card({ ...codeBlock, fallback: { type: 'TextBlock', txt: 'x' } })),
    ).not.toEqual([]);
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
