import { diagnose, factFrom, type Fact } from '../domain/diagnosis/diagnosis';
import type { Entity } from '../domain/entities/entityExtractor';
import { namedSyncError } from '../domain/entities/syncErrors';
import { combineConclusions } from '../domain/diagnosis/tenantFindings';
import type { Conclusion } from '../domain/diagnosis/diagnosis';
import type { LiveCheckView, Reply } from '../domain/replies/replyBuilder';
import type { TurnContext } from 'botbuilder';
import type { Topic } from '../domain/knowledge/knowledgeBase';
import { type AssistantServices, turnLanguage } from './assistantServices';
import { toActivity } from './replyActivity';

export interface TopicAnswer {
  reply: Reply;
  /** The topic's advice depends on a fact the message did not give: ask for it. */
  missingFact: boolean;
  /** What the message's fact or named error means, when it said one. */
  conclusion?: Conclusion;
}

/**
 * The answer to a topic for this message: its guidance, led by what the message's facts mean
 * (a named sync error explained, or a diagnosis rule applied to a duration or count).
 */
export function answerTopic(
  services: AssistantServices,
  topicId: string,
  language: string,
  entities: Entity[],
  givenFact?: Fact,
  live?: { view: LiveCheckView; conclusions: Conclusion[] },
): TopicAnswer | undefined {
  const { kb, replies } = services;
  const topic = kb.topic(topicId, language);
  if (!topic) return undefined;
  const locale = kb.pack(language).profile.learnLocale;
  const diagnosis = kb.definition(topicId)?.diagnosis;
  const error = namedSyncError(kb, entities);
  let conclusion: Conclusion | undefined;
  let missingFact = false;
  if (error && error.topicId === topicId) {
    const text = kb.syncError(error.code, language);
    if (text)
      conclusion = {
        text: `${error.code}: ${text.meaning} ${text.cause} ${text.fix}`,
        severity: 'attention',
      };
  } else if (diagnosis) {
    const fact = givenFact ?? factFrom(diagnosis, entities);
    if (fact) {
      const l = replies.localizer(language);
      conclusion = diagnose(topic, diagnosis, fact, locale, (said, amount) =>
        l.t('fact.approximately', { said, amount }),
      );
    } else missingFact = diagnosis.options.length > 0;
  }
  const reply = replies.answer(
    error?.link && error.topicId === topicId
      ? withLink(topic, error.code, error.link.replace('{locale}', locale))
      : topic,
    language,
    live ? combineConclusions([...live.conclusions, conclusion]) : conclusion,
    live?.view,
  );
  return { reply, missingFact, ...(conclusion ? { conclusion } : {}) };
}

function withLink<T extends { links: { title: string; url: string }[] }>(
  topic: T,
  title: string,
  url: string,
): T {
  return { ...topic, links: [{ title, url }, ...topic.links] };
}

/** The answer card is already above: send what the fact means and where to start, not the card again. */
export async function sendWhatTheFactMeans(
  services: AssistantServices,
  context: TurnContext,
  topic: Topic,
  answer: TopicAnswer,
): Promise<void> {
  const language = turnLanguage(context);
  const reply = answer.conclusion
    ? services.replies.conclusion(topic, answer.conclusion, language)
    : answer.reply;
  await context.sendActivity(toActivity(reply, context.activity.channelId));
}
