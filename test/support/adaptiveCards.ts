import { JSDOM } from 'jsdom';

/**
 * Checks a card with the Adaptive Cards SDK itself. The SDK's Node entry does not load, so its
 * browser bundle runs on jsdom globals. A card fails on any parse event (unknown element or action
 * type, bad value) and on any property the SDK drops when it serializes the parsed card again:
 * the SDK ignores properties it does not know, so the round trip is how they show.
 */
type SdkModule = {
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void; toJSON(): unknown };
  SerializationContext: new () => {
    eventCount: number;
    getEventAt(i: number): { event: number; message: string };
  };
  ValidationEvent: Record<number, string>;
};

let sdk: SdkModule | undefined;

function loadSdk(): SdkModule {
  if (sdk) return sdk;
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  const globals = global as unknown as Record<string, unknown>;
  for (const name of [
    'window',
    'document',
    'HTMLElement',
    'navigator',
    'Node',
    'Element',
    'getComputedStyle',
  ]) {
    if (globals[name] === undefined) globals[name] = (dom.window as unknown as Record<string, unknown>)[name];
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk = require('adaptivecards/dist/adaptivecards.js') as SdkModule;
  return sdk;
}

/**
 * Elements only Teams renders (the SDK does not know them): each must carry a fallback, which is
 * what the SDK, Web Chat, the Emulator and Outlook render instead; the SDK must accept that fallback.
 */
const TEAMS_ONLY_ELEMENTS: Record<string, (element: Record<string, unknown>) => string[]> = {
  CodeBlock: (e) => [
    ...(typeof e.codeSnippet === 'string' && e.codeSnippet !== '' ? [] : ['codeSnippet: must be text']),
    ...(e.language === 'PowerShell' ? [] : [`language: "${String(e.language)}", expected "PowerShell"`]),
  ],
};

function teamsOnlyProblems(node: unknown, path: string, problems: string[]): void {
  if (Array.isArray(node)) return node.forEach((n, i) => teamsOnlyProblems(n, `${path}[${i}]`, problems));
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  const check = typeof record.type === 'string' ? TEAMS_ONLY_ELEMENTS[record.type] : undefined;
  if (check) {
    for (const p of check(record)) problems.push(`${path}.${p}`);
    if (typeof record.fallback !== 'object' || record.fallback === null)
      problems.push(`${path}: a ${String(record.type)} needs a fallback element for hosts other than Teams`);
  }
  for (const [k, v] of Object.entries(record))
    if (k !== 'data') teamsOnlyProblems(v, `${path}.${k}`, problems);
}

/** Keys whose values are free-form (Action.Submit data) or template-only. */
const FREE_FORM = new Set(['data']);
const MAX_TEAMS_ACTIONS = 6;

function compare(input: unknown, output: unknown, path: string, problems: string[]): void {
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) return void problems.push(`${path}: dropped by the SDK`);
    if (input.length !== output.length)
      // Unknown elements raise parse events too, but an element dropped on purpose (fallback: "drop")
      // raises none: say so here, so that nothing disappears unreported.
      return void problems.push(`${path}: ${input.length} items, the SDK kept ${output.length}`);
    input.forEach((item, i) => compare(item, output[i], `${path}[${i}]`, problems));
    return;
  }
  if (typeof input !== 'object' || input === null) return;
  const out = (output ?? {}) as Record<string, unknown>;
  const record = input as Record<string, unknown>;
  if (typeof record.type === 'string' && record.type in TEAMS_ONLY_ELEMENTS) {
    // The SDK parsed the fallback in its place: that is what other hosts show, so check it.
    return compare(record.fallback, output, `${path}.fallback`, problems);
  }
  for (const [key, value] of Object.entries(input)) {
    if (!(key in out)) {
      problems.push(`${path}.${key}: unknown property, or a default value the card need not state`);
      continue;
    }
    if (!FREE_FORM.has(key)) compare(value, out[key], `${path}.${key}`, problems);
  }
}

function countActions(node: unknown, path: string, problems: string[]): void {
  if (Array.isArray(node)) return node.forEach((n, i) => countActions(n, `${path}[${i}]`, problems));
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (Array.isArray(record.actions) && record.actions.length > MAX_TEAMS_ACTIONS) {
    problems.push(
      `${path}.actions: ${record.actions.length} actions; Teams shows at most ${MAX_TEAMS_ACTIONS}`,
    );
  }
  for (const [k, v] of Object.entries(record)) if (k !== 'data') countActions(v, `${path}.${k}`, problems);
}

/** Every problem the SDK sees in the card; an empty list means the card is valid for Teams (1.5). */
export function adaptiveCardProblems(card: unknown): string[] {
  const { AdaptiveCard, SerializationContext, ValidationEvent } = loadSdk();
  const problems: string[] = [];
  const version = (card as { version?: unknown }).version;
  // Compared as text: "1.10" is not 1.1, and "abc" is no version at all.
  if (typeof version !== 'string' || !/^1\.[0-5]$/.test(version)) {
    // The SDK cannot even serialize a card whose version does not parse.
    return [`version: "${String(version)}" is not a version from 1.0 to 1.5`];
  }
  const parsed = new AdaptiveCard();
  const context = new SerializationContext();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    const teamsOnly = /^Unknown element type "(\w+)"/.exec(event.message)?.[1];
    if (teamsOnly && teamsOnly in TEAMS_ONLY_ELEMENTS) continue; // checked by teamsOnlyProblems
    problems.push(`${ValidationEvent[event.event] ?? event.event}: ${event.message}`);
  }
  compare(card, parsed.toJSON(), 'card', problems);
  countActions(card, 'card', problems);
  teamsOnlyProblems(card, 'card', problems);
  return problems;
}
