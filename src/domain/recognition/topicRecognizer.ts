import Fuse from 'fuse.js';
import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import type { RecognitionSettings } from '../knowledge/schema';
import type { SavedStems } from '../language/savedStems';
import { foldText, TextAnalyzer } from '../language/textAnalyzer';
import { COMMAND_PREFIX, type IntentClassifier, OUT_OF_SCOPE_INTENT, VAGUE_INTENT } from './intentClassifier';
import type { IntentScore } from './intentModel';
import { PHRASING_SCORE, WORD_MATCH } from './tuning';

export type TopicDecision = 'answer' | 'clarify' | 'fallback';

export interface TopicScore {
  id: string;
  score: number;
}

export interface TopicRecognition {
  decision: TopicDecision;
  /** Best first, every topic with a score above zero. */
  topics: TopicScore[];
  /** The topics to offer on a clarify card (decision `clarify`), best first. */
  options: string[];
  /** The message only says that sync is broken: ask which symptom, not which topic. */
  vague?: boolean;
  /** A fallback because the message is about something else (printers, OneDrive): offer the helpdesk. */
  outOfScope?: boolean;
  /** The classifier's best intents, for the logs and the eval. */
  intents?: IntentScore[];
  /** Languages ranked by how well their vocabulary covers the text: evidence for language detection. */
  languageEvidence: { language: string; coverage: number }[];
}

/** What is known of a message before any threshold is applied. */
export interface MessageEvidence {
  /** Each topic's score from the phrasings (fuse.js and stems), with the out-of-scope and vague groups. */
  phrasings: Map<string, number>;
  /** The classifier's probabilities, best first (none without a classifier). */
  intents: IntentScore[];
  factTopics: readonly string[];
  words: number;
  languageEvidence: { language: string; coverage: number }[];
}

/** Marks phrasings that belong to no topic: questions the bot must not answer. */
const OUT_OF_SCOPE = '';
/** Marks phrasings that say only that sync is broken: the bot asks which symptom. */
const VAGUE = '?';

interface IndexedPhrasing {
  topicId: string;
  terms: string[];
  weight: number;
  /** Each term's position in the vocabulary, in the order of `terms`. */
  termIds: Int32Array;
  /** Each term's rarity, in the order of `terms`. */
  termRarity: Float64Array;
}

const round = (n: number): number => Math.round(n * PHRASING_SCORE.scoreSteps) / PHRASING_SCORE.scoreSteps;
/** Words remembered per language, so a stream of new words cannot grow memory without end. */
const MAX_CACHED = 20_000;

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Everything one language knows: its phrasings as stemmed terms, how rare each term is across
 * topics (a word shared by every topic says little), and a fuse.js index over the vocabulary for
 * words typed with a typo, another inflection or as part of a compound.
 */
class LanguageIndex {
  readonly analyzer: TextAnalyzer;
  private readonly phrasings: IndexedPhrasing[] = [];
  /** For each vocabulary word, the phrasings that use it: a query only visits the phrasings it touches. */
  private readonly phrasingsByWord = new Map<string, number[]>();
  private readonly rarity = new Map<string, number>();
  private readonly topicVocabulary = new Map<string, Set<string>>();
  private readonly fuse: Fuse<string>;
  private readonly vocabulary: string[];
  /**
   * The vocabulary by its first letters and by its last ones: a word close to a term (another
   * inflection, a short stem, a compound or its part) shares the term's first three letters or ends
   * with the term or starts or ends a compound the term is; only those words are compared, not all.
   */
  private readonly byFirstLetters = new Map<string, string[]>();
  private readonly byLastLetters = new Map<string, string[]>();
  private readonly vocabularyIds = new Map<string, number>();
  /**
   * The query's best similarity to each vocabulary word, by position, during one score(): zero again
   * after it. Arrays instead of maps on the path every candidate phrasing takes, each read in the
   * same order as before, so the sums are the same to the last bit.
   */
  private readonly similarityById: Float64Array;
  private readonly coveredByPhrasing: Float64Array;
  private readonly expansions = new Map<string, Map<string, number>>();
  /**
   * Each expansion's best similarity in each topic's vocabulary, in topicVocabulary's order: a term's
   * expansion is kept (above), so what it covers of every topic is worked out once, not on every turn.
   */
  private readonly coverageByExpansion = new WeakMap<Map<string, number>, Float64Array>();
  /** Words no vocabulary word is another form of: asked again without near spellings, not rescanned. */
  private readonly withoutCloseForms = new Set<string>();
  readonly maxRarity: number;

