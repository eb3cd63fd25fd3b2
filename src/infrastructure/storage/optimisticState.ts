import {
  calculateChangeHash,
  ConversationState,
  UserState,
  type Storage,
  type TurnContext,
} from 'botbuilder';

/**
 * BotState.saveChanges writes with eTag "*": when two instances handle the same conversation at
 * once, the last write silently wins. These subclasses write with the eTag the state was read
 * with, so the storage refuses a stale write (an eTag conflict) instead of losing an update; the
 * ConsistentTurns middleware then runs the turn again on the fresh state.
 */
interface CachedState {
  state: Record<string, unknown> & { eTag?: string };
  hash: string;
}

// BotState keeps its turn cache under a private symbol; finding it by shape keeps us off its name.
function cachedState(context: TurnContext, owner: object): CachedState | undefined {
  const key = (owner as Record<string, unknown>).stateKey;
  return typeof key === 'symbol' ? (context.turnState.get(key) as CachedState | undefined) : undefined;
}

async function saveWithETag(
  owner: object,
  context: TurnContext,
  force: boolean,
  storage: Storage,
  key: () => string | Promise<string>,
  fallback: () => Promise<void>,
): Promise<void> {
  const cached = cachedState(context, owner);
  const eTag = cached?.state.eTag;
  // New state (no eTag yet) or already written this turn: the SDK's own save.
  if (!cached || !eTag || eTag === '*') return fallback();
  if (!force && cached.hash === calculateChangeHash(cached.state)) return;
  await storage.write({ [await key()]: cached.state });
  // The storage does not return the new eTag: a second save in this same turn (the error
  // handler's) may overwrite only what this turn itself just wrote.
  cached.state.eTag = '*';
  cached.hash = calculateChangeHash(cached.state);
}

export class OptimisticConversationState extends ConversationState {
  override saveChanges(context: TurnContext, force = false): Promise<void> {
    return saveWithETag(
      this,
      context,
      force,
      this.storage,
      () => this.storageKey(context),
      () => super.saveChanges(context, force),
    );
  }
}

export class OptimisticUserState extends UserState {
  override saveChanges(context: TurnContext, force = false): Promise<void> {
    return saveWithETag(
      this,
      context,
      force,
      this.storage,
      () => this.storageKey(context),
      () => super.saveChanges(context, force),
    );
  }
}

/** True when a storage refused a write because the item changed since it was read. */
export function isStateConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { statusCode?: unknown }).statusCode ?? (error as { code?: unknown }).code;
  return status === 412 || /eTag conflict|precondition/i.test(error.message);
}
