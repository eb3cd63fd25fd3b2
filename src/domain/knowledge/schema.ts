import { algorithms as stemmerAlgorithms } from 'snowball-stemmers';
import * as stopwordLists from 'stopword';
import { z } from 'zod';

/** Schemas of the files under knowledge/. docs/knowledge-authoring.md describes them for authors. */

const topicId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens');
const nonEmpty = z.string().trim().min(1, 'must not be empty');
const httpsUrl = z
  .string()
  .regex(/^https:\/\/[^\s]+$/, 'must be an https:// URL without spaces')
  .refine((u) => !/\{(?!locale\})[^}]*\}/.test(u), 'the only placeholder allowed is {locale}');

export const recognitionSettingsSchema = z
  .object({
    defaultLanguage: z.string().regex(/^[a-z]{2}$/),
    /** The languages the bot speaks: folders of locales/. A folder not listed is a draft and is not loaded. */
    languages: z.array(z.string().regex(/^[a-z]{2}$/)).min(1),
    /** A topic is answered when its score reaches this and it leads the next topic by answerMargin. */
    answerThreshold: z.number().min(0).max(1),
    answerMargin: z.number().min(0).max(1),
    /** Below answerThreshold but at least this: the bot asks which of the close topics is meant. */
    clarifyThreshold: z.number().min(0).max(1),
    /** Topics within this distance of the best one are offered together on a clarify card. */
    clarifyWindow: z.number().min(0).max(1),
    maxClarifyOptions: z.number().int().min(2).max(5),
    /** Scores from another language's phrasings count this much against the message's own language. */
    otherLanguageFactor: z.number().min(0).max(1),
    /** Weight of a word the knowledge base has never seen, relative to the rarest known word. */
    unknownWordWeight: z.number().min(0).max(2),
    /** fuse.js threshold for typo-tolerant word matching (0 exact .. 1 anything). */
    fuzzyWordThreshold: z.number().min(0).max(1),
    /** Words shorter than this get no near-spelling (typo) match; other inflections still match. */
    fuzzyMinLength: z.number().int().min(2).max(12),
    /** Symptoms offered when a message only says that sync is broken (phrasings in locales/<lang>/vague.yaml). */
    vagueOptions: z.array(topicId).min(2).max(5),
    /**
     * Text that names its topic whatever the words around it say, because of what it is: a pattern
     * (a JavaScript regular expression, matched case-insensitively), the topic, and why it tells.
     */
    telltales: z
      .array(
        z
          .object({ pattern: z.string().min(1), topic: topicId, why: z.string().min(1) })
          .strict()
          .refine(
            (t) => {
              try {
                new RegExp(t.pattern, 'iu');
                return true;
              } catch {
                return false;
              }
            },
            { message: 'pattern: not a valid regular expression', path: ['pattern'] },
          ),
      )
      .default([]),
    /**
     * Added to a topic's score when the message states the fact its diagnosis reads ("for 3 days",
     * "350.000 objects") and the words already point at the topic (at least half clarifyThreshold).
     */
    factBonus: z.number().min(0).max(0.5).default(0),
    /** Counts below this ("12 users") give no recognition bonus to topics that read a count. */
    factMinCount: z.number().int().min(0).default(1000),
    /** How the intent classifier is trained (src/domain/recognition/intentModel.ts). */
    classifier: z
      .object({
        epochs: z.number().int().min(1).max(200),
        learningRate: z.number().positive(),
        l2: z.number().min(0),
        minFeatureCount: z.number().int().min(1),
        classBalance: z.number().min(0).max(1),
      })
      .strict(),
    /** How the classifier and the phrasing scorer are combined into one understanding of a message. */
    understanding: z
      .object({
        /** A topic's score: this share from the classifier, the rest from the phrasing scorer. */
        classifierWeight: z.number().min(0).max(1),
        /** The classifier's probability from which a message is a command said in the user's own words. */
        commandThreshold: z.number().min(0).max(1),
        /** The same for the replies a waiting question expects ("nee", "geen idee"): they are likelier there. */
        expectedCommandThreshold: z.number().min(0).max(1),
        /** The classifier's probability from which a message is out of scope, whatever the phrasings say. */
        outOfScopeThreshold: z.number().min(0).max(1),
        /** The same for "sync is broken" without a symptom: the bot asks what the user sees. */
        vagueThreshold: z.number().min(0).max(1),
        /**
         * A message the scores leave unanswered is still answered when the classifier gives the topics
         * together at least this probability (it is about sync, not out of scope or a command)...
         */
        inScopeProbability: z.number().min(0).max(1).default(1),
        /**
         * ...and its best topic, the one both readers put first, at least this many times the next
         * topic's probability. Long messages spread probability over topics their context words touch:
         * the best topic's own probability is low although it stands out from the others.
         */
        leadOverNextTopic: z.number().min(1).default(100),
        /** ...and its score from both readers at least this: the phrasings must not all point elsewhere. */
        standOutMinScore: z.number().min(0).max(1).default(1),
        /** ...in a message of at least this many words: a short one has no context to spread over. */
        standOutMinWords: z.number().int().min(0).default(10),
        /** A message of at most this many words answers a topic only with a word specific to topics. */
        shortMessageWords: z.number().int().min(0),
        /**
         * Where the helpdesk asks "anything to add?", a reply of at most this many words that reads as
         * no, thanks, yes or don't know adds nothing ("ok thanks", "nein, das wars"): the request goes.
         */
        nothingToAddMaxWords: z.number().int().min(0),
      })
      .strict(),
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

/** Rules that turn a fact of the message into a conclusion (src/domain/diagnosis/diagnosis.ts). */
export const diagnosisSchema = z
  .object({
    /** elapsed: seconds since or for how long (durations, points in time); count: a number of objects. */
    fact: z.enum(['elapsed', 'count']),
    /** Answers offered when the fact is missing; `value` in the fact's unit, none for "I don't know". */
    options: z
      .array(
        z.object({ key: z.string().regex(/^\w+$/), value: z.number().nonnegative().optional() }).strict(),
      )
      .default([]),
    /** Checked in order: the first whose `below` exceeds the fact applies; the last has no `below`. */
    rules: z
      .array(
        z
          .object({
            below: z.number().positive().optional(),
            severity: z.enum(['good', 'warning', 'attention']),
            conclusion: z.string().regex(/^\w+$/),
            /** The topic's steps (numbered from 1) to start with; a conclusion given after the answer names them. */
            startWith: z.array(z.number().int().positive()).default([]),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .refine(
    (d) => d.rules.slice(0, -1).every((r) => r.below !== undefined) && d.rules.at(-1)?.below === undefined,
    {
      message: 'every rule but the last needs `below`; the last must have none',
      path: ['rules'],
    },
  )
  .refine((d) => d.rules.every((r, i) => i === 0 || (r.below ?? Infinity) > (d.rules[i - 1]?.below ?? 0)), {
    message: 'the `below` values must increase',
    path: ['rules'],
  });

/**
 * What the live tenant check (SYNC_STATUS_CHECK=graph, src/infrastructure/syncStatus/) measures for a topic, and
 * how the measurement feeds the topic's diagnosis. A topic without it never triggers a check.
 */
export const tenantCheckSchema = z
  .object({
    /** The diagnosis fact the tenant measures: time since the last directory sync, or users + groups + contacts. */
    fact: z.enum(['sinceLastSync', 'objectCount']).optional(),
    /** Seconds without any directory sync after which the sync server itself is taken as down. */
    serverSilentAfter: z.number().positive().optional(),
    /** Whether the asker's own account (verified Teams identity) matters to this topic. */
    ownAccount: z.boolean().default(false),
  })
  .strict();

export const topicDefinitionSchema = z
  .object({
    id: topicId,
    order: z.number().int().min(0),
    /** Shown on the welcome card as a common problem, in this place (1 first); topics without it are under "All topics". */
    welcome: z.number().int().min(1).max(5).optional(),
    related: z.array(topicId).default([]),
    terms: z.array(nonEmpty).default([]),
    links: z
      .array(z.object({ key: z.string().regex(/^[A-Za-z0-9_-]+$/), url: httpsUrl }).strict())
      .min(1, 'a topic needs at least one link'),
    diagnosis: diagnosisSchema.optional(),
    tenantCheck: tenantCheckSchema.optional(),
  })
  .strict();

const commandPhrases = z.array(nonEmpty).min(1);

/** A word for a day, week, month or year counted from today ("anteayer": the day before yesterday). */
export const calendarWordSchema = z
  .object({
    unit: z.enum(['day', 'week', 'month', 'year']),
    /** 0 for this one, -1 for the last one. */
    offset: z.number().int().max(0),
    /** The hour it starts, for a part of a day ("anoche": 20). */
    hour: z.number().int().min(0).max(23).optional(),
  })
  .strict();
export type CalendarWord = z.infer<typeof calendarWordSchema>;

/** How facts are read from a message in this language (src/domain/entities/). */
export const entityReadingSchema = z
  .object({
    /** chrono-node parser for points in time (chrono's locale for the language). */
    dateParser: z
      .enum(['en', 'nl', 'de', 'fr', 'es', 'pt', 'it', 'sv', 'ja', 'zh', 'ru', 'uk', 'fi'])
      .optional(),
    thousandsSeparator: z.enum([',', '.', ' ', "'"]),
    decimalSeparator: z.enum([',', '.']),
    /** Words that stand for small numbers in durations ("a day", "twee dagen"). */
    numberWords: z.record(nonEmpty, z.number().positive()),
    /**
     * Numbers in words that are counts ("two users", "deux comptes"), and the words of larger numbers
     * ("twenty", "quatre-vingt", "doscientos"): "twenty five" and "vingt-cinq" are read from them.
     */
    cardinalWords: z.record(nonEmpty, z.number().nonnegative()).default({}),
    /** Words that multiply the number before them ("thousand": 1000, "dozen": 12, "k": 1000). */
    multiplierWords: z.record(nonEmpty, z.number().positive()).default({}),
    /** Words between the parts of one number ("one hundred and five", "vingt et un", "treinta y dos"). */
    numberJoiners: z.array(nonEmpty).default([]),
    /** Words before a point in time that say it started then ("since", "depuis"): part of what was said. */
    sinceWords: z.array(nonEmpty).default([]),
    /** Words that make a time of day approximate ("around 3pm", "gegen 15 Uhr"): chrono reads the time without them. */
    approximateWords: z.array(nonEmpty).default([]),
    /**
     * Words said next to a small count that make it a count of what is affected: a limit before it
     * ("only 1", "maar 1") or what it counts after it ("1 account", "15 Stück", "un seul"). Said after
     * an answer, such a count is a fact of the problem; a bare small number ("tried 3 times") is not.
     */
    countWords: z.array(nonEmpty).default([]),
    /** Days, weeks and months named without a date ("last week", "anteayer"), where chrono has none. */
    calendarWords: z.record(nonEmpty, calendarWordSchema).default({}),
    /** Duration units and their length in seconds ("uur": 3600). */
    durationUnits: z.record(nonEmpty, z.number().positive()),
    /** Words before an event id ("event 611", "gebeurtenis 611"). */
    eventWords: z.array(nonEmpty).min(1),
    /**
     * Words that carry a point in time or a count without digits (yesterday, Friday, March, thousand).
     * Only a message that has a digit, a duration unit, a number word above one or one of these is
     * read for counts and points in time. Matched as whole words, accents and case aside: list the
     * inflections you need ("morning", "mornings").
     */
    factWords: z.array(nonEmpty).min(1),
  })
  .strict();

export const languageProfileSchema = z
  .object({
    code: z.string().regex(/^[a-z]{2}$/, 'must be a two-letter ISO 639-1 code'),
    name: nonEmpty,
    /** Locale segment of learn.microsoft.com URLs, e.g. nl-nl. */
    learnLocale: z.string().regex(/^[a-z]{2}-[a-z]{2}$/),
    /** snowball-stemmers algorithm name, e.g. dutch. */
    stemmer: nonEmpty.refine((name) => stemmerAlgorithms().includes(name), {
      message: `must be a snowball-stemmers algorithm: ${stemmerAlgorithms().join(', ')}`,
    }),
    /** Key of the `stopword` package's list, e.g. nld. */
    stopwords: nonEmpty.refine(
      (key) => Array.isArray((stopwordLists as unknown as Record<string, unknown>)[key]),
      { message: 'must name a list of the stopword package (ISO 639-3: eng, nld, deu, fra, spa...)' },
    ),
    extraStopwords: z.array(nonEmpty).default([]),
    /** Words of the stop-word list that carry meaning in this domain. */
    keepWords: z.array(nonEmpty).default([]),
    synonyms: z.record(nonEmpty, nonEmpty).default({}),
    entities: entityReadingSchema,
    /**
     * Words that tell, in a report of what the user found or did after an answer ("removed the alias
     * and she's there now", "still the same error"), that the problem is solved (yes) or not (no).
     */
    outcomeWords: z
      .object({ yes: z.array(nonEmpty).default([]), no: z.array(nonEmpty).default([]) })
      .strict()
      .default({ yes: [], no: [] }),
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
        /** "Talk to a person": hand the conversation to the helpdesk. */
        escalate: commandPhrases,
        /** In a guided check: "I don't know" and "back". */
        dontKnow: z.array(nonEmpty).default([]),
        back: z.array(nonEmpty).default([]),
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
    /** The texts of the topic's diagnosis: the question, its answers, each conclusion ({fact} is the fact). */
    diagnosis: z
      .object({
        question: nonEmpty,
        options: z.record(z.string(), nonEmpty),
        conclusions: z.record(z.string(), nonEmpty),
      })
      .strict()
      .optional(),
  })
  .strict();

/** knowledge/errors.yaml: sync error types, language-neutral. */
export const errorCatalogSchema = z
  .object({
    /** Attribute names, each with the other ways users write it (UPN → userPrincipalName). */
    attributes: z.record(nonEmpty, z.array(nonEmpty)),
    errors: z
      .array(
        z
          .object({
            code: z.string().regex(/^[A-Za-z][\w-]*$/),
            /** Other spellings and older names users type. */
            aliases: z.array(nonEmpty).default([]),
            /** The topic whose guidance applies. */
            topic: topicId,
            /** A different topic when the message names an attribute (proxyAddresses → duplicate-email). */
            topicByAttribute: z.record(nonEmpty, topicId).default({}),
            link: httpsUrl.optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/** knowledge/locales/<lang>/errors.yaml: what each error means and how to fix it, in that language. */
export const localizedErrorsSchema = z.record(
  z.string(),
  z.object({ meaning: nonEmpty, cause: nonEmpty, fix: nonEmpty }).strict(),
);

const flowNodeId = z.string().regex(/^[a-zA-Z][\w-]*$/);

/** knowledge/flows/<id>.yaml: a guided check, one question at a time; each answer leads to a step or an outcome. */
export const flowDefinitionSchema = z
  .object({
    id: topicId,
    topic: topicId,
    start: flowNodeId,
    steps: z.record(flowNodeId, z.object({ yes: flowNodeId, no: flowNodeId, unknown: flowNodeId }).strict()),
    outcomes: z.record(flowNodeId, z.object({ severity: z.enum(['good', 'warning', 'attention']) }).strict()),
  })
  .strict();

/** knowledge/locales/<lang>/flows/<id>.yaml: the flow's questions and outcomes in that language. */
export const localizedFlowSchema = z
  .object({
    title: nonEmpty,
    steps: z.record(
      z.string(),
      z
        .object({
          question: nonEmpty,
          hint: nonEmpty.optional(),
          command: nonEmpty.optional(),
          /** What a reply says when it means yes or no by telling what was seen ("it's stopped"). */
          answers: z
            .object({ yes: z.array(nonEmpty).default([]), no: z.array(nonEmpty).default([]) })
            .strict()
            .optional(),
        })
        .strict(),
    ),
    outcomes: z.record(
      z.string(),
      z.object({ title: nonEmpty, text: nonEmpty, command: nonEmpty.optional() }).strict(),
    ),
  })
  .strict();

export const outOfScopeSchema = z.object({ phrasings: z.array(nonEmpty) }).strict();

export const stringsSchema = z.record(z.string().regex(/^[a-zA-Z][\w.]*$/), nonEmpty);

export type RecognitionSettings = z.infer<typeof recognitionSettingsSchema>;
export type TopicDefinition = z.infer<typeof topicDefinitionSchema>;
export type LanguageProfile = z.infer<typeof languageProfileSchema>;
export type LocalizedTopic = z.infer<typeof localizedTopicSchema>;
export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;
export type LocalizedFlow = z.infer<typeof localizedFlowSchema>;
export type Diagnosis = z.infer<typeof diagnosisSchema>;
export type TenantCheck = z.infer<typeof tenantCheckSchema>;
export type EntityReading = z.infer<typeof entityReadingSchema>;
export type ErrorCatalog = z.infer<typeof errorCatalogSchema>;
export type CommandName = keyof LanguageProfile['commands'];
/** Every command a message can be, in the order of language.yaml. */
export const commandNames = Object.keys(languageProfileSchema.shape.commands.shape) as CommandName[];