  constructor(
    readonly language: string,
    kb: KnowledgeBase,
    private readonly settings: RecognitionSettings,
    stems?: SavedStems,
  ) {
    const pack = kb.pack(language);
    this.analyzer = new TextAnalyzer(pack.profile, kb.synonyms, stems?.of(pack.profile.stemmer));
    const raw: { topicId: string; terms: string[] }[] = [];
    for (const topic of kb.topics(language)) {
      for (const text of [topic.title, topic.menuLabel, ...topic.terms, ...topic.phrasings]) {
        raw.push({ topicId: topic.id, terms: this.analyzer.analyze(text).terms });
      }
    }
    for (const text of pack.outOfScope)
      raw.push({ topicId: OUT_OF_SCOPE, terms: this.analyzer.analyze(text).terms });

    for (const text of pack.vague) raw.push({ topicId: VAGUE, terms: this.analyzer.analyze(text).terms });
    const topicsPerTerm = new Map<string, Set<string>>();
    for (const { topicId, terms } of raw) {
      if (!this.topicVocabulary.has(topicId)) this.topicVocabulary.set(topicId, new Set());
      for (const term of terms) {
        this.topicVocabulary.get(topicId)?.add(term);
        if (!topicsPerTerm.has(term)) topicsPerTerm.set(term, new Set());
        topicsPerTerm.get(term)?.add(topicId);
      }
    }
    const groups = this.topicVocabulary.size;
    for (const [term, topics] of topicsPerTerm) this.rarity.set(term, Math.log(1 + groups / topics.size));
    this.maxRarity = Math.log(1 + groups);
    this.vocabulary = [...topicsPerTerm.keys()];
    const file = (index: Map<string, string[]>, key: string, word: string): void => {
      const list = index.get(key);
      if (list) list.push(word);
      else index.set(key, [word]);
    };
    for (const word of this.vocabulary) {
      if (word.length >= WORD_MATCH.shortStemLetters)
        file(this.byFirstLetters, word.slice(0, WORD_MATCH.shortStemLetters), word);
      if (word.length >= WORD_MATCH.compoundPartLetters)
        file(this.byLastLetters, word.slice(-WORD_MATCH.compoundPartLetters), word);
    }
    this.vocabulary.forEach((word, i) => this.vocabularyIds.set(word, i));
    for (const { topicId, terms } of raw) {
      if (terms.length === 0) continue;
      const index = this.phrasings.length;
      this.phrasings.push({
        topicId,
        terms,
        weight: terms.reduce((s, t) => s + (this.rarity.get(t) ?? 0), 0),
        termIds: Int32Array.from(terms, (t) => this.vocabularyIds.get(t) as number),
        termRarity: Float64Array.from(terms, (t) => this.rarity.get(t) ?? 0),
      });
      for (const term of new Set(terms)) {
        const list = this.phrasingsByWord.get(term);
        if (list) list.push(index);
        else this.phrasingsByWord.set(term, [index]);
      }
    }
    this.similarityById = new Float64Array(this.vocabulary.length);
    this.coveredByPhrasing = new Float64Array(this.phrasings.length);
    this.fuse = new Fuse(this.vocabulary, {
      includeScore: true,
      threshold: settings.fuzzyWordThreshold,
      ignoreLocation: true,
    });
  }

