import {
  ActivityHandler,
  TurnContext,
  type ConversationState,
  type InvokeResponse,
  type StatePropertyAccessor,
  type UserState,
} from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { turnLanguage, type AssistantServices } from '../../conversation/assistantServices';
import type { MainDialog } from '../../conversation/mainDialog';
import { recognitionTraceSent, sendRecognitionTrace } from '../../conversation/recognitionTrace';
import { toActivity } from '../../conversation/replyActivity';
import { releaseHeldReplies } from './consistentTurns';
import { isAddressedToBot, stripBotMention } from './teamsAddressing';

const SHARED_CONVERSATIONS = new Set(['channel', 'groupChat']);

/**
 * The Bot Framework edge: runs the main dialog on messages, welcomes new members, and saves
 * conversation and user state after every turn. The turn's language is chosen before, by
 * LanguageMiddleware.
 */
export class DirectorySyncBot extends ActivityHandler {
  readonly dialogState: StatePropertyAccessor<DialogState>;

  constructor(
    private readonly services: AssistantServices,
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly dialog: MainDialog,
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');

    this.onMessage(async (context, next) => {
      if (!isAddressedToBot(context.activity)) return next();
      stripBotMention(context.activity);
      await this.dialog.run(context, this.dialogState);
      if (!recognitionTraceSent(context)) {
        await sendRecognitionTrace(context, {
          language: turnLanguage(context),
          decision: 'command',
          command: 'none',
          topics: [],
          entities: [],
        });
      }
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id === context.activity.recipient?.id) continue;
        const welcome = toActivity(
          this.services.replies.welcome(turnLanguage(context)),
          context.activity.channelId,
        );
        // Teams shows suggested actions in personal chat only; in a team or group chat the card suffices.
        if (SHARED_CONVERSATIONS.has(context.activity.conversation?.conversationType ?? ''))
          delete welcome.suggestedActions;
        await context.sendActivity(welcome);
      }
      await next();
    });
  }

  /**
   * The bot's cards send messages (Action.Submit); it offers no Action.Execute, search or task
   * module, so an invoke is a request it cannot take: a 400 with the reason, not the SDK's 501.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const name = typeof context.activity.name === 'string' ? context.activity.name.slice(0, 64) : '';
    return { status: 400, body: { error: `invoke "${name}" is not supported by this bot` } };
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
    await releaseHeldReplies(context);
  }
}
