import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { adaptiveCardProblems } from './support/adaptiveCards';
import { HELPDESK, knowledgeDir, testAssistant } from './support/assistant';
import { openUrlsOf, stringsOf, submitActionsOf } from './support/botReplies';
import { knowledgeString } from './support/knowledgeStrings';

/** The topic ids in menu order, read from knowledge/topics/ rather than from the KnowledgeBase under test. */
const topicIdsOnDisk = (): string[] =>
  fs
    .readdirSync(path.join(knowledgeDir, 'topics'))
    .map(
      (file) =>
        YAML.parse(fs.readFileSync(path.join(knowledgeDir, 'topics', file), 'utf8')) as {
          id: string;
          order: number;
        },
    )
    .sort((a, b) => a.order - b.order)
    .map((topic) => topic.id);

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

  it.each(kb.languages)(
    '%s: an answer with a conclusion shows it above the guidance, styled by its severity',
    (language) => {
      const topic = kb.topics(language)[0];
      if (!topic) throw new Error('no topics');
      for (const severity of ['good', 'warning', 'attention'] as const) {
        const reply = replies.answer(topic, language, { text: 'Conclusion first', severity });
        expect(adaptiveCardProblems(reply.card)).toEqual([]);
        const strings = stringsOf(reply.card);
        const conclusionAt = strings.indexOf('Conclusion first');
        expect(conclusionAt).toBeGreaterThanOrEqual(0);
        expect(strings.indexOf(topic.summary)).toBeGreaterThan(conclusionAt);
        const box = elementsOf(reply.card, 'Container').find((c) =>
          stringsOf(c.items).includes('Conclusion first'),
        );
        expect(box?.style).toBe(severity);
      }
      const plain = elementsOf(replies.answer(topic, language).card, 'Container');
      expect(plain.filter((c) => ['good', 'warning', 'attention'].includes(String(c.style)))).toEqual([]);
    },
  );

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
    expect(menuTopics).toEqual(topicIdsOnDisk());
    const fallback = replies.fallback(language);
    expect(stringsOf(fallback.card)).toContain(knowledgeString(language, 'fallback.text'));
    expect(submitActionsOf(fallback.card).map((a) => a.data.topicId)).toEqual(topicIdsOnDisk());
    // After a "no": the sorry line, the next topics, the helpdesk and the button that escalates.
    const alternatives = replies.alternatives(ids, language, 'object-quota');
    const alternativeStrings = stringsOf(alternatives.card).join('\n');
    expect(alternativeStrings).toContain(knowledgeString(language, 'feedback.sorry'));
    expect(alternativeStrings).toContain(HELPDESK);
    expect(submitActionsOf(alternatives.card).map((a) => a.data)).toEqual([
      ...ids.map((id) => expect.objectContaining({ action: 'topic', topicId: id })),
      { action: 'escalate', step: 'start', topicId: 'object-quota' },
    ]);
    expect(stringsOf(replies.welcome(language).card)).toContain(knowledgeString(language, 'welcome.intro'));
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
      expect(inside.map((a) => a.data.topicId)).toEqual(topicIdsOnDisk());
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
    expect(adaptiveCardProblems({ ...base, version: '1.10' })).not.toEqual([]);
    expect(adaptiveCardProblems({ ...base, version: 'latest' })).not.toEqual([]);
    // An element the SDK drops without any parse event (its requirements unmet, fallback: drop) is reported.
    const unmet = { type: 'TextBlock', text: 'x', requires: { adaptiveCards: '9.0' }, fallback: 'drop' };
    expect(adaptiveCardProblems({ ...base, body: [...base.body, unmet] })).toEqual([
      'card.body: 2 items, the SDK kept 1',
    ]);
    expect(adaptiveCardProblems({ ...base, body: [{ type: 'Carousel' }] })).not.toEqual([]);
    expect(
      adaptiveCardProblems({ ...base, body: [{ type: 'TextBlock', text: 'hi', colour: 'red' }] }),
    ).not.toEqual([]);
  });
});