  /**
   * The vocabulary terms a query term may stand for, each with a similarity in 0..1: itself, another
   * inflection (shared stem prefix), a compound part (wachtwoordsynchronisatie), or a near spelling.
   */
  expand(term: string, nearSpellings = true): Map<string, number> {
    const cached = this.expansions.get(term);
    if (cached) return cached;
    const found = new Map<string, number>();
    const offer = (candidate: string, similarity: number): void => {
      if (similarity > (found.get(candidate) ?? 0)) found.set(candidate, similarity);
    };
    if (this.rarity.has(term)) {
      offer(term, 1);
    } else if (!/^\d+$/.test(term) && !this.withoutCloseForms.has(term)) {
      for (const word of this.closeFormCandidates(term)) {
        const shorter = Math.min(word.length, term.length);
        const prefix = commonPrefixLength(word, term);
        const m = WORD_MATCH;
        if (
          prefix >= m.sharedPrefixLetters &&
          prefix >= m.sharedPrefixShare * Math.max(word.length, term.length)
        )
          offer(word, m.sharedPrefixSimilarity);
        // A short stem and its inflection: "tel" / "tell" (tellen), "sync" / "syncs".
        else if (
          shorter >= m.shortStemLetters &&
          prefix === shorter &&
          Math.abs(word.length - term.length) <= m.shortStemExtraLetters
        )
          offer(word, m.shortStemSimilarity);
        else if (
          shorter >= m.compoundPartLetters &&
          term.length >= word.length + m.compoundExtraLetters &&
          (term.startsWith(word) || term.endsWith(word))
        ) {
          offer(word, m.compoundOfKnownSimilarity);
        } else if (
          shorter >= m.compoundPartLetters &&
          word.length >= term.length + m.compoundExtraLetters &&
          (word.startsWith(term) || word.endsWith(term))
        ) {
          offer(word, m.partOfKnownSimilarity);
        }
      }
    }
    if (found.size === 0 && !this.rarity.has(term) && !/^\d+$/.test(term)) {
      if (!nearSpellings) {
        // Cached apart: a later turn in this language may still look for near spellings.
        if (this.withoutCloseForms.size < MAX_CACHED) this.withoutCloseForms.add(term);
        return found;
      }
      if (term.length >= this.settings.fuzzyMinLength) {
        for (const hit of this.fuse.search(term, { limit: WORD_MATCH.nearSpellings }))
          offer(hit.item, Math.min(WORD_MATCH.nearSpellingMaxSimilarity, 1 - (hit.score ?? 1)));
      }
    }
    if (this.expansions.size < MAX_CACHED) this.expansions.set(term, found);
    return found;
  }

  /**
   * Every vocabulary word that may be a close form of `term` under WORD_MATCH: those sharing its first
   * letters (inflections, short stems, a compound starting with the term or the term starting with a
   * word), those ending with its last letters (a compound ending with the term), and the words the term
   * ends with (the term a compound ending with a known word). A word may come twice; offering it twice
   * changes nothing.
   */
  private closeFormCandidates(term: string): string[] {
    const m = WORD_MATCH;
    if (term.length < m.shortStemLetters) return [];
    const candidates = [...(this.byFirstLetters.get(term.slice(0, m.shortStemLetters)) ?? [])];
    if (term.length >= m.compoundPartLetters)
      candidates.push(...(this.byLastLetters.get(term.slice(-m.compoundPartLetters)) ?? []));
    for (let length = m.compoundPartLetters; length <= term.length - m.compoundExtraLetters; length++) {
      const ending = term.slice(term.length - length);
      if (this.rarity.has(ending)) candidates.push(ending);
    }
    return candidates;
  }

  /** How much this term tells: the rarity of what it matches, or the weight of an unknown word. */
  private termWeight(term: string, expansion: Map<string, number>): number {
    // Small numbers ("1", "26") say nothing about the topic; the entity extractor reads them.
    if (/^\d{1,2}$/.test(term)) return 0;
    if (expansion.size === 0)
      return /^\d+$/.test(term) ? 0 : this.settings.unknownWordWeight * this.maxRarity;
    let best = 0;
    for (const [word, similarity] of expansion)
      best = Math.max(best, similarity * (this.rarity.get(word) ?? 0));
    return best;
  }

  private coverageOf(expansion: Map<string, number>): Float64Array {
    let coverage = this.coverageByExpansion.get(expansion);
    if (coverage) return coverage;
    coverage = new Float64Array(this.topicVocabulary.size);
    let t = 0;
    // An expansion has a handful of words, a topic's vocabulary hundreds: look the few up in the many.
    for (const vocabulary of this.topicVocabulary.values()) {
      let best = 0;
      for (const [word, similarity] of expansion)
        if (similarity > best && vocabulary.has(word)) best = similarity;
      coverage[t++] = best;
    }
    this.coverageByExpansion.set(expansion, coverage);
    return coverage;
  }

