import { readSubmission } from '../src/domain/cards/submissions';
import { testAssistant } from './support/assistant';
import { submitActionsOf } from './support/botReplies';

/** Every button the reply builder writes is read back by the same schema that reads the clicks. */
describe('card buttons and readSubmission share one type', () => {
  const { kb, replies } = testAssistant().services;
  const topics = kb.topicIds;
  const diagnosed = kb.definitions.find((d) => d.diagnosis?.options.length);
  const flow = kb.flows[0];
  if (!diagnosed || !flow) throw new Error('the knowledge base has no diagnosis options or guided check');
  const firstStep = Object.keys(flow.steps)[0] as string;
  const outcome = Object.keys(flow.outcomes)[0] as string;

  const cards = (language: string) => ({
    // The topic with a guided check, offering a tenant check: every button an answer can have.
    answer: replies.answer(kb.topic(flow.topic, language)!, language, undefined, {
      rows: [],
      unavailable: false,
      offerCheck: true,
    }).card,
    conclusion: replies.conclusion(
      kb.topic(diagnosed.id, language)!,
      { text: 'conclusion', severity: 'warning', startWith: [1] },
      language,
    ).card,
    clarify: replies.clarify(topics.slice(0, 3), language).card,
    alternatives: replies.alternatives(topics.slice(0, 2), language, topics[0]).card,
    escalationDetails: replies.escalationDetails('problem', language).card,
    escalationConfirm: replies.escalationConfirm('problem', 'details', language).card,
    flowStep: replies.flowStep(flow.id, firstStep, 2, language).card,
    flowOutcome: replies.flowOutcome(flow.id, outcome, [], flow.topic, language).card,
    factQuestion: replies.factQuestion(
      kb.topic(diagnosed.id, language)!,
      diagnosed.diagnosis?.options ?? [],
      language,
    ).card,
    menu: replies.menu(language).card,
    outOfScope: replies.outOfScope(language).card,
    rephrase: replies.rephrase(language).card,
    welcome: replies.welcome(language).card,
  });

  it.each(kb.languages)('every button of every card in %s is a valid submission', (language) => {
    const unreadable: string[] = [];
    let buttons = 0;
    for (const [name, card] of Object.entries(cards(language))) {
      for (const action of submitActionsOf(card)) {
        buttons++;
        if (!readSubmission(action.data)) unreadable.push(`${name}: ${JSON.stringify(action.data)}`);
      }
    }
    expect(unreadable).toEqual([]);
    expect(buttons).toBeGreaterThan(30);
  });

  it('rejects a payload whose action or field is not in the schema', () => {
    expect(readSubmission({ action: 'topic', topicId: 'x' })).toEqual({ action: 'topic', topicId: 'x' });
    expect(readSubmission({ action: 'topics', topicId: 'x' })).toBeUndefined();
    expect(readSubmission({ action: 'flowAnswer', flowId: 'f', step: 's', answer: 'maybe' })).toBeUndefined();
    expect(readSubmission({ action: 'feedback', helpful: 'yes', topicId: 'x' })).toBeUndefined();
  });
});
