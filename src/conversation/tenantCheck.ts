import type { TurnContext } from 'botbuilder';
import { factFrom } from '../domain/diagnosis/diagnosis';
import { tenantFindings } from '../domain/diagnosis/tenantFindings';
import type { Entity } from '../domain/entities/entityExtractor';
import type { LiveCheckView } from '../domain/replies/replyBuilder';
import {
  isEntraObjectId,
  type AccountSyncStatus,
  type SyncStatusSource,
  type TenantSyncStatus,
} from '../domain/syncStatus/syncStatus';
import type { AssistantServices, TenantCheckService } from './assistantServices';
import { answerTopic, type TopicAnswer } from './topicAnswer';

const FRESH_CHECK = Symbol('freshTenantCheck');

/** "Check the tenant now": this turn's measurement skips the cache. */
export function requestFreshTenantCheck(context: TurnContext): void {
  context.turnState.set(FRESH_CHECK, true);
}

/**
 * The topic's answer, with what the tenant says now when the topic has a `tenantCheck` and the
 * check is on: measured facts feed the diagnosis, the card says where each fact came from, and a
 * failed or slow Graph costs one line, never the answer.
 */
export async function answerWithTenantCheck(
  services: AssistantServices,
  context: TurnContext,
  topicId: string,
  language: string,
  entities: Entity[],
): Promise<TopicAnswer | undefined> {
  const live = services.tenantCheck;
  const definition = services.kb.definition(topicId);
  const check = definition?.tenantCheck;
  if (!live || !check) return answerTopic(services, topicId, language, entities);

  const asker = verifiedAskerId(context, live);
  const fresh = context.turnState.get(FRESH_CHECK) === true;
  const measurement = await withinTime(
    measure(live.source, fresh, check.ownAccount ? asker : undefined, asker),
    live.timeoutMs,
  );
  if (!measurement) {
    services.logger.debug('tenant check unavailable', { topicId });
    return answerTopic(services, topicId, language, entities, undefined, {
      view: { rows: [], unavailable: true, offerCheck: true },
      conclusions: [],
    });
  }
  const diagnosis = definition.diagnosis;
  const statedFact = diagnosis ? factFrom(diagnosis, entities) : undefined;
  const l = services.replies.localizer(language);
  const findings = tenantFindings({
    check,
    tenant: measurement.tenant,
    ...(measurement.account ? { account: measurement.account } : {}),
    details: measurement.details,
    ...(statedFact ? { statedFact } : {}),
    now: new Date(),
    locale: services.kb.pack(language).profile.learnLocale,
    t: (key, values) => l.t(key, values),
  });
  const view: LiveCheckView = { rows: findings.rows, unavailable: false, offerCheck: true };
  return answerTopic(services, topicId, language, entities, findings.measuredFact, {
    view,
    conclusions: findings.conclusions,
  });
}

/** The asker's Entra object id, only when the channel proved it: Teams, behind Bot Framework authentication. */
function verifiedAskerId(context: TurnContext, live: TenantCheckService): string | undefined {
  const { activity } = context;
  const id = (activity.from as { aadObjectId?: unknown } | undefined)?.aadObjectId;
  return live.verifiedIdentity && activity.channelId === 'msteams' && isEntraObjectId(id) ? id : undefined;
}

interface Measurement {
  tenant: TenantSyncStatus;
  account?: AccountSyncStatus;
  details: boolean;
}

/** The tenant is required; the asker's account and group membership only add to it when they answer. */
async function measure(
  source: SyncStatusSource,
  fresh: boolean,
  accountId: string | undefined,
  askerId: string | undefined,
): Promise<Measurement> {
  const [tenant, account, details] = await Promise.all([
    source.tenant({ fresh }),
    accountId ? source.account(accountId).catch(() => undefined) : undefined,
    askerId ? source.mayViewDetails(askerId).catch(() => false) : false,
  ]);
  return { tenant, ...(account ? { account } : {}), details };
}

/** The value, or undefined when it fails or takes longer than `ms`. */
async function withinTime<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