  /** Scores every topic (and the out-of-scope group) for the query terms. */
  score(terms: string[], nearSpellings = true): { scores: Map<string, number>; coverage: number } {
    const expansions = terms.map((t) => this.expand(t, nearSpellings));
    const weights = terms.map((t, i) => this.termWeight(t, expansions[i] as Map<string, number>));
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    const scores = new Map<string, number>();
    if (totalWeight === 0) return { scores, coverage: 0 };

    // How much of the query the whole vocabulary of each topic covers.
    const coverages = expansions.map((e) => this.coverageOf(e));
    const topicCoverage = new Map<string, number>();
    let t = 0;
    for (const topicId of this.topicVocabulary.keys()) {
      let covered = 0;
      coverages.forEach((c, i) => (covered += (weights[i] as number) * (c[t] as number)));
      topicCoverage.set(topicId, covered / totalWeight);
      t++;
    }
    // The best single phrasing: how much of the query it covers and how much of it the query covers.
    // Only phrasings sharing a word with the query can score; they are found through the word index.
    const covered = this.coveredByPhrasing;
    const similarityById = this.similarityById;
    /** Phrasings with any coverage, in the order they were first reached. */
    const reached: number[] = [];
    const similarWords: number[] = [];
    expansions.forEach((expansion, i) => {
      const bestForTerm = new Map<number, number>();
      for (const [word, similarity] of expansion) {
        const id = this.vocabularyIds.get(word);
        if (id !== undefined && similarity > (similarityById[id] as number)) {
          if (similarityById[id] === 0) similarWords.push(id);
          similarityById[id] = similarity;
        }
        for (const p of this.phrasingsByWord.get(word) ?? [])
          if (similarity > (bestForTerm.get(p) ?? 0)) bestForTerm.set(p, similarity);
      }
      for (const [p, similarity] of bestForTerm) {
        if (covered[p] === 0) reached.push(p);
        covered[p] = (covered[p] as number) + (weights[i] as number) * similarity;
      }
    });
    const best = new Map<string, number>();
    for (const p of reached) {
      const phrasing = this.phrasings[p] as IndexedPhrasing;
      let phrasingCovered = 0;
      const { termIds, termRarity } = phrasing;
      for (let k = 0; k < termIds.length; k++)
        phrasingCovered += (similarityById[termIds[k] as number] as number) * (termRarity[k] as number);
      const q = (covered[p] as number) / totalWeight;
      covered[p] = 0;
      const pc = phrasing.weight > 0 ? phrasingCovered / phrasing.weight : 0;
      const score =
        Math.pow(q, PHRASING_SCORE.messageCoveredExponent) *
        Math.pow(pc, PHRASING_SCORE.phrasingCoveredExponent);
      if (score > (best.get(phrasing.topicId) ?? 0)) best.set(phrasing.topicId, score);
    }
    for (const id of similarWords) similarityById[id] = 0;
    for (const [topicId, coverage] of topicCoverage) {
      const score =
        PHRASING_SCORE.bestPhrasingShare * (best.get(topicId) ?? 0) +
        PHRASING_SCORE.vocabularyShare * coverage;
      if (score > 0) scores.set(topicId, score);
    }
    // Share of the query's words that this language knows at all: evidence of the text's language.
    let known = 0;
    expansions.forEach((e, i) => e.size > 0 && (known += weights[i] as number));
    return { scores, coverage: known / totalWeight };
  }
}

/**
 * Recognizes which knowledge-base topic a message is about. Every supported language's index scores
 * the text (so a question does not fail because its words sit in another language's phrasings);
 * each topic keeps its best score.
 */
export class TopicRecognizer {
  private readonly indexes: Map<string, LanguageIndex>;
  private readonly settings: RecognitionSettings;
  /** A topic's menu label or title, folded, in any language: what its buttons and suggested replies send. */
  private readonly labels = new Map<string, string>();
  /** recognition.yaml's telltales: text that names its topic whatever else the message says. */
  private readonly telltales: { pattern: RegExp; topic: string }[];

  /** @param stems stems kept from earlier starts: building the indexes then stems only new words. */
  constructor(
    kb: KnowledgeBase,
    private readonly classifier?: IntentClassifier,
    stems?: SavedStems,
  ) {
    this.settings = kb.recognition;
    this.indexes = new Map(kb.languages.map((l) => [l, new LanguageIndex(l, kb, kb.recognition, stems)]));
    this.telltales = kb.recognition.telltales.map((t) => ({
      pattern: new RegExp(t.pattern, 'iu'),
      topic: t.topic,
    }));
    for (const language of kb.languages)
      for (const topic of kb.topics(language))
        for (const label of [topic.menuLabel, topic.title]) this.labels.set(foldText(label), topic.id);
  }

