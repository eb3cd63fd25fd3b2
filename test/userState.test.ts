import { MemoryStorage } from 'botbuilder';
import { createAssistant } from '../src/app';
import { silentLogger } from '../src/infrastructure/logger';
import { cardsDir, HELPDESK, knowledgeDir } from './support/assistant';
import { BotPipeline } from './support/botPipeline';
import { messagesOf, traceOf } from './support/botReplies';
import { knowledgeString } from './support/knowledgeStrings';

/**
 * The user's language choice is user state, saved by DirectorySyncBot.run itself (the dialog tests'
 * harness saves state on its own, so only the production pipeline shows that the bot saves it).
 */
describe('user state through the production pipeline', () => {
  const instance = (storage: MemoryStorage) =>
    new BotPipeline(
      createAssistant({ knowledgeDir, cardsDir, helpdeskContact: HELPDESK }, silentLogger, { storage }),
    );

  it('keeps a chosen language across turns, in a new conversation, and after a restart on the same storage', async () => {
    const storage = new MemoryStorage();
    const first = instance(storage);
    const switched = await first.conversation('conversation-1', 'user-a').say('en français');
    expect(messagesOf(switched)[0]?.text).toBe(knowledgeString('fr', 'language.switched'));
    expect(
      traceOf(await first.conversation('conversation-1', 'user-a').say('the sync has stopped'))?.language,
    ).toBe('fr');

    // A new conversation of the same user, from an English client, with an English message.
    const later = await first.conversation('conversation-2', 'user-a').say('the sync has stopped');
    expect(traceOf(later)?.language).toBe('fr');

    // Another instance (a restart, or a second instance) reads it from the storage.
    const restarted = instance(storage);
    const afterRestart = await restarted.conversation('conversation-3', 'user-a').say('the sync has stopped');
    expect(traceOf(afterRestart)?.language).toBe('fr');

    // It is that user's choice only.
    const other = await restarted.conversation('conversation-4', 'user-b').say('the sync has stopped');
    expect(traceOf(other)?.language).toBe('en');

    const stored = await storage.read(['emulator/users/user-a/']);
    expect(stored['emulator/users/user-a/']).toMatchObject({
      languagePreference: { language: 'fr', explicit: true },
    });
  });
});
