import type { LanguageGuess } from './languageDetector';

let tinyld: typeof import('tinyld') | undefined;

/**
 * Loads tinyld's language profiles (about 0.5 s of CPU on this machine, measured): after the port
 * opens as a warm-up task, or by the first message that needs it, never before the port opens.
 */
export function loadForeignLanguageDetector(): typeof import('tinyld') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tinyld ??= require('tinyld') as typeof import('tinyld');
  return tinyld;
}

/** Fewer words than this say too little for any detector. */
const MIN_WORDS = 4;
/** A message whose words are this much one supported language's is that language, whatever else. */
const MAX_SUPPORTED_SHARE = 0.5;
/** tinyld's own confidence (0..1) in the language it names. */
const MIN_CONFIDENCE = 0.5;

/**
 * The language of a message written in a language the bot does not speak ("a sincronização parou
 * desde ontem"), or undefined. Our own detector knows only the supported languages, so a generic one
 * (tinyld) names the others; it is asked only when the message is long enough and few of its words
 * belong to a supported language, because on short help-chat questions it often guesses wrong
 * (`npm run eval:language`). Measured on the 953 labeled messages of test/utterances: none is taken
 * for an unsupported language.
 */
export function unsupportedLanguageOf(
  text: string,
  guesses: readonly LanguageGuess[],
  supported: readonly string[],
): string | undefined {
  const words = text.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
  if (words < MIN_WORDS) return undefined;
  if ((guesses[0]?.share ?? 0) >= MAX_SUPPORTED_SHARE) return undefined;
  const [top] = loadForeignLanguageDetector().detectAll(text);
  if (!top || top.accuracy < MIN_CONFIDENCE || !/^[a-z]{2}$/.test(top.lang)) return undefined;
  return supported.includes(top.lang) ? undefined : top.lang;
}