  analyzer(language: string): TextAnalyzer | undefined {
    return this.indexes.get(language)?.analyzer;
  }

  /**
   * @param factTopics topics whose diagnosis fact the message states (see factTopicsFor in diagnosis.ts)
   * @param language the language the message is read as (the turn's language): its phrasings count
   *   fully, other languages' at `otherLanguageFactor`, so that loan words in another language's
   *   phrasings ("IT", "sync") do not carry a question alone.
   */
  recognize(text: string, language?: string, factTopics: readonly string[] = []): TopicRecognition {
    const recognition = this.decide(this.read(text, language, factTopics));
    // A topic's own label, typed or sent by a suggested reply, is the fast path, as command phrases are;
    // a telltale names its topic as surely ("anna1234@contoso.onmicrosoft.com" is a quarantined UPN).
    const labelled =
      this.labels.get(foldText(text)) ?? this.telltales.find((t) => t.pattern.test(text))?.topic;
    if (!labelled) return recognition;
    const others = recognition.topics.filter((t) => t.id !== labelled);
    return {
      ...recognition,
      decision: 'answer',
      options: [labelled],
      topics: [{ id: labelled, score: 1 }, ...others],
      vague: false,
      outOfScope: false,
    };
  }

  /** The evidence about a message, before any threshold: what decide() weighs. */
  read(text: string, language?: string, factTopics: readonly string[] = []): MessageEvidence {
    const phrasings = new Map<string, number>();
    const languageEvidence: TopicRecognition['languageEvidence'] = [];
    for (const [indexLanguage, index] of this.indexes) {
      const { scores, coverage } = index.score(
        index.analyzer.analyze(text).terms,
        language === undefined || indexLanguage === language,
      );
      languageEvidence.push({ language: indexLanguage, coverage: round(coverage) });
      const factor =
        language === undefined || indexLanguage === language ? 1 : this.settings.otherLanguageFactor;
      for (const [id, raw] of scores) {
        const score = raw * factor;
        if (score > (phrasings.get(id) ?? 0)) phrasings.set(id, score);
      }
    }
    languageEvidence.sort((a, b) => b.coverage - a.coverage);
    const intents = this.classifier?.classify(text, language ?? this.settings.defaultLanguage) ?? [];
    return {
      phrasings,
      intents,
      factTopics,
      words: text.trim().split(/\s+/).filter(Boolean).length,
      languageEvidence,
    };
  }

