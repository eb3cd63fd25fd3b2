import type { LanguageGuess } from './languageDetector';

/** What the conversation remembers about its language (kept in user state). */
export interface LanguagePreference {
  language?: string;
  /** Chosen by the user in so many words ("answer in English"): text detection no longer overrides it. */
  explicit?: boolean;
}

export type LanguageReason = 'explicit' | 'text' | 'remembered' | 'locale' | 'default';

export interface LanguageChoice {
  language: string;
  reason: LanguageReason;
  /**
   * The language the message is written in, where it differs from the reply language: after "answer
   * in English", a French "bon on reprend depuis le début" is still read with the French words.
   */
  reading?: string;
  /** The message or the user's locale is in a language the bot does not speak (ISO 639-1). */
  unsupported?: string;
}

export interface LanguagePolicyInput {
  locale?: string;
  guesses: LanguageGuess[];
  /** The message is clearly written in this language, which the bot does not speak. */
  unsupportedTextLanguage?: string;
  preference: LanguagePreference;
  supported: string[];
  defaultLanguage: string;
}

/** A text must show at least this many words of one language, and this lead, to override the rest. */
const MIN_WORDS = 2;
const MIN_SHARE = 0.5;
const MIN_LEAD = 0.2;

/**
 * Which language to answer in: an explicit choice first; then a message clearly written in a
 * supported language; then the language remembered for the conversation (so "ok" or "ja" do not
 * flip it); then the client's locale; then the default.
 */
export function chooseLanguage(input: LanguagePolicyInput): LanguageChoice {
  const choice = chooseSupportedLanguage(input);
  const unsupported = input.unsupportedTextLanguage ?? choice.unsupported;
  const written = writtenLanguage(input);
  return {
    ...choice,
    ...(unsupported ? { unsupported } : {}),
    ...(written && written !== choice.language ? { reading: written } : {}),
  };
}

/** The supported language a message is clearly written in, if any. */
function writtenLanguage(input: LanguagePolicyInput): string | undefined {
  const [best, next] = input.guesses;
  // A conversation's first message may rest on one word that only one language has ("UPN
  // duplicado"); later, one word ("yes" in a Dutch conversation) does not move a remembered language.
  const oneTellingWord =
    input.preference.language === undefined &&
    best?.words === 1 &&
    best.share === 1 &&
    (next?.share ?? 0) === 0;
  const clear =
    best !== undefined &&
    (best.words >= MIN_WORDS || oneTellingWord) &&
    best.share >= MIN_SHARE &&
    best.share - (next?.share ?? 0) >= MIN_LEAD;
  return clear && input.supported.includes(best.language) ? best.language : undefined;
}

function chooseSupportedLanguage(input: LanguagePolicyInput): LanguageChoice {
  const { preference, supported, defaultLanguage } = input;
  if (preference.explicit && preference.language && supported.includes(preference.language)) {
    return { language: preference.language, reason: 'explicit' };
  }
  const written = writtenLanguage(input);
  if (written) return { language: written, reason: 'text' };
  if (preference.language && supported.includes(preference.language)) {
    return { language: preference.language, reason: 'remembered' };
  }
  const localeLanguage = languageOfLocale(input.locale);
  if (localeLanguage && supported.includes(localeLanguage))
    return { language: localeLanguage, reason: 'locale' };
  if (localeLanguage && /^[a-z]{2}$/.test(localeLanguage)) {
    return { language: defaultLanguage, reason: 'default', unsupported: localeLanguage };
  }
  return { language: defaultLanguage, reason: 'default' };
}

/** The language part of a client locale ("nl-NL" → "nl"), lower case. */
export function languageOfLocale(locale: string | undefined): string | undefined {
  return locale?.trim().slice(0, 2).toLowerCase() || undefined;
}
