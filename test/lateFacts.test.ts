import type { StringKey } from '../src/domain/language/stringKeys';
import { freshAssistant } from './support/assistant';
import { messagesOf, traceOf } from './support/botReplies';
import { DialogConversation } from './support/dialogClient';

const assistant = freshAssistant();
const say = (key: StringKey, language = 'en'): string => assistant.services.replies.say(language, key).text;
/** The trace's decision, command and first topic: what the bot made of a message. */
const readAs = (replies: Awaited<ReturnType<DialogConversation['say']>>) => {
  const trace = traceOf(replies);
  return { decision: trace?.decision, command: trace?.command, topic: trace?.topics?.[0]?.id };
};
const texts = (replies: Awaited<ReturnType<DialogConversation['say']>>): string =>
  messagesOf(replies)
    .map((m) => m.text ?? '')
    .join(' ');

describe('a fact the answer depends on, stated after the answer', () => {
  it.each([
    [
      'en-US',
      'sync hasnt run since yesterday morning',
      'sync-not-recent',
      'actually it was more like 3 days ago',
    ],
    [
      'nl-NL',
      'aad connect synchroniseert niet meer sinds vanochtend',
      'sync-not-recent',
      'het is eigenlijk al 3 dagen',
    ],
    [
      'en-US',
      'changed my password yesterday and teams keeps asking for the old one',
      'password-hash-sync',
      'sorry, it was 5 days ago',
    ],
    // Nothing but the fact: no words are left to read another question from.
    [
      'en-US',
      'changed pw yesterday and outlook still wants the old one',
      'password-hash-sync',
      'yesterday around 3pm',
    ],
    // The fact first, a remark after it: the remark ("from the office pc") is no new question.
    [
      'fr-FR',
      "j'ai changé mon mot de passe hier soir et outlook me redemande l'ancien",
      'password-hash-sync',
      'hier vers 18h, depuis le pc du bureau',
    ],
    // A hedge after the fact, one word or several ("à peu près", "so gegen"), is no question either.
    [
      'fr-FR',
      "j'ai changé mon mdp hier et teams me demande toujours l'ancien",
      'password-hash-sync',
      'depuis hier midi à peu près',
    ],
    [
      'de-DE',
      'Passwort gestern geändert, Outlook im Web will immer noch das alte',
      'password-hash-sync',
      'gestern so gegen 16 Uhr',
    ],
  ])(
    '%s "%s" (%s), then "%s": what the fact means, and the verdict is still awaited',
    async (locale, question, topicId, late) => {
      const talk = new DialogConversation(locale, assistant);
      expect(readAs(await talk.say(question))).toMatchObject({ decision: 'answer', topic: topicId });
      const lateReplies = await talk.say(late);
      expect(readAs(lateReplies)).toMatchObject({
        decision: 'command',
        command: 'fact',
        topic: topicId,
      });
      expect(messagesOf(lateReplies).length).toBeGreaterThan(0);
      // The feedback question is still open: "yes" is a verdict on that answer, not "nothing is open".
      const verdict = await talk.say('yes', locale);
      expect(readAs(verdict)).toMatchObject({ decision: 'command', command: 'feedback' });
      expect(texts(verdict)).toContain(say('feedback.thanks', locale.slice(0, 2)));
    },
  );

  it.each([
    [
      'nl-NL',
      'nieuwe stagiair staat niet in teams en ik kan hem ook niet mailen',
      'objects-not-syncing',
      'eergisteren aangemaakt denk ik',
      'ja hij staat er nu in!',
    ],
    [
      'de-DE',
      'Sync-Fehler: die Mailadresse rechnung@ ist schon an einem anderen Objekt (proxyAddresses doppelt)',
      'duplicate-email',
      'seit letztem Donnerstag, da wurde die Adresse umgehängt',
      'ja, passt jetzt',
    ],
  ])(
    '%s "%s" (%s), then a fact its advice does not read ("%s"): noted, and "%s" is still the verdict',
    async (locale, question, topicId, fact, verdict) => {
      const talk = new DialogConversation(locale, assistant);
      expect(readAs(await talk.say(question))).toMatchObject({ decision: 'answer', topic: topicId });
      const noted = await talk.say(fact);
      expect(readAs(noted)).toMatchObject({ decision: 'command', command: 'fact', topic: topicId });
      expect(texts(noted)).toBe(say('fact.noted', locale.slice(0, 2)));
      const replies = await talk.say(verdict);
      expect(readAs(replies)).toMatchObject({ decision: 'command', command: 'feedback' });
      expect(texts(replies)).toContain(say('feedback.thanks', locale.slice(0, 2)));
    },
  );

  it.each([
    ['nl-NL', 'nieuwe collega staat niet in teams', 'alleen hij, 1 account', 'nee'],
    ['en-US', 'the new starter is still not in the address book', 'just 2 accounts', 'no'],
    ['de-DE', 'der neue Kollege fehlt immer noch im Adressbuch', 'nur 3 Benutzer', 'nein'],
    ['en-US', 'she added a new user in AD this morning and he is still not in 365', 'just the one', 'no'],
    ['fr-FR', "le nouvel employé n'apparaît toujours pas dans Teams", 'un seul', 'non'],
    // The count said twice, with more words around it.
    ['en-US', 'the new starter is still not in the address book', 'just the one, only her', 'no'],
    ['de-DE', 'der neue Kollege fehlt immer noch im Adressbuch', 'nur der eine Benutzer', 'nein'],
    ['fr-FR', "le nouvel employé n'apparaît toujours pas dans Teams", 'juste elle, une personne', 'non'],
  ])(
    '%s "%s", then how many are affected in few words ("%s"): noted, and "%s" is still the verdict',
    async (locale, question, count, verdict) => {
      const talk = new DialogConversation(locale, assistant);
      expect(readAs(await talk.say(question))).toMatchObject({
        decision: 'answer',
        topic: 'objects-not-syncing',
      });
      const noted = await talk.say(count);
      expect(readAs(noted)).toMatchObject({
        decision: 'command',
        command: 'fact',
        topic: 'objects-not-syncing',
      });
      expect(texts(noted)).toBe(say('fact.noted', locale.slice(0, 2)));
      expect(readAs(await talk.say(verdict))).toMatchObject({ decision: 'command', command: 'feedback' });
    },
  );

  it('a small number that counts nothing affected ("tried it 3 times") is not noted as a fact', async () => {
    const talk = new DialogConversation('en-US', assistant);
    expect(readAs(await talk.say('the new starter is still not in the address book'))).toMatchObject({
      topic: 'objects-not-syncing',
    });
    expect(readAs(await talk.say('restarted the sync 3 times')).command).not.toBe('fact');
  });

  it('a new question that also states a time is answered as that question, not taken as a late fact', async () => {
    const talk = new DialogConversation('en-US', assistant);
    expect(readAs(await talk.say('sync hasnt run since yesterday morning'))).toMatchObject({
      topic: 'sync-not-recent',
    });
    const next = await talk.say('since yesterday two users have the same UPN and one of them fails to sync');
    expect(readAs(next)).toMatchObject({ decision: 'answer', topic: 'duplicate-upn' });
  });

  it('a new problem stated with a time is not noted as a fact: it is read as the new message it is', async () => {
    const talk = new DialogConversation('en-US', assistant);
    expect(readAs(await talk.say('nieuwe collega staat niet in teams', 'nl-NL'))).toMatchObject({
      topic: 'objects-not-syncing',
    });
    const next = await talk.say('since monday the whole sync thing seems broken', 'en-US');
    expect(readAs(next).command).not.toBe('fact');
    // Read as a new message: a clarify card of sync topics, or (since the seventh round of examples)
    // the answer that sync stopped; never the earlier topic again.
    expect(readAs(next)).toEqual(
      expect.objectContaining({
        decision: expect.stringMatching(/^(clarify|answer)$/),
        topic: expect.not.stringMatching(/^objects-not-syncing$/),
      }),
    );
  });

  it('a message without the fact still ends the question as unrelated (an out-of-scope question is refused)', async () => {
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('sync hasnt run since yesterday morning');
    const next = await talk.say('my printer on the second floor is jammed again');
    expect(traceOf(next)).toMatchObject({ decision: 'fallback', outOfScope: true });
  });
});