  /** Weighs the evidence with the given settings (calibration tries others) into a decision. */
  decide(evidence: MessageEvidence, s: RecognitionSettings = this.settings): TopicRecognition {
    const best = new Map(evidence.phrasings);
    let outOfScope = best.get(OUT_OF_SCOPE) ?? 0;
    let vague = best.get(VAGUE) ?? 0;
    best.delete(OUT_OF_SCOPE);
    best.delete(VAGUE);
    const { intents } = evidence;
    if (intents.length > 0) {
      // One score from two readers: the classifier (how users write) and the phrasings (typos, rare words).
      const w = s.understanding.classifierWeight;
      const probability = new Map(intents.map((i) => [i.intent, i.score]));
      for (const id of new Set([...best.keys(), ...intents.map((i) => i.intent)])) {
        if (id === OUT_OF_SCOPE_INTENT || id === VAGUE_INTENT || id.startsWith(COMMAND_PREFIX)) continue;
        best.set(id, w * (probability.get(id) ?? 0) + (1 - w) * (best.get(id) ?? 0));
      }
      outOfScope = w * (probability.get(OUT_OF_SCOPE_INTENT) ?? 0) + (1 - w) * outOfScope;
      vague = w * (probability.get(VAGUE_INTENT) ?? 0) + (1 - w) * vague;
    }
    // A stated fact that a topic's diagnosis reads is evidence for that topic, once words point at it.
    for (const id of evidence.factTopics) {
      const score = best.get(id) ?? 0;
      if (score >= s.clarifyThreshold * PHRASING_SCORE.factBonusFromShareOfClarify)
        best.set(id, score + s.factBonus);
    }
    const topics = [...best]
      .filter(([, score]) => score > PHRASING_SCORE.minListedScore)
      .map(([id, score]) => ({ id, score: round(Math.min(1, score)) }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    const decided =
      intents.length > 0
        ? this.decideWithClassifier(topics, outOfScope, vague, intents, evidence.words, s)
        : this.decideOnPhrasings(topics, outOfScope, vague, s);
    return {
      ...decided,
      topics,
      languageEvidence: evidence.languageEvidence,
      ...(intents.length > 0
        ? { intents: intents.slice(0, 3).map((i) => ({ intent: i.intent, score: round(i.score) })) }
        : {}),
    };
  }

  private decideWithClassifier(
    topics: TopicScore[],
    outOfScope: number,
    vague: number,
    intents: IntentScore[],
    words: number,
    s: RecognitionSettings,
  ): { decision: TopicDecision; options: string[]; vague?: boolean; outOfScope?: boolean } {
    const u = s.understanding;
    const [top] = intents;
    const [first] = topics;
    const probability = (intent: string): number => intents.find((i) => i.intent === intent)?.score ?? 0;
    // A vague message has low topic scores too ("la synchro marche pas"): the out-of-scope phrasings
    // outweighing the topics only mean out of scope when they outweigh "sync is broken" as well.
    if (
      probability(OUT_OF_SCOPE_INTENT) >= u.outOfScopeThreshold ||
      (first && outOfScope >= first.score && outOfScope >= vague)
    )
      return { decision: 'fallback', options: [], outOfScope: true };
    if (
      probability(VAGUE_INTENT) >= u.vagueThreshold ||
      (vague > (first?.score ?? 0) && vague >= s.clarifyThreshold)
    )
      return { decision: 'clarify', options: s.vagueOptions, vague: true };
    // A reply such as "no" or "geen idee" that no question was waiting for is not a topic.
    if (top?.intent.startsWith(COMMAND_PREFIX) && top.score >= u.expectedCommandThreshold)
      return { decision: 'fallback', options: [] };
    const standingOut = this.topicThatStandsOut(topics, intents, words, u);
    const decided = standingOut
      ? { decision: 'answer' as const, options: [standingOut] }
      : this.decideOnPhrasings(topics, 0, 0, s);
    // One or two words answer a topic only when both readers agree on it: "sync" or "nee" never do.
    if (decided.decision === 'answer' && words <= u.shortMessageWords && top?.intent !== first?.id) {
      const options = topics.slice(0, s.maxClarifyOptions).map((t) => t.id);
      return { decision: 'clarify', options };
    }
    return decided;
  }

  /**
   * The topic both readers put first, when it stands out among the topics of a long message that is
   * about sync: there the classifier's probability is shared among the topics the context words touch,
   * so the best topic can score under answerThreshold although nothing comes near it.
   */
  private topicThatStandsOut(
    topics: readonly TopicScore[],
    intents: readonly IntentScore[],
    words: number,
    u: RecognitionSettings['understanding'],
  ): string | undefined {
    const [first] = topics;
    if (!first || words < u.standOutMinWords || first.score < u.standOutMinScore) return undefined;
    const topicIntents = intents.filter(
      (i) => i.intent !== OUT_OF_SCOPE_INTENT && !i.intent.startsWith(COMMAND_PREFIX),
    );
    const inScope = topicIntents.reduce((sum, i) => sum + i.score, 0);
    const [best, next] = topicIntents.filter((i) => i.intent !== VAGUE_INTENT);
    const standsOut =
      best?.intent === first.id &&
      inScope >= u.inScopeProbability &&
      best.score >= u.leadOverNextTopic * (next?.score ?? 0);
    return standsOut ? first.id : undefined;
  }

  private decideOnPhrasings(
    topics: TopicScore[],
    outOfScope: number,
    vague: number,
    s: RecognitionSettings,
  ): { decision: TopicDecision; options: string[]; vague?: boolean } {
    const [first, second] = topics;
    if (vague >= s.answerThreshold && vague > outOfScope && vague >= (first?.score ?? 0)) {
      return { decision: 'clarify', options: s.vagueOptions, vague: true };
    }
    if (!first || first.score < s.clarifyThreshold || outOfScope >= first.score)
      return { decision: 'fallback', options: [] };
    const lead = first.score - (second?.score ?? 0);
    if (first.score >= s.answerThreshold && lead >= s.answerMargin)
      return { decision: 'answer', options: [first.id] };
    const close = topics.filter((t) => first.score - t.score <= s.clarifyWindow);
    const options = (close.length >= 2 ? close : topics.slice(0, 2))
      .slice(0, s.maxClarifyOptions)
      .map((t) => t.id);
    return { decision: 'clarify', options };
  }
}
