import type { CardJson } from './cardTemplates';

/**
 * Question cards: a card whose buttons answer a question once (which topic, did it help, a guided
 * check's yes / no). Each is sent with an id in its answer buttons' data, so that a click on an old
 * card can be told from a first answer. Buttons that offer something (start a guided check) carry
 * no id: they stay live. Plain JSON in, JSON out; the channel code decides what to do with it.
 */

/** Submit data of buttons that offer rather than answer. */
const OFFER_ACTIONS = new Set(['flow']);
const MAX_ID_LENGTH = 40;

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAnswerButton(
  node: Record<string, Json>,
): node is Record<string, Json> & { data: Record<string, Json> } {
  return (
    node.type === 'Action.Submit' && isRecord(node.data) && !OFFER_ACTIONS.has(String(node.data.action ?? ''))
  );
}

function mapCard(
  node: Json,
  visit: (record: Record<string, Json>) => Record<string, Json> | undefined,
): Json {
  if (Array.isArray(node)) return node.map((n) => mapCard(n, visit)).filter((n) => n !== undefined);
  if (!isRecord(node)) return node;
  const visited = visit(node);
  if (!visited) return undefined;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(visited))
    out[key] = key === 'data' ? value : mapCard(value, visit);
  return out;
}

/**
 * Visits every object of a card, depth first, without copying it; stops when `visit` returns true.
 * A card is 10 to 60 KB of JSON and every card sent is looked through: copying it to read it was a
 * tenth of a turn's CPU under load (measured).
 */
function visitCard(node: Json, visit: (record: Record<string, Json>) => boolean | void): boolean {
  if (Array.isArray(node)) return node.some((n) => visitCard(n, visit));
  if (!isRecord(node)) return false;
  if (visit(node) === true) return true;
  for (const [key, value] of Object.entries(node)) if (key !== 'data' && visitCard(value, visit)) return true;
  return false;
}

/**
 * Puts this question id in the data of every answer button of the card, in place: a card from
 * CardTemplates.expand is the caller's own copy. A card without answer buttons stays as it is.
 */
export function markQuestion(card: CardJson, questionId: string): CardJson {
  visitCard(card, (node) => {
    if (isAnswerButton(node)) node.data = { ...node.data, questionId };
  });
  return card;
}

/** The question id a button click carries (activity.value), if any. */
export function questionIdOf(value: Json): string | undefined {
  if (!isRecord(value)) return undefined;
  const id = value.questionId;
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH ? id : undefined;
}

/** The question id the card's answer buttons carry, if it is a question card. */
export function questionIdOfCard(card: Json): string | undefined {
  let found: string | undefined;
  visitCard(card, (node) => isAnswerButton(node) && (found = questionIdOf(node.data)) !== undefined);
  return found;
}

/** The title of the button whose data this click sent. */
export function answerLabel(card: Json, value: Json): string | undefined {
  if (!isRecord(value)) return undefined;
  const same = (data: Record<string, Json>): boolean =>
    Object.keys({ ...data, ...value }).every((k) => JSON.stringify(data[k]) === JSON.stringify(value[k]));
  let label: string | undefined;
  visitCard(card, (node) => {
    if (isAnswerButton(node) && same(node.data) && typeof node.title === 'string') label = node.title;
    return label !== undefined;
  });
  return label;
}

/** The card once answered: its answer buttons removed (and rows of buttons left empty), the answer at the end. */
export function withoutAnswerButtons(card: CardJson, answerLine: string): CardJson {
  const stripped = mapCard(card, (node) => {
    if (isAnswerButton(node)) return undefined;
    if (node.type === 'ActionSet' && Array.isArray(node.actions)) {
      const left = node.actions.filter((a) => !(isRecord(a) && isAnswerButton(a)));
      return left.length ? node : undefined;
    }
    return node;
  }) as CardJson;
  const body = Array.isArray(stripped.body) ? stripped.body : [];
  return {
    ...stripped,
    body: [
      ...body,
      {
        type: 'TextBlock',
        text: answerLine,
        weight: 'Bolder',
        spacing: 'Medium',
        separator: true,
        wrap: true,
      },
    ],
  };
}
