import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../../infrastructure/logger';

const WINDOW_SECONDS = 60;

/**
 * Caps how many messages one user may send in one conversation per minute (MESSAGE_RATE_LIMIT).
 * A person never comes near it; a script or a stuck client does, and each turn costs the recognizers
 * real time on a process every conversation shares. The first message over the cap gets one line
 * saying so; the rest of that minute is dropped unanswered. Registered before the turn queue, so a
 * flood never queues up. Counted per instance (memory): with several instances the cap is per
 * instance.
 */
export class MessageRateLimit implements Middleware {
  private readonly limiter: RateLimiterMemory;

  constructor(
    private readonly messagesPerMinute: number,
    private readonly notice: (context: TurnContext) => Promise<void>,
    private readonly logger: Logger,
  ) {
    this.limiter = new RateLimiterMemory({ points: messagesPerMinute, duration: WINDOW_SECONDS });
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type !== ActivityTypes.Message) return next();
    const key = `${activity.channelId}/${activity.conversation?.id}/${activity.from?.id}`;
    try {
      await this.limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      if (rejection.consumedPoints === this.messagesPerMinute + 1) {
        this.logger.warn('message rate limit reached', {
          channel: activity.channelId,
          perMinute: this.messagesPerMinute,
        });
        await this.notice(context);
      }
      return;
    }
    await next();
  }
}
