import { TestAdapter, type Activity } from 'botbuilder';
import type { Assistant } from '../../src/app';
import { createTurnErrorHandler } from '../../src/channels/botframework/turnErrorHandler';
import { silentLogger, type Logger } from '../../src/infrastructure/logger';
import { freshAssistant } from './assistant';

type Reply = Partial<Activity>;

/**
 * The whole bot in-process, wired as createHttpServer wires it: every middleware of the assistant,
 * DirectorySyncBot.run (which saves conversation and user state itself) and the production
 * onTurnError. Only the HTTP layer is left out, so the tests see what a channel would receive.
 */
export class BotPipeline {
  readonly adapter: TestAdapter;

  constructor(
    readonly assistant: Assistant = freshAssistant(),
    channelId = 'emulator',
    logger: Logger = silentLogger,
  ) {
    this.adapter = new TestAdapter((context) => assistant.bot.run(context), { channelId });
    // The recognition trace is part of what the tests check; TestAdapter drops traces unless told not to.
    this.adapter.enableTrace = true;
    for (const middleware of assistant.middleware) this.adapter.use(middleware);
    this.adapter.onTurnError = createTurnErrorHandler(
      assistant.conversationState,
      assistant.bot.dialogState,
      assistant.services.replies,
      logger,
    );
  }

  /** Sends one activity and returns everything the bot sent back in that turn. */
  async send(activity: Partial<Activity>): Promise<Reply[]> {
    await this.adapter.processActivity({ type: 'message', locale: 'en-US', ...activity });
    return this.adapter.activeQueue.splice(0);
  }

  /** One user in one conversation, as a channel addresses them. */
  conversation(conversationId: string, userId: string, locale = 'en-US') {
    const base = {
      from: { id: userId, name: 'Pat' },
      conversation: { id: conversationId } as Activity['conversation'],
      locale,
    };
    return {
      say: (text: string, extra: Partial<Activity> = {}) => this.send({ ...base, text, ...extra }),
      submit: (value: Record<string, unknown>, extra: Partial<Activity> = {}) =>
        this.send({ ...base, value, ...extra }),
    };
  }
}
