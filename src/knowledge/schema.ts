import { z } from 'zod';

/** Schemas of the files under knowledge/. AUTHORING.md in that folder describes them for authors. */

const topicId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens');
const nonEmpty = z.string().trim().min(1, 'must not be empty');
const httpsUrl = z
  .string()
  .regex(/^https:\/\/[^\s]+$/, 'must be an https:// URL without spaces')
  .refine((u) => !/\{(?!locale\})[^}]*\}/.test(u), 'the only placeholder allowed is {locale}');

export const recognitionSettingsSchema = z
  .object({
    defaultLanguage: z.string().regex(/^[a-z]{2}$/),
    /** A topic is answered when its score reaches this and it leads the next topic by answerMargin. */
    answerThreshold: z.number().min(0).max(1),
    answerMargin: z.number().min(0).max(1),
    /** Below answerThreshold but at least this: the bot asks which of the close topics is meant. */
    clarifyThreshold: z.number().min(0).max(1),
    /** Topics within this distance of the best one are offered together on a clarify card. */
    clarifyWindow: z.number().min(0).max(1),
    maxClarifyOptions: z.number().int().min(2).max(5),
    /** Weight of a word the knowledge base has never seen, relative to the rarest known word. */
    unknownWordWeight: z.number().min(0).max(2),
    /** fuse.js threshold for typo-tolerant word matching (0 exact .. 1 anything). */
    fuzzyWordThreshold: z.number().min(0).max(1),
    /** Words shorter than this are only matched exactly. */
    fuzzyMinLength: z.number().int().min(2).max(12),
  })
  .strict()
  .refine((s) => s.clarifyThreshold <= s.answerThreshold, {
    message: 'clarifyThreshold must not exceed answerThreshold',
    path: ['clarifyThreshold'],
  });

export const synonymsSchema = z
  .object({
    /** Phrase (as typed, any case) → the word it stands for. Applied in every language. */
    synonyms: z.record(nonEmpty, nonEmpty),
  })
  .strict();

export const topicDefinitionSchema = z
  .object({
    id: topicId,
    order: z.number().int().min(0),
    related: z.array(topicId).default([]),
    terms: z.array(nonEmpty).default([]),
    links: z
      .array(z.object({ key: z.string().regex(/^[A-Za-z0-9_-]+$/), url: httpsUrl }).strict())
      .min(1, 'a topic needs at least one link'),
  })
  .strict();

const commandPhrases = z.array(nonEmpty).min(1);

export const languageProfileSchema = z
  .object({
    code: z.string().regex(/^[a-z]{2}$/, 'must be a two-letter ISO 639-1 code'),
    name: nonEmpty,
    /** Locale segment of learn.microsoft.com URLs, e.g. nl-nl. */
    learnLocale: z.string().regex(/^[a-z]{2}-[a-z]{2}$/),
    /** snowball-stemmers algorithm name, e.g. dutch. */
    stemmer: nonEmpty,
    /** Key of the `stopword` package's list, e.g. nld. */
    stopwords: nonEmpty,
    extraStopwords: z.array(nonEmpty).default([]),
    /** Words of the stop-word list that carry meaning in this domain. */
    keepWords: z.array(nonEmpty).default([]),
    synonyms: z.record(nonEmpty, nonEmpty).default({}),
    commands: z
      .object({
        help: commandPhrases,
        menu: commandPhrases,
        restart: commandPhrases,
        cancel: commandPhrases,
        greeting: commandPhrases,
        thanks: commandPhrases,
        yes: commandPhrases,
        no: commandPhrases,
        switchLanguage: commandPhrases,
      })
      .strict(),
  })
  .strict();

export const localizedTopicSchema = z
  .object({
    title: nonEmpty.max(100),
    menuLabel: nonEmpty.max(40),
    summary: nonEmpty,
    causes: nonEmpty,
    steps: z
      .array(z.object({ text: nonEmpty, command: nonEmpty.optional() }).strict())
      .min(2, 'a topic needs at least two steps')
      .max(12),
    links: z.record(z.string(), nonEmpty),
    phrasings: z.array(nonEmpty).min(5, 'a topic needs at least five phrasings'),
  })
  .strict();

export const outOfScopeSchema = z.object({ phrasings: z.array(nonEmpty) }).strict();

export const stringsSchema = z.record(z.string().regex(/^[a-zA-Z][\w.]*$/), nonEmpty);

export type RecognitionSettings = z.infer<typeof recognitionSettingsSchema>;
export type TopicDefinition = z.infer<typeof topicDefinitionSchema>;
export type LanguageProfile = z.infer<typeof languageProfileSchema>;
export type LocalizedTopic = z.infer<typeof localizedTopicSchema>;
export type CommandName = keyof LanguageProfile['commands'];