describe('"back" after the fact was taken: the question that took it is asked again', () => {
  it.each([
    [
      'fr-FR',
      'la synchro échoue avec un message de trop d’objets',
      'environ 52 000',
      'attends, retour, je me suis trompé',
      'plutôt 320 000 en comptant les contacts',
    ],
    [
      'nl-NL',
      'sync faalt met iets over te veel objecten',
      'ongeveer 52.000',
      'wacht, ga terug',
      '48.500 users en groepen samen',
    ],
  ])(
    '%s "%s", "%s", then "%s": asked again, and "%s" is the new fact',
    async (locale, question, fact, back, again) => {
      const talk = new DialogConversation(locale, assistant);
      const language = locale.slice(0, 2);
      const asked = await talk.say(question);
      expect(readAs(asked)).toMatchObject({ decision: 'answer', topic: 'object-quota' });
      const firstLine = (replies: Awaited<ReturnType<DialogConversation['say']>>): unknown =>
        (messagesOf(replies).at(-1)?.attachments?.[0]?.content as { body?: { text?: string }[] } | undefined)
          ?.body?.[0]?.text;
      const question1 = firstLine(asked);
      expect(question1).toEqual(expect.any(String));
      expect(readAs(await talk.say(fact))).toMatchObject({ command: 'fact', topic: 'object-quota' });
      const backReplies = await talk.say(back);
      expect(readAs(backReplies)).toMatchObject({
        decision: 'command',
        command: 'back',
        topic: 'object-quota',
      });
      expect(firstLine(backReplies)).toBe(question1);
      expect(texts(backReplies)).not.toContain(say('conversation.nothingOpen', language));
      const retold = await talk.say(again);
      expect(readAs(retold)).toMatchObject({ decision: 'command', command: 'fact', topic: 'object-quota' });
    },
  );

  it('"back" after an answer that took no fact has no question to go back to', async () => {
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('the new starter is still not in the address book');
    expect(texts(await talk.say('go back'))).toContain(say('conversation.nothingOpen'));
  });
});

