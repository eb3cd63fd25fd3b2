import type { Activity, BotState, Middleware, ResourceResponse, TurnContext } from 'botbuilder';
import type { Logger } from '../../infrastructure/logger';
import { isStateConflict } from '../../infrastructure/storage/optimisticState';

const MAX_ATTEMPTS = 3;
const RELEASE = Symbol('releaseHeldReplies');

/**
 * Sends the replies held so far: call it once the turn's state is saved, while the other
 * middleware (the transcript logger) still sees the turn. ConsistentTurns releases anything left
 * when the turn ends.
 */
export async function releaseHeldReplies(context: TurnContext): Promise<void> {
  const release = context.turnState.get(RELEASE) as (() => Promise<void>) | undefined;
  if (release) await release();
}

/**
 * Keeps every turn's state update, however the turns of one conversation arrive:
 * - turns of one conversation on this instance run one after another, never interleaved;
 * - when another instance saved the conversation in the meantime (an eTag conflict), the turn runs
 *   again on the fresh state. Its replies are held until the state is saved, so a turn that is run
 *   again never sends anything twice.
 * Register it before any middleware that reads state.
 */
export class ConsistentTurns implements Middleware {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly states: BotState[],
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const key = `${context.activity.channelId}/${context.activity.conversation?.id}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const turn = previous.then(() => this.runWithRetries(context, next));
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return turn;
  }

  private async runWithRetries(context: TurnContext, next: () => Promise<void>): Promise<void> {
    let held: Partial<Activity>[] = [];
    let holding = true;
    const release = async (): Promise<void> => {
      holding = false;
      const activities = held;
      held = [];
      if (activities.length) await context.sendActivities(activities);
    };
    const keysBefore = new Set(context.turnState.keys());
    context.onSendActivities(async (_ctx, activities, send): Promise<ResourceResponse[]> => {
      if (!holding) return send();
      held.push(...activities);
      return activities.map(() => ({ id: '' }));
    });
    for (let attempt = 1; ; attempt++) {
      context.turnState.set(RELEASE, release);
      try {
        await next();
        break;
      } catch (error) {
        if (!isStateConflict(error) || attempt >= MAX_ATTEMPTS) {
          await release();
          throw error;
        }
        this.logger.info('state changed by another instance; running the turn again', { attempt });
        held = [];
        holding = true;
        // Forget what the failed attempt cached for this turn (state, language, trace sent…).
        for (const key of [...context.turnState.keys()]) {
          if (!keysBefore.has(key)) context.turnState.delete(key);
        }
        for (const state of this.states) await state.load(context, true);
      }
    }
    await release();
  }
}
