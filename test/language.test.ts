import fs from 'node:fs';
import path from 'node:path';
import { unsupportedLanguageOf } from '../src/domain/language/foreignLanguage';
import { chooseLanguage } from '../src/domain/language/languagePolicy';
import { testAssistant } from './support/assistant';
import { DialogConversation } from './support/dialogClient';
import { cardsOf, messagesOf, openUrlsOf, stringsOf, submitActionsOf, traceOf } from './support/botReplies';
import { knowledgeString } from './support/knowledgeStrings';

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
  it('lets one word that only one language has decide a first message, but not a later one', () => {
    const guesses = [guess('es', 1, 1), guess('en', 0, 0)];
    const input = { locale: 'en-US', guesses, supported, defaultLanguage: 'en' };
    expect(chooseLanguage({ ...input, preference: {} })).toMatchObject({ language: 'es', reason: 'text' });
    expect(chooseLanguage({ ...input, preference: { language: 'nl' } })).toMatchObject({
      language: 'nl',
      reason: 'remembered',
    });
    // One word that two languages share proves nothing.
    const shared = [guess('nl', 1, 1), guess('de', 1, 1)];
    expect(chooseLanguage({ ...input, guesses: shared, preference: {} })).toMatchObject({
      language: 'en',
      reason: 'locale',
    });
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
    ).toMatchObject({ language: 'en', reason: 'explicit', reading: 'nl' });
  });
  it('reads a message in the reply language unless it is clearly written in another', () => {
    const input = { locale: 'nl-NL', supported, defaultLanguage: 'en' };
    const explicit = { language: 'en', explicit: true };
    expect(
      chooseLanguage({ ...input, guesses: [guess('en', 1, 4)], preference: explicit }),
    ).not.toHaveProperty('reading');
    expect(
      chooseLanguage({ ...input, guesses: [guess('nl', 1, 1)], preference: explicit }),
    ).not.toHaveProperty('reading');
  });
  it('answers an unsupported locale in the default language and says which was asked for', () => {
    expect(
      chooseLanguage({ locale: 'it-IT', guesses: [], preference: {}, supported, defaultLanguage: 'en' }),
    ).toEqual({ language: 'en', reason: 'default', unsupported: 'it' });
  });
});

describe('messages in a language the bot does not speak', () => {
  const { kb, languageDetector: detector } = testAssistant();
  const foreign = (text: string) => unsupportedLanguageOf(text, detector.rank(text), kb.languages);

  it.each([
    ['a sincronização do diretório parou desde ontem', 'pt'],
    ['ho cambiato la password ma Outlook chiede ancora quella vecchia', 'it'],
    ['synchronizacja katalogu nie działa od wczoraj', 'pl'],
    ['jag bytte lösenord men Teams vill fortfarande ha det gamla', 'sv'],
    ['şifremi değiştirdim ama Teams hala eskisini istiyor', 'tr'],
  ])('names the language of "%s" (%s)', (text, language) => {
    expect(foreign(text)).toBe(language);
  });

  it('never takes a labeled message in a supported language for another language', () => {
    const lines = ['eval.tsv', 'regression.tsv'].flatMap((file) =>
      fs
        .readFileSync(path.join(__dirname, 'utterances', file), 'utf8')
        .split('\n')
        .filter((line) => line.trim() && !line.startsWith('#'))
        .map((line) => line.split('\t')[2] ?? ''),
    );
    expect(lines.length).toBeGreaterThan(900);
    expect(lines.filter((text) => foreign(text) !== undefined)).toEqual([]);
  });

  it('says so once, naming the language, and answers in English under an en-US client', async () => {
    const talk = new DialogConversation('en-US');
    const notice = talk.assistant.services.replies.unsupportedLanguage('en', 'pt').text;
    expect(notice).toContain('Portuguese');
    for (const name of ['Dutch', 'German', 'French', 'Spanish']) expect(notice).toContain(name);
    const first = await talk.say('a sincronização do diretório parou desde ontem', 'en-US');
    expect(messagesOf(first).map((m) => m.text)).toContain(notice);
    expect(traceOf(first)?.language).toBe('en');
    const second = await talk.say('mudei a minha senha mas o Teams ainda pede a antiga', 'en-US');
    expect(messagesOf(second).map((m) => m.text)).not.toContain(notice);
    // Not silence: the second message is still taken and answered in English.
    expect(traceOf(second)?.language).toBe('en');
    expect(cardsOf(second).length).toBeGreaterThan(0);
  });

  it('keeps the conversation language and says so in it', async () => {
    const talk = new DialogConversation('nl-NL');
    await talk.say('de synchronisatie is gestopt');
    const replies = await talk.say('ho cambiato la password ma Outlook chiede ancora quella vecchia');
    expect(traceOf(replies)?.language).toBe('nl');
    const notice = talk.assistant.services.replies.unsupportedLanguage('nl', 'it').text;
    expect(notice).toContain('Italiaans');
    expect(messagesOf(replies).map((m) => m.text)).toContain(notice);
  });
});