describe('at a fact question, a time is the fact before it is a light command', () => {
  it('"heute morgen um 8" answers "when was the password changed?" instead of greeting', async () => {
    const talk = new DialogConversation('de-DE', assistant);
    const first = await talk.say('Passwort geändert aber Outlook nimmt nur das alte');
    expect(readAs(first)).toMatchObject({ decision: 'answer', topic: 'password-hash-sync' });
    // Sent where it is 15:00, whatever the hour on the server, so 8 this morning has passed.
    const fact = await talk.say('heute morgen um 8', 'de-DE', {
      rawLocalTimestamp: senderAtThreePm(),
    } as object);
    expect(readAs(fact)).toMatchObject({ decision: 'command', command: 'fact' });
    expect(texts(fact)).not.toContain(say('greeting.reply', 'de'));
  });

  it('an exact greeting at a fact question is still a greeting, and the question stays open', async () => {
    const talk = new DialogConversation('de-DE', assistant);
    await talk.say('Passwort geändert aber Outlook nimmt nur das alte');
    const greeting = await talk.say('guten Morgen');
    expect(readAs(greeting)).toMatchObject({ decision: 'command', command: 'greeting' });
    expect(readAs(await talk.say('vor 2 Tagen'))).toMatchObject({ decision: 'command', command: 'fact' });
  });
});

