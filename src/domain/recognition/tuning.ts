/**
 * The recognizer's tuned constants, in one place with what each does. They were set by hand against
 * the eval (npm run eval, npm run calibrate): change one, and run both again. The thresholds that
 * decide between answer, clarify and fallback are settings in knowledge/recognition.yaml; these are
 * the shape of the scoring itself, which authors have no reason to touch.
 */

/** How a word of the message matches a word of the phrasings when it is not the same word (topicRecognizer.ts). */
export const WORD_MATCH = {
  /** Another inflection: both share a prefix of at least this many letters... */
  sharedPrefixLetters: 5,
  /** ...that is at least this share of the longer word. */
  sharedPrefixShare: 0.6,
  sharedPrefixSimilarity: 0.85,
  /** A short stem and its inflection ("tel" / "tell", "sync" / "syncs"): at least this long... */
  shortStemLetters: 3,
  /** ...and at most this many letters apart. */
  shortStemExtraLetters: 2,
  shortStemSimilarity: 0.8,
  /** A compound and its part (wachtwoordsynchronisatie / wachtwoord): the part at least this long... */
  compoundPartLetters: 5,
  /** ...and the compound at least this many letters longer. */
  compoundExtraLetters: 3,
  /** The message's word is the compound of a known word. */
  compoundOfKnownSimilarity: 0.75,
  /** The message's word is a part of a known compound: it says less. */
  partOfKnownSimilarity: 0.6,
  /** Near spellings (typos) fuse.js offers for a word nothing else matched, and their best similarity. */
  nearSpellings: 3,
  nearSpellingMaxSimilarity: 0.85,
} as const;

/** How a topic's score is made from its phrasings (topicRecognizer.ts). */
export const PHRASING_SCORE = {
  /** The best phrasing: how much of the message it covers, to this power... */
  messageCoveredExponent: 0.65,
  /** ...times how much of the phrasing the message covers, to this power. */
  phrasingCoveredExponent: 0.35,
  /** A topic's score: this share from its best phrasing... */
  bestPhrasingShare: 0.75,
  /** ...and this share from how much of the message its whole vocabulary covers. */
  vocabularyShare: 0.25,
  /** Scores are kept to this many steps per unit (three decimals) in the trace and the eval. */
  scoreSteps: 1000,
  /** Topics scoring this or less are left off the list. */
  minListedScore: 0.001,
  /** After an answer, runners-up scoring at least this share of clarifyThreshold are offered as alternatives. */
  alternativeFromShareOfClarify: 0.75,
  /**
   * A message the bot could not match still lists, first on its topic menu, the topics scoring at least
   * this share of clarifyThreshold: on the held-out sets the topic ranked first was right for 96 to 99%
   * of topic messages, also when its score was too low to answer or ask.
   */
  fallbackSuggestionFromShareOfClarify: 0.4,
  /** A stated fact adds factBonus to a topic once its words score at least this share of clarifyThreshold. */
  factBonusFromShareOfClarify: 0.5,
} as const;

/** How the intent classifier reads a message and learns (intentClassifier.ts, intentModel.ts). */
export const CLASSIFIER = {
  /** Letter n-grams of these lengths, so unseen inflections and typos still share features. */
  letterNgrams: [3, 4, 5],
  /** A message of at most this many words gets its length as a feature: short ones are mostly replies. */
  shortMessageWords: 2,
  /** A number of more digits than this is one feature ('#'); one of this many or fewer another ('##'). */
  smallNumberDigits: 2,
  /** The learning rate falls as learningRate / (1 + epoch × this). */
  learningRateDecay: 0.3,
  /** The bias learns at this share of the weights' rate. */
  biasRateShare: 0.1,
  /** Gradients smaller than this are skipped: they change nothing but cost time. */
  minGradient: 1e-4,
  /** The shuffle's seed: the same knowledge trains the same model. */
  shuffleSeed: 20261202,
} as const;
