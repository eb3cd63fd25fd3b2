import { chooseLanguage } from '../src/language/languagePolicy';
import { testAssistant } from './support/assistant';
import { DialogConversation } from './support/dialogClient';
import { messagesOf, traceOf } from './support/botReplies';

const supported = ['en', 'nl', 'de', 'fr', 'es'];
const guess = (language: string, share: number, words: number) => ({ language, share, words });

describe('language policy', () => {
  it('uses the locale when the text says nothing', () => {
    expect(
      chooseLanguage({ locale: 'nl-NL', guesses: [], preference: {}, supported, defaultLanguage: 'en' }),
    ).toMatchObject({ language: 'nl', reason: 'locale' });
  });
  it('lets a message clearly in another supported language override the locale', () => {
    const guesses = [guess('nl', 1, 4), guess('en', 0.25, 1)];
    expect(
      chooseLanguage({ locale: 'en-US', guesses, preference: {}, supported, defaultLanguage: 'en' }),
    ).toMatchObject({ language: 'nl', reason: 'text' });
  });
  it('keeps the remembered language for a short reply', () => {
    const guesses = [guess('en', 1, 1)];
    expect(
      chooseLanguage({
        locale: 'en-US',
        guesses,
        preference: { language: 'nl' },
        supported,
        defaultLanguage: 'en',
      }),
    ).toMatchObject({ language: 'nl', reason: 'remembered' });
  });
  it('never overrides an explicit choice', () => {
    const guesses = [guess('nl', 1, 5)];
    expect(
      chooseLanguage({
        locale: 'nl-NL',
        guesses,
        preference: { language: 'en', explicit: true },
        supported,
        defaultLanguage: 'en',
      }),
    ).toMatchObject({ language: 'en', reason: 'explicit' });
  });
  it('answers an unsupported locale in the default language and says which was asked for', () => {
    expect(
      chooseLanguage({ locale: 'it-IT', guesses: [], preference: {}, supported, defaultLanguage: 'en' }),
    ).toEqual({ language: 'en', reason: 'default', unsupported: 'it' });
  });
});

describe('language detection on short questions', () => {
  const cases: [string, string][] = [
    ['de synchronisatie is gestopt', 'nl'],
    ['sync werkt niet', 'nl'],
    ['wachtwoord wordt niet gesynchroniseerd', 'nl'],
    ['sync has stopped', 'en'],
    ['password not syncing to the cloud', 'en'],
  ];
  it.each(cases)('"%s" reads as %s', async (text, language) => {
    const talk = new DialogConversation('en-US', testAssistant());
    const replies = await talk.say(text, 'en-US');
    expect(traceOf(replies)?.language).toBe(language);
  });
});

describe('language through a conversation', () => {
  it('sticks to Dutch across "ok" and switches only when asked', async () => {
    const talk = new DialogConversation('en-US');
    expect(traceOf(await talk.say('de synchronisatie draait al twee dagen niet'))?.language).toBe('nl');
    expect(traceOf(await talk.say('ok'))?.language).toBe('nl');
    const switched = await talk.say('answer in English');
    expect(traceOf(switched)?.language).toBe('en');
    expect(messagesOf(switched)[0]?.text).toBe(
      talk.assistant.services.replies.say('en', 'language.switched').text,
    );
    expect(traceOf(await talk.say('wachtwoorden worden niet gesynchroniseerd'))?.language).toBe('en');
  });

  it('says once that an unsupported language gets English', async () => {
    const talk = new DialogConversation('it-IT');
    const notice = talk.assistant.services.replies.say('en', 'language.unsupported').text;
    const first = await talk.say('la sincronizzazione delle password non funziona');
    expect(messagesOf(first).map((m) => m.text)).toContain(notice);
    expect(traceOf(first)?.language).toBe('en');
    const second = await talk.say('il servizio di sincronizzazione è fermo da ieri');
    expect(messagesOf(second).map((m) => m.text)).not.toContain(notice);
    expect(traceOf(second)?.language).toBe('en');
  });
});
