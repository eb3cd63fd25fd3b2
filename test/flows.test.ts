import type { FlowDefinition } from '../src/domain/knowledge/schema';
import { adaptiveCardProblems } from './support/adaptiveCards';
import { testAssistant } from './support/assistant';
import { cardsOf, messagesOf, stringsOf, submitActionsOf } from './support/botReplies';
import { DialogConversation } from './support/dialogClient';

type Answer = 'yes' | 'no' | 'unknown';

/** Every way through a flow: the answers given and the outcome reached. */
function paths(flow: FlowDefinition): { answers: { step: string; answer: Answer }[]; outcome: string }[] {
  const found: { answers: { step: string; answer: Answer }[]; outcome: string }[] = [];
  const walk = (node: string, answers: { step: string; answer: Answer }[]): void => {
    const step = flow.steps[node];
    if (!step) return void found.push({ answers, outcome: node });
    for (const answer of ['yes', 'no', 'unknown'] as const)
      walk(step[answer], [...answers, { step: node, answer }]);
  };
  walk(flow.start, []);
  return found;
}

describe('guided checks', () => {
  const { kb } = testAssistant();

  it('exist for the three topics that need them, in every language', () => {
    for (const topic of ['sync-not-recent', 'password-hash-sync', 'objects-not-syncing']) {
      const flow = kb.flowForTopic(topic);
      expect(flow).toBeDefined();
      for (const language of kb.languages) expect(kb.flowText(flow?.id as string, language)).toBeDefined();
    }
  });

  for (const flow of testAssistant().kb.flows) {
    const all = paths(flow);
    it(`${flow.id}: every branch (${all.length} paths) ends in its outcome with a summary of what was checked`, async () => {
      const outcomes = new Set<string>();
      for (const path of all) {
        const talk = new DialogConversation('en-US', testAssistant());
        let replies = await talk.submit({ action: 'flow', flowId: flow.id });
        for (const { step, answer } of path.answers) {
          const card = cardsOf(replies)[0];
          expect(stringsOf(card)).toContain(kb.flowText(flow.id, 'en')?.steps[step]?.question);
          replies = await talk.submit({ action: 'flowAnswer', flowId: flow.id, step, answer });
        }
        const outcome = cardsOf(replies)[0];
        const text = kb.flowText(flow.id, 'en')?.outcomes[path.outcome];
        expect(stringsOf(outcome)).toEqual(expect.arrayContaining([text?.title, text?.text]));
        for (const { step } of path.answers)
          expect(stringsOf(outcome)).toContain(kb.flowText(flow.id, 'en')?.steps[step]?.question);
        expect(adaptiveCardProblems(outcome)).toEqual([]);
        outcomes.add(path.outcome);
      }
      expect([...outcomes].sort()).toEqual(Object.keys(flow.outcomes).sort());
    });
  }

  it('starts from the button on the answer card, takes typed answers, goes back, restarts and stops', async () => {
    const talk = new DialogConversation('nl-NL');
    const answer = await talk.say('de synchronisatie draait al 3 dagen niet meer');
    const start = submitActionsOf(cardsOf(answer)[0]).find((a) => a.data.action === 'flow');
    expect(start).toBeDefined();
    const flow = kb.flow(start?.data.flowId as string) as FlowDefinition;
    const texts = kb.flowText(flow.id, 'nl');
    const question = (step: string) => texts?.steps[step]?.question;

    let replies = await talk.submit(start?.data as Record<string, unknown>);
    expect(stringsOf(cardsOf(replies)[0])).toContain(question(flow.start));
    const second = flow.steps[flow.start]?.yes as string;
    replies = await talk.say('ja');
    expect(stringsOf(cardsOf(replies)[0])).toContain(question(second));
    replies = await talk.say('terug');
    expect(stringsOf(cardsOf(replies)[0])).toContain(question(flow.start));
    replies = await talk.say('weet ik niet');
    expect(stringsOf(cardsOf(replies)[0])).toContain(question(flow.steps[flow.start]?.unknown as string));
    replies = await talk.submit({ action: 'flowAnswer', flowId: flow.id, step: 'any', answer: 'restart' });
    expect(stringsOf(cardsOf(replies)[0])).toContain(question(flow.start));
    replies = await talk.submit({ action: 'flowAnswer', flowId: flow.id, step: flow.start, answer: 'leave' });
    expect(messagesOf(replies)[0]?.text).toBe(talk.assistant.services.replies.say('nl', 'flow.left').text);
    expect(talk.dialogStatus).toBe('complete');
  });

  it('leaves the check when the user asks something else', async () => {
    const talk = new DialogConversation('en-US');
    await talk.submit({ action: 'flow', flowId: 'password-hash-sync' });
    const replies = await talk.say('which attributes are synchronized to Microsoft Entra ID');
    expect(stringsOf(cardsOf(replies)[0])).toContain(
      talk.assistant.kb.topic('synced-attributes', 'en')?.title,
    );
  });
});
