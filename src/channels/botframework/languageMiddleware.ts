import type { Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import {
  setPastedPassage,
  setTurnLanguage,
  type AssistantServices,
} from '../../conversation/assistantServices';
import { toActivity } from '../../conversation/replyActivity';
import { readSubmission } from '../../domain/cards/submissions';
import { quotedProse, type LanguageDetector } from '../../domain/language/languageDetector';
import { unsupportedLanguageOf } from '../../domain/language/foreignLanguage';
import { chooseLanguage } from '../../domain/language/languagePolicy';
import { isAddressedToBot, stripBotMention } from './teamsAddressing';

/** What one conversation remembers about its language (conversation state). */
export interface ConversationLanguage {
  /** The language this conversation has been answered in: short replies ("ok", "ja") keep it. */
  language?: string;
  unsupportedLanguageNoticeGiven?: boolean;
}

/**
 * Chooses each turn's reply language before the bot runs (see languagePolicy.ts). An explicit
 * choice ("answer in English") is the user's preference and follows them (user state); a language
 * read from the text or the locale is remembered for this conversation only (conversation state),
 * so a new conversation starts from its own locale. Says once when the user's language is not one
 * the bot speaks.
 */
export class LanguageMiddleware implements Middleware {
  constructor(
    private readonly services: AssistantServices,
    private readonly detector: LanguageDetector,
    private readonly conversationLanguage: StatePropertyAccessor<ConversationLanguage>,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type === 'message') {
      if (!isAddressedToBot(context.activity)) return next();
      stripBotMention(context.activity);
    }
    const { kb, languagePreference } = this.services;
    const userChoice = await languagePreference.get(context, {});
    const conversation = await this.conversationLanguage.get(context, {});
    const submission = readSubmission(context.activity.value);
    const text = submission?.action === 'ask' ? submission.text : (context.activity.text ?? '');
    const guesses = this.detector.rank(text);
    const choice = chooseLanguage({
      locale: context.activity.locale,
      guesses,
      ...(submission ? {} : { unsupportedTextLanguage: unsupportedLanguageOf(text, guesses, kb.languages) }),
      preference: userChoice.explicit ? userChoice : { language: conversation.language },
      supported: kb.languages,
      defaultLanguage: kb.defaultLanguage,
    });
    setTurnLanguage(context, choice.language, choice.reading);
    // An alert pasted in quotes in another language than the user's words: read in its own as well.
    const passage = quotedProse(text).join('\n');
    const passageLanguage = passage ? this.detector.rank(passage)[0] : undefined;
    if (
      passageLanguage &&
      passageLanguage.share > 0 &&
      passageLanguage.language !== (choice.reading ?? choice.language)
    )
      setPastedPassage(context, { text: passage, language: passageLanguage.language });
    if (choice.reason !== 'default') conversation.language = choice.language;
    if (
      choice.unsupported &&
      context.activity.type === 'message' &&
      !conversation.unsupportedLanguageNoticeGiven
    ) {
      conversation.unsupportedLanguageNoticeGiven = true;
      await context.sendActivity(
        toActivity(
          this.services.replies.unsupportedLanguage(choice.language, choice.unsupported),
          context.activity.channelId,
        ),
      );
    }
    await next();
  }
}