/** A localTimestamp of now, with the UTC offset at which the sender's wall clock shows 15:00. */
function senderAtThreePm(): string {
  const now = new Date();
  let offset = 15 * 60 - (now.getUTCHours() * 60 + now.getUTCMinutes());
  if (offset > 14 * 60) offset -= 24 * 60;
  const sign = offset < 0 ? '-' : '+';
  const hhmm = (m: number): string =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const wall = new Date(now.getTime() + offset * 60_000).toISOString().slice(0, 19);
  return `${wall}${sign}${hhmm(Math.abs(offset))}`;
}

describe('a verdict on the answer that says more than yes or no', () => {
  it.each([
    [
      'en-US',
      'changed my password yesterday and teams keeps asking for the old one',
      "didn't help, teams still wants the old one",
    ],
    [
      'nl-NL',
      'wachtwoord gisteren veranderd maar outlook vraagt nog het oude',
      'helpt niet, nog steeds het oude ww',
    ],
    ['de-DE', 'Passwort geändert aber Outlook nimmt nur das alte', 'hab ich alles probiert, hilft nix'],
    [
      'es-ES',
      'cambié la contraseña ayer y outlook me pide la antigua',
      'no, sigue igual, me pide la antigua',
    ],
    [
      'fr-FR',
      "j'ai changé mon mot de passe hier et outlook me redemande l'ancien",
      'oui le service était arrêté, je l’ai relancé et ça repart',
    ],
    // A date told as part of a story is no correction of the fact ("sorry, it was 5 days ago" is).
    [
      'es-ES',
      'cambié la contraseña ayer y outlook me pide la antigua',
      'no, ya abrieron caso con Microsoft hace dos días y nada',
    ],
  ])('%s: "%s", then "%s" is the verdict, not the same topic again', async (locale, question, verdict) => {
    const talk = new DialogConversation(locale, assistant);
    expect(readAs(await talk.say(question))).toMatchObject({
      decision: 'answer',
      topic: 'password-hash-sync',
    });
    const replies = await talk.say(verdict);
    expect(readAs(replies)).toMatchObject({ decision: 'command', command: 'feedback' });
    expect(messagesOf(replies).length).toBeGreaterThan(0);
  });

  it.each([
    [
      'es-ES',
      'no sincroniza nada, nos llegó el aviso de Microsoft',
      'ni idea, el correo llegó hoy pero no sé desde cuándo está así',
      'dontKnow',
    ],
    [
      'en-US',
      'directory sync stopped, got the alert mail',
      'no idea, the mail came today but I have no clue since when it is broken',
      'dontKnow',
    ],
    // Not knowing, then the fact said roughly: the fact.
    ['en-US', 'directory sync stopped, got the alert mail', 'not sure, maybe 2 days ago', 'fact'],
  ])(
    '%s at "when did the last sync run?": "%s", then "%s" is %s',
    async (locale, question, reply, command) => {
      const talk = new DialogConversation(locale, assistant);
      const asked = await talk.say(question);
      expect(readAs(asked)).toMatchObject({ decision: 'answer', topic: 'sync-not-recent' });
      expect(readAs(await talk.say(reply))).toMatchObject({ decision: 'command', command });
    },
  );

  it('"no idea" is never read as "no": at "did this solve it?" it says how to answer later and keeps the question open', async () => {
    const talk = new DialogConversation('en-US', assistant);
    await talk.say('changed my password yesterday and teams keeps asking for the old one');
    const notSure = await talk.say("no idea tbh, I can't check it from here");
    expect(readAs(notSure)).toMatchObject({ decision: 'command', command: 'dontKnow' });
    expect(texts(notSure)).toContain(say('feedback.notSure'));
    const verdict = await talk.say('yes');
    expect(readAs(verdict)).toMatchObject({ decision: 'command', command: 'feedback' });
    expect(texts(verdict)).toContain(say('feedback.thanks'));
  });
});
