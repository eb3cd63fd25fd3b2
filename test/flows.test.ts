import type { FlowDefinition } from '../src/domain/knowledge/schema';
import { adaptiveCardProblems } from './support/adaptiveCards';
import { testAssistant } from './support/assistant';
import { cardsOf, messagesOf, stringsOf, submitActionsOf } from './support/botReplies';
import { DialogConversation } from './support/dialogClient';
import { knowledgeString } from './support/knowledgeStrings';

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

  it('exist for the three topics that need them, with every question and outcome in every language', () => {
    const topics = ['objects-not-syncing', 'password-hash-sync', 'sync-not-recent'];
    // Pinned here: the per-flow tests below are generated from kb.flows and would vanish with it.
    expect(kb.flows.map((f) => f.topic).sort()).toEqual(topics);
    for (const topic of topics) {
      const flow = kb.flowForTopic(topic) as FlowDefinition;
      expect(flow.topic).toBe(topic);
      for (const language of ['en', 'nl', 'de', 'fr', 'es']) {
        const text = kb.flowText(flow.id, language);
        for (const step of Object.keys(flow.steps))
          expect({ language, step, question: typeof text?.steps[step]?.question }).toEqual({
            language,
            step,
            question: 'string',
          });
        for (const outcome of Object.keys(flow.outcomes))
          expect({ language, outcome, title: typeof text?.outcomes[outcome]?.title }).toEqual({
            language,
            outcome,
            title: 'string',
          });
      }
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
    expect(messagesOf(replies)[0]?.text).toBe(knowledgeString('nl', 'flow.left'));
    expect(talk.dialogStatus).toBe('complete');
  });

  it.each([
    // Command words, not the buttons' own labels ("Zurück", "Je ne sais pas"), which match anyway.
    ['de-DE', 'de', 'genau', 'geh zurück', 'keine ahnung'],
    ['fr-FR', 'fr', 'ouais', 'revenir', 'aucune idée'],
    ['es-ES', 'es', 'claro', 'volver', 'ni idea'],
  ])('%s: takes typed yes, back and "I don\'t know" in %s', async (locale, language, yes, back, dontKnow) => {
    const talk = new DialogConversation(locale);
    const flow = kb.flowForTopic('objects-not-syncing') as FlowDefinition;
    const question = (step: string) => kb.flowText(flow.id, language)?.steps[step]?.question;
    const second = flow.steps[flow.start]?.yes as string;
    // At the second step "yes" and "I don't know" lead apart, so the typed answer shows which was read.
    const afterUnknown = flow.steps[second]?.unknown as string;
    expect(afterUnknown).not.toBe(flow.steps[second]?.yes);
    let replies = await talk.submit({ action: 'flow', flowId: flow.id });
    expect(stringsOf(cardsOf(replies)[0])).toContain(question(flow.start));
    replies = await talk.say(yes);
    expect(stringsOf(cardsOf(replies)[0])).toContain(question(second));
    replies = await talk.say(back);
    expect(stringsOf(cardsOf(replies)[0])).toContain(question(flow.start));
    await talk.say(yes);
    replies = await talk.say(dontKnow);
    expect(stringsOf(cardsOf(replies)[0])).toContain(question(afterUnknown));
  });

  it.each([
    ['ok checked, ADSync service is stopped', 'outcome', 'serviceStopped'],
    ['just looked, it is not running', 'outcome', 'serviceStopped'],
    ['yep it is running', 'step', 'scheduler'],
    // A question, or a reply that says both, is no answer: the check is left for a new message.
    ['is the service stopped?', 'left', ''],
    ['it was stopped, now it is running', 'left', ''],
  ])(
    'at "is the ADSync service running?", "%s" is read from what was seen: %s %s',
    async (text, kind, id) => {
      const talk = new DialogConversation('en-US');
      const texts = kb.flowText('sync-not-recent', 'en');
      let replies = await talk.submit({ action: 'flow', flowId: 'sync-not-recent' });
      expect(stringsOf(cardsOf(replies)[0])).toContain(texts?.steps.service?.question);
      replies = await talk.say(text);
      const shown = stringsOf(cardsOf(replies)[0]);
      if (kind === 'outcome') expect(shown).toContain(texts?.outcomes[id]?.title);
      else if (kind === 'step') expect(shown).toContain(texts?.steps[id]?.question);
      else {
        expect(shown).not.toContain(texts?.outcomes.serviceStopped?.title);
        expect(shown).not.toContain(texts?.steps.scheduler?.question);
      }
    },
  );

  it('every step of every check has answer words in every language, none both yes and no', () => {
    for (const flow of kb.flows)
      for (const language of ['en', 'nl', 'de', 'fr', 'es'])
        for (const step of Object.keys(flow.steps)) {
          const answers = kb.flowText(flow.id, language)?.steps[step]?.answers;
          expect({
            language,
            flow: flow.id,
            step,
            yes: (answers?.yes.length ?? 0) > 0,
            no: (answers?.no.length ?? 0) > 0,
          }).toEqual({
            language,
            flow: flow.id,
            step,
            yes: true,
            no: true,
          });
        }
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
