import { diagnose, factFrom, factTopicsFor, formatFact, type Fact } from '../src/domain/diagnosis/diagnosis';
import { testAssistant } from './support/assistant';
import { cardsOf, stringsOf, submitActionsOf, traceOf } from './support/botReplies';
import { DialogConversation } from './support/dialogClient';
import { adaptiveCardProblems } from './support/adaptiveCards';
import { namedSyncError } from '../src/domain/entities/syncErrors';
import type { Entity } from '../src/domain/entities/facts';

/** Every element of this type in a card, depth first. */
function elementsOf(node: unknown, type: string): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap((n) => elementsOf(n, type));
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  return [
    ...(record.type === type ? [record] : []),
    ...Object.values(record).flatMap((v) => elementsOf(v, type)),
  ];
}

const HOUR = 3600;
const DAY = 86400;

describe('diagnosis rules at and around each threshold', () => {
  const { kb } = testAssistant();
  const conclude = (topicId: string, fact: Fact, language = 'en') => {
    const topic = kb.topic(topicId, language);
    const diagnosis = kb.definition(topicId)?.diagnosis;
    if (!topic || !diagnosis) throw new Error(`no diagnosis for ${topicId}`);
    return diagnose(topic, diagnosis, fact, kb.pack(language).profile.learnLocale);
  };
  const severity = (topicId: string, kind: Fact['kind'], value: number) =>
    conclude(topicId, { kind, value })?.severity;
  /** Which of the topic's conclusion texts (diagnosis.conclusions.<key>) a conclusion is. */
  const conclusionKey = (topicId: string, fact: Fact): string | undefined => {
    const text = conclude(topicId, fact)?.text;
    const templates = Object.entries(kb.topic(topicId, 'en')?.diagnosisText?.conclusions ?? {});
    const pattern = (template: string) =>
      new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{fact\}/g, '.+')}$`, 'is');
    const keys = templates.filter(([, template]) => text && pattern(template).test(text)).map(([key]) => key);
    return keys.length === 1 ? keys[0] : undefined;
  };

  it.each([
    ['sync-not-recent', 'elapsed', 30 * 60, 'good'],
    ['sync-not-recent', 'elapsed', HOUR - 1, 'good'],
    ['sync-not-recent', 'elapsed', HOUR, 'warning'],
    ['sync-not-recent', 'elapsed', DAY - 1, 'warning'],
    ['sync-not-recent', 'elapsed', DAY, 'attention'],
    ['sync-not-recent', 'elapsed', 26 * HOUR, 'attention'],
    ['password-hash-sync', 'elapsed', 120, 'good'],
    ['password-hash-sync', 'elapsed', 599, 'good'],
    ['password-hash-sync', 'elapsed', 600, 'warning'],
    ['password-hash-sync', 'elapsed', DAY - 1, 'warning'],
    ['password-hash-sync', 'elapsed', DAY, 'attention'],
    ['object-quota', 'count', 49_999, 'warning'],
    ['object-quota', 'count', 50_000, 'warning'],
    ['object-quota', 'count', 299_999, 'warning'],
    ['object-quota', 'count', 300_000, 'attention'],
  ] as const)('%s with %s %i is %s', (topicId, kind, value, expected) => {
    expect(severity(topicId, kind, value)).toBe(expected);
  });

  it("states the fact back in the user's language", () => {
    expect(conclude('sync-not-recent', { kind: 'elapsed', value: 26 * HOUR }, 'nl')?.text).toContain(
      '26 uur',
    );
    expect(conclude('object-quota', { kind: 'count', value: 350_000 }, 'nl')?.text).toContain('350.000');
    expect(formatFact({ kind: 'elapsed', value: 3 * DAY }, 'fr-fr')).toMatch(/^3\s+jours$/u);
  });

  it('uses different conclusions below and above a threshold, switching exactly at it', () => {
    const quota = (value: number) => conclusionKey('object-quota', { kind: 'count', value });
    expect([40_000, 49_999, 50_000, 60_000, 299_999, 300_000].map(quota)).toEqual([
      'belowDefault',
      'belowDefault',
      'aboveDefault',
      'aboveDefault',
      'aboveDefault',
      'aboveVerified',
    ]);
  });

  it('routes a named sync error by the attribute named, else to its own topic', () => {
    const error = (code: string, ...attributes: string[]): Entity[] => [
      { type: 'errorCode', text: code, value: code },
      ...attributes.map((a): Entity => ({ type: 'attribute', text: a, value: a })),
    ];
    const route = (entities: Entity[]) => namedSyncError(kb, entities)?.topicId;
    expect(route(error('AttributeValueMustBeUnique', 'proxyAddresses'))).toBe('duplicate-email');
    expect(route(error('AttributeValueMustBeUnique'))).toBe('duplicate-upn');
    expect(route(error('InvalidSoftMatch'))).toBe('duplicate-email');
    expect(route(error('InvalidSoftMatch', 'userPrincipalName'))).toBe('duplicate-upn');
    expect(route(error('NoSuchError', 'proxyAddresses'))).toBeUndefined();
  });
});

describe('diagnosis in a conversation', () => {
  it('leads the answer with the conclusion when the message gives the fact', async () => {
    const talk = new DialogConversation('en-US');
    const replies = await talk.say('directory sync has not run for 26 hours');
    const trace = traceOf(replies);
    expect(trace?.topics[0]?.id).toBe('sync-not-recent');
    expect(trace?.entities).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'duration', seconds: 26 * HOUR })]),
    );
    const strings = stringsOf(cardsOf(replies)[0]);
    const conclusion = strings.find((s) => s.startsWith('26 hours'));
    expect(conclusion).toBeDefined();
    expect(strings.indexOf(conclusion as string)).toBeLessThan(
      strings.indexOf(talk.assistant.kb.topic('sync-not-recent', 'en')?.summary as string),
    );
    // 26 hours without a sync is past the day threshold: the conclusion is styled as needing attention.
    const box = elementsOf(cardsOf(replies)[0], 'Container').find((c) =>
      stringsOf(c.items).includes(conclusion as string),
    );
    expect(box?.style).toBe('attention');
  });

  it('asks for the missing fact, and takes the answer from a button', async () => {
    const talk = new DialogConversation('en-US');
    const replies = await talk.say('directory sync has stopped');
    const cards = cardsOf(replies);
    expect(cards).toHaveLength(2);
    const options = submitActionsOf(cards[1]).filter((a) => a.data.action === 'fact');
    expect(options.map((o) => o.data.key)).toEqual(['underHour', 'today', 'overDay', 'unknown']);
    expect(adaptiveCardProblems(cards[1])).toEqual([]);
    const answered = await talk.submit(options[2]?.data as Record<string, unknown>);
    const card = cardsOf(answered)[0];
    expect(stringsOf(card).some((s) => s.includes('the sync has stopped, it is not just slow'))).toBe(true);
  });

  it('asks for the missing fact, and takes the answer as free text in Dutch', async () => {
    const talk = new DialogConversation('nl-NL');
    await talk.say('de adreslijstsynchronisatie is gestopt');
    const answered = await talk.say('ongeveer 20 minuten geleden');
    expect(traceOf(answered)?.entities).toEqual(
      expect.arrayContaining([expect.objectContaining({ seconds: 20 * 60 })]),
    );
    const conclusion = talk.assistant.kb
      .topic('sync-not-recent', 'nl')
      ?.diagnosisText?.conclusions.normal?.replace('{fact}', '20 minuten');
    expect(stringsOf(cardsOf(answered)[0])).toContain(conclusion);
  });

  it('explains a named sync error and routes it by the attribute named', async () => {
    const talk = new DialogConversation('en-US');
    const replies = await talk.say('InvalidSoftMatch for 3 users');
    expect(traceOf(replies)?.topics[0]?.id).toBe('duplicate-email');
    const strings = stringsOf(cardsOf(replies)[0]);
    expect(strings.some((s) => s.startsWith('InvalidSoftMatch: '))).toBe(true);
    const upn = await new DialogConversation('en-US').say('AttributeValueMustBeUnique on proxyAddresses');
    expect(traceOf(upn)?.topics[0]?.id).toBe('duplicate-email');
  });
});

describe('facts as recognition evidence', () => {
  it('names the topics whose diagnosis reads a fact the message states', async () => {
    const { kb, services } = testAssistant();
    const facts = async (text: string, language: string) =>
      factTopicsFor(
        kb.definitions,
        services.entities.extract(text, language),
        kb.recognition.factMinCount,
      ).sort();
    expect(await facts('sinds gisteren niet gesynchroniseerd', 'nl')).toEqual([
      'password-hash-sync',
      'sync-not-recent',
    ]);
    expect(await facts('we hebben 350.000 objecten', 'nl')).toEqual(['object-quota']);
    expect(await facts('12 users cannot sign in', 'en')).toEqual([]);
    expect(await facts('the sync does not work', 'en')).toEqual([]);
  });
});

describe("the fact stated back as the user put it, in the user's precision", () => {
  const { kb, services } = testAssistant();
  const conclusionFor = async (topicId: string, text: string, language: string) => {
    const topic = kb.topic(topicId, language);
    const diagnosis = kb.definition(topicId)?.diagnosis;
    if (!topic || !diagnosis) throw new Error(`no diagnosis for ${topicId}`);
    const fact = factFrom(diagnosis, services.entities.extract(text, language));
    if (!fact) throw new Error(`no fact in "${text}"`);
    const l = services.replies.localizer(language);
    return {
      fact,
      conclusion: diagnose(topic, diagnosis, fact, kb.pack(language).profile.learnLocale, (said, amount) =>
        l.t('fact.approximately', { said, amount }),
      ),
    };
  };

  it('echoes a vague span in the words used, with its rough value, and judges it by the value', async () => {
    const { fact, conclusion } = await conclusionFor(
      'sync-not-recent',
      'sync has not run since yesterday',
      'en',
    );
    expect(fact.value).toBeGreaterThanOrEqual(DAY);
    expect(conclusion?.text).toMatch(/^Since yesterday \(about 1 day\) without a sync/);
    expect(conclusion?.severity).toBe('attention');
    expect((await conclusionFor('sync-not-recent', 'no sync for a few days', 'en')).conclusion?.text).toMatch(
      /^A few days \(about 3 days\) without a sync/,
    );
    expect((await conclusionFor('sync-not-recent', 'depuis quelques jours', 'fr')).conclusion?.text).toMatch(
      /^Quelques jours \(environ 3\s+jours\) sans synchronisation/u,
    );
  });

  it('keeps a stated number in the unit it was said in: hours stay hours, days stay days', async () => {
    expect(
      (await conclusionFor('sync-not-recent', 'not synced for 26 hours', 'en')).conclusion?.text,
    ).toMatch(/^26 hours without a sync/);
    // "3 days ago" is the 3 days said, not the 80-odd hours since the start of that day.
    const { fact, conclusion } = await conclusionFor('sync-not-recent', 'the last sync was 3 days ago', 'en');
    expect(fact.value).toBe(3 * DAY);
    expect(conclusion?.text).toMatch(/^3 days without a sync/);
    expect(conclusion?.text).not.toMatch(/hours/);
    expect((await conclusionFor('sync-not-recent', 'an hour ago', 'en')).conclusion?.text).toMatch(
      /^An hour without/,
    );
  });

  it("states a button's answer as its label, not as a number nobody said", async () => {
    const talk = new DialogConversation('en-US');
    const first = await talk.say('directory sync has stopped');
    const overDay = submitActionsOf(cardsOf(first)[1]).find((a) => a.data.key === 'overDay');
    const answered = await talk.submit(overDay?.data as Record<string, unknown>);
    const shown = stringsOf(cardsOf(answered)[0]);
    expect(shown.some((s) => s.startsWith('More than a day ago without a sync: the sync has stopped'))).toBe(
      true,
    );
    expect(shown.some((s) => /\d+ hours without a sync/.test(s))).toBe(false);
  });
});
