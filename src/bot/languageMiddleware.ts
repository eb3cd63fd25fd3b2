import type { Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { setTurnLanguage, type AssistantServices } from '../dialogs/assistantServices';
import { toActivity } from '../dialogs/replyActivity';
import { readSubmission } from '../dialogs/submissions';
import type { LanguageDetector } from '../language/languageDetector';
import { chooseLanguage } from '../language/languagePolicy';
import { isAddressedToBot, stripBotMention } from './teamsAddressing';

export interface LanguageNotice {
  unsupportedLanguageNoticeGiven?: boolean;
}

/**
 * Chooses each turn's reply language before the bot runs (see languagePolicy.ts), remembers it for
 * the conversation, and says once when the user's language is not one the bot speaks.
 */
export class LanguageMiddleware implements Middleware {
  constructor(
    private readonly services: AssistantServices,
    private readonly detector: LanguageDetector,
    private readonly notice: StatePropertyAccessor<LanguageNotice>,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type === 'message') {
      if (!isAddressedToBot(context.activity)) return next();
      stripBotMention(context.activity);
    }
    const { kb, languagePreference } = this.services;
    const preference = await languagePreference.get(context, {});
    const submission = readSubmission(context.activity.value);
    const text = submission?.action === 'ask' ? submission.text : (context.activity.text ?? '');
    const choice = chooseLanguage({
      locale: context.activity.locale,
      guesses: this.detector.rank(text),
      preference,
      supported: kb.languages,
      defaultLanguage: kb.defaultLanguage,
    });
    setTurnLanguage(context, choice.language);
    if (!preference.explicit && preference.language !== choice.language && choice.reason !== 'default') {
      await languagePreference.set(context, { language: choice.language });
    }
    if (choice.unsupported && context.activity.type === 'message') {
      const notice = await this.notice.get(context, {});
      if (!notice.unsupportedLanguageNoticeGiven) {
        notice.unsupportedLanguageNoticeGiven = true;
        await context.sendActivity(
          toActivity(
            this.services.replies.say(choice.language, 'language.unsupported'),
            context.activity.channelId,
          ),
        );
      }
    }
    await next();
  }
}