describe('language detection on short questions', () => {
  const cases: [string, string][] = [
    ['UPN duplicado', 'es'],
    ['dubbele UPN', 'nl'],
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

describe('a pasted alert in quotes', () => {
  const { languageDetector: detector } = testAssistant();
  const alert =
    '"Microsoft 365 alert - Directory synchronization hasn\'t occurred for more than 24 hours. Review your directory synchronization status."';
  it.each([
    [`Kreeg deze mail vannacht: ${alert} wat moet ik nu doen?`, 'nl'],
    [`Bonjour, on a reçu ce mail : «${alert.slice(1, -1)}» que faut-il vérifier ?`, 'fr'],
    [`Nos llegó este correo: ${alert} ¿qué hacemos?`, 'es'],
  ])('is read in the words around it: "%s" is %s', (text, language) => {
    expect(detector.rank(text)[0]?.language).toBe(language);
  });

  it('alone, it is read in its own language', () => {
    expect(detector.rank(alert)[0]?.language).toBe('en');
  });
});

describe('language through a conversation', () => {
  it('sticks to Dutch across "ok" and switches only when asked', async () => {
    const talk = new DialogConversation('en-US');
    expect(traceOf(await talk.say('de synchronisatie draait al twee dagen niet'))?.language).toBe('nl');
    expect(traceOf(await talk.say('ok'))?.language).toBe('nl');
    const switched = await talk.say('answer in English');
    expect(traceOf(switched)?.language).toBe('en');
    expect(messagesOf(switched)[0]?.text).toBe(knowledgeString('en', 'language.switched'));
    expect(traceOf(await talk.say('wachtwoorden worden niet gesynchroniseerd'))?.language).toBe('en');
  });

  it('says once that an unsupported language gets English', async () => {
    const talk = new DialogConversation('it-IT');
    const notice = talk.assistant.services.replies.unsupportedLanguage('en', 'it').text;
    const first = await talk.say('la sincronizzazione delle password non funziona');
    expect(messagesOf(first).map((m) => m.text)).toContain(notice);
    expect(traceOf(first)?.language).toBe('en');
    const second = await talk.say('il servizio di sincronizzazione è fermo da ieri');
    expect(messagesOf(second).map((m) => m.text)).not.toContain(notice);
    expect(traceOf(second)?.language).toBe('en');
    expect(cardsOf(second).length).toBeGreaterThan(0);
  });
});

describe('German, French and Spanish through a conversation', () => {
  const answerTitle = (replies: Awaited<ReturnType<DialogConversation['say']>>): string =>
    String((cardsOf(replies)[0]?.body as { text?: string }[] | undefined)?.find((b) => b.text)?.text ?? '');

  it.each([
    ['de-DE', 'de', 'die Kennwörter werden nicht synchronisiert'],
    ['fr-FR', 'fr', 'les mots de passe ne se synchronisent pas'],
    ['es-ES', 'es', 'las contraseñas no se sincronizan'],
  ])('answers from the %s locale alone in %s', async (locale, language, text) => {
    const talk = new DialogConversation(locale);
    const replies = await talk.say(text);
    expect(traceOf(replies)).toMatchObject({ language, decision: 'answer' });
    const topic = talk.assistant.kb.topic('password-hash-sync', language);
    expect(stringsOf(cardsOf(replies)[0])).toContain(topic?.title);
    expect(openUrlsOf(cardsOf(replies)[0]).some((u) => u.includes(`/${language}-`))).toBe(true);
  });

  it.each([
    ['die Verzeichnissynchronisierung läuft seit gestern nicht mehr', 'de', 'sync-not-recent'],
    ['la synchronisation des mots de passe ne fonctionne plus', 'fr', 'password-hash-sync'],
    ['la sincronización de directorios lleva dos días parada', 'es', 'sync-not-recent'],
  ])('lets "%s" under an en-US client override the locale (%s)', async (text, language, topicId) => {
    const talk = new DialogConversation('en-US');
    const replies = await talk.say(text, 'en-US');
    expect(traceOf(replies)).toMatchObject({ language, decision: 'answer' });
    expect(traceOf(replies)?.topics[0]?.id).toBe(topicId);
    expect(answerTitle(replies)).toBe(talk.assistant.kb.topic(topicId, language)?.title);
  });

  it('keeps German across "ok" and "ja", and switches on "en français" and "en español"', async () => {
    const talk = new DialogConversation('en-US');
    expect(traceOf(await talk.say('die Synchronisierung läuft seit zwei Tagen nicht mehr'))?.language).toBe(
      'de',
    );
    expect(traceOf(await talk.say('ok'))?.language).toBe('de');
    expect(traceOf(await talk.say('ja'))?.language).toBe('de');
    const french = await talk.say('en français');
    expect(traceOf(french)?.language).toBe('fr');
    expect(messagesOf(french)[0]?.text).toBe(knowledgeString('fr', 'language.switched'));
    // An explicit choice holds even against a message in another language.
    expect(traceOf(await talk.say('the sync has stopped'))?.language).toBe('fr');
    expect(traceOf(await talk.say('en español'))?.language).toBe('es');
    expect(traceOf(await talk.say('auf Deutsch'))?.language).toBe('de');
  });

  it('switches from the menu card language picker', async () => {
    const talk = new DialogConversation('en-US');
    const replies = await talk.submit({ action: 'language', language: 'es' });
    expect(traceOf(replies)?.language).toBe('es');
    const menu = await talk.say('menú');
    expect(traceOf(menu)?.language).toBe('es');
    const menuCard = cardsOf(menu)[0];
    expect(stringsOf(menuCard)).toContain(knowledgeString('es', 'menu.title'));
    expect(
      submitActionsOf(menuCard)
        .filter((a) => a.data.action === 'topic')
        .map((a) => a.data.topicId),
    ).toEqual(talk.assistant.kb.topicIds);
  });

  it('answers an unsupported locale (pl-PL) in English with one line saying so', async () => {
    const talk = new DialogConversation('pl-PL');
    const notice = talk.assistant.services.replies.unsupportedLanguage('en', 'pl').text;
    const first = await talk.say('synchronizacja katalogu nie działa od wczoraj');
    expect(traceOf(first)?.language).toBe('en');
    expect(messagesOf(first).filter((m) => m.text === notice)).toHaveLength(1);
  });
});
