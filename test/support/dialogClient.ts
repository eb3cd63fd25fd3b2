import { randomUUID } from 'node:crypto';
import { AutoSaveStateMiddleware, type Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import type { Assistant } from '../../src/app';
import { freshAssistant } from './assistant';

type Reply = Partial<Activity>;

/**
 * The main dialog under botbuilder-testing's DialogTestClient, with the same language middleware
 * the server uses and state saved after each turn.
 */
export class DialogConversation {
  readonly assistant: Assistant;
  private readonly client: DialogTestClient;
  private readonly userId = `user-${randomUUID()}`;
  private readonly conversationId = `conversation-${randomUUID()}`;

  constructor(
    private readonly locale = 'en-US',
    assistant: Assistant = freshAssistant(),
  ) {
    this.assistant = assistant;
    this.client = new DialogTestClient(
      'emulator',
      assistant.mainDialog,
      undefined,
      [...assistant.middleware, new AutoSaveStateMiddleware(assistant.userState)],
      assistant.conversationState,
    );
    // The recognition trace is part of what the tests check; TestAdapter drops traces unless told not to.
    (this.client as unknown as { _testAdapter: { enableTrace: boolean } })._testAdapter.enableTrace = true;
  }

  /** Sends a message and returns everything the bot replied in that turn. */
  /** `extra` adds activity fields a channel sends, such as the sender's localTimestamp. */
  async say(text: string, locale = this.locale, extra: Partial<Activity> = {}): Promise<Reply[]> {
    return this.send({ ...extra, type: 'message', text, locale });
  }

  async submit(value: Record<string, unknown>, locale = this.locale): Promise<Reply[]> {
    return this.send({ type: 'message', value, locale });
  }

  private async send(activity: Partial<Activity>): Promise<Reply[]> {
    // Each conversation has its own user and id, so no state (the language above all) leaks between tests.
    activity.from = { id: this.userId, name: 'User' };
    activity.conversation = { id: this.conversationId } as Activity['conversation'];
    const first = (await this.client.sendActivity(activity)) as Reply | undefined;
    const replies: Reply[] = first ? [first] : [];
    for (
      let next = this.client.getNextReply() as Reply | undefined;
      next;
      next = this.client.getNextReply() as Reply | undefined
    ) {
      replies.push(next);
    }
    return replies;
  }

  get dialogStatus(): string {
    return this.client.dialogTurnResult?.status ?? 'none';
  }
}
