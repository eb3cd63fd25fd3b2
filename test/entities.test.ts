// Days start at 00:00 in the server's time zone, as on App Service: UTC, whatever the machine's.
process.env.TZ = 'UTC';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { EntityExtractor, type Entity } from '../src/domain/entities/entityExtractor';
import {
  errorCatalogSchema,
  languageProfileSchema,
  type EntityReading,
} from '../src/domain/knowledge/schema';
import { knowledgeDir } from './support/assistant';

/** Every language folder's reading rules, drafts included: reading facts does not need the topics. */
function extractorForAllLanguages(): EntityExtractor {
  const readings = new Map<string, EntityReading>();
  for (const language of fs.readdirSync(path.join(knowledgeDir, 'locales'))) {
    const file = path.join(knowledgeDir, 'locales', language, 'language.yaml');
    if (fs.existsSync(file)) {
      readings.set(language, languageProfileSchema.parse(YAML.parse(fs.readFileSync(file, 'utf8'))).entities);
    }
  }
  const catalog = errorCatalogSchema.parse(
    YAML.parse(fs.readFileSync(path.join(knowledgeDir, 'errors.yaml'), 'utf8')),
  );
  return new EntityExtractor(readings, catalog);
}

const NOW = new Date('2026-11-25T10:00:00Z');
const HOUR = 3600;
const DAY = 86400;

describe('entity extraction in every language', () => {
  const extractor = extractorForAllLanguages();
  const extract = (text: string, language: string): Entity[] => extractor.extract(text, language, NOW);
  const durations = (text: string, language: string) =>
    extract(text, language)
      .filter((e) => e.type === 'duration')
      .map((e) => (e as { seconds: number }).seconds);
  const ago = (text: string, language: string) =>
    extract(text, language)
      .filter((e) => e.type === 'datetime')
      .map((e) => (e as { secondsAgo: number }).secondsAgo);
  const numbers = (text: string, language: string) =>
    extract(text, language)
      .filter((e) => e.type === 'number')
      .map((e) => (e as { value: number }).value);

  it.each([
    ['en', "sync hasn't run in a day", DAY],
    ['en', 'no sync for 3 days', 3 * DAY],
    ['en', 'the last sync was 26 hours ago', 26 * HOUR],
    ['nl', 'de sync heeft al een dag niet gedraaid', DAY],
    ['nl', 'laatste synchronisatie 26 uur geleden', 26 * HOUR],
    ['nl', 'al twee dagen geen sync', 2 * DAY],
    ['de', 'Die Synchronisierung läuft seit zwei Tagen nicht mehr', 2 * DAY],
    ['de', 'seit 26 Stunden kein Sync', 26 * HOUR],
    ['fr', 'la synchronisation ne fonctionne plus depuis 3 jours', 3 * DAY],
    ['fr', 'pas de synchro depuis deux heures', 2 * HOUR],
    ['es', 'la sincronización no funciona desde hace dos días', 2 * DAY],
    ['es', 'no sincroniza desde hace 5 horas', 5 * HOUR],
  ])('[%s] a duration in "%s"', (language, text, seconds) => {
    const found = [...durations(text, language), ...ago(text, language)];
    expect(found).toContain(seconds);
  });

  it.each([
    ['en', 'sync stopped since yesterday'],
    ['en', 'it stopped three days ago'],
    ['nl', 'de synchronisatie is gestopt sinds gisteren'],
    ['de', 'kein Sync seit gestern'],
    ['fr', 'la synchronisation ne fonctionne plus depuis hier'],
    ['es', 'no sincroniza desde ayer'],
  ])('[%s] a point in time in "%s"', (language, text) => {
    const found = ago(text, language);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toBeGreaterThanOrEqual(10 * HOUR);
    expect(found[0]).toBeLessThanOrEqual(4 * DAY);
  });

  it.each([
    ['en', 'we have 60,000 objects', 60000],
    ['nl', 'we hebben 350.000 objecten', 350000],
    ['de', 'wir synchronisieren 350.000 Objekte', 350000],
    ['fr', 'nous avons 60 000 objets', 60000],
    ['es', 'tenemos 60.000 objetos', 60000],
  ])('[%s] a count in "%s"', (language, text, value) => {
    expect(numbers(text, language)).toContain(value);
  });

  it('reads error codes, event ids and attributes, whatever the language', () => {
    const found = extract(
      'AttributeValueMustBeUnique on 12 users, proxyAddresses conflict, event 611 in the log',
      'en',
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'errorCode', value: 'AttributeValueMustBeUnique' }),
        expect.objectContaining({ type: 'attribute', value: 'proxyAddresses' }),
        expect.objectContaining({ type: 'eventId', value: 611 }),
        expect.objectContaining({ type: 'number', value: 12 }),
      ]),
    );
    expect(extract('gebeurtenis 611 en een dubbele UPN', 'nl')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'eventId', value: 611 }),
        expect.objectContaining({ type: 'attribute', value: 'userPrincipalName' }),
      ]),
    );
    expect(extract('Fehler invalidsoftmatch beim Export', 'de')).toEqual([
      expect.objectContaining({ type: 'errorCode', value: 'InvalidSoftMatch' }),
    ]);
  });

  it.each([
    [
      'es',
      'la sincronización no funciona desde hace 26 horas y tenemos 350.000 objetos el 12 de marzo',
      350000,
    ],
    ['en', 'Sync failed. We have 350,000 objects. It stopped on March 12.', 350000],
  ])('[%s] keeps a count that a date reading swallows: "%s"', (language, text, value) => {
    expect(numbers(text, language)).toContain(value);
  });

  it('reads counts and points in time only from the beginning of a long message, in sentence-sized pieces', () => {
    const filler = 'Voici ce que dit le journal du serveur de synchronisation. '.repeat(12);
    expect(ago(`la synchronisation ne marche plus depuis hier. ${filler}`, 'fr').length).toBeGreaterThan(0);
    // Past the first 600 characters a date is no longer read; codes and durations still are.
    const late = extract(`${filler} Depuis hier, erreur InvalidSoftMatch depuis 3 jours.`, 'fr');
    expect(late.filter((e) => e.type === 'datetime')).toEqual([]);
    expect(late).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'errorCode', value: 'InvalidSoftMatch' }),
        expect.objectContaining({ type: 'duration', seconds: 3 * DAY }),
      ]),
    );
  });

  it('reads a pasted list of numbers with the plain pattern', () => {
    expect(numbers('0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20', 'es')).toHaveLength(21);
    // recognizers-text-date-time, read here before December 2026, threw on this ordinary message.
    expect(durations('since March 12 sync has not run for 26 hours', 'en')).toContain(26 * HOUR);
  });

  it('does not count the number inside a duration or an event id', () => {
    expect(numbers('last sync 26 hours ago', 'en')).not.toContain(26);
    expect(numbers('event 611', 'en')).not.toContain(611);
  });

  it('finds nothing in a message without facts', () => {
    expect(extract('password hash sync is broken', 'en')).toEqual([]);
  });

  it.each([
    ['en', 'sync has been stuck since Friday'],
    ['en', 'nothing synced since this morning'],
    ['de', 'seit Montag keine Synchronisierung'],
    ['fr', 'plus de synchronisation depuis lundi'],
    ['es', 'no sincroniza desde el lunes'],
  ])('[%s] reads a point in time named by a word alone: "%s"', (language, text) => {
    expect(ago(text, language).length).toBeGreaterThan(0);
  });

  it.each([
    ['nl', 'AAD Connect heeft sinds vrijdag niet gesynchroniseerd', 4 * DAY, 6 * DAY],
    ['de', 'seit Freitag keine Synchronisierung', 4 * DAY, 6 * DAY],
    ['nl', 'de sync loopt niet meer sinds 3 maart', 260 * DAY, 270 * DAY],
  ])('[%s] reads a weekday or a date without a year as the last one: "%s"', (language, text, min, max) => {
    // NOW is Wednesday 25 November 2026: the last Friday is the 20th, the last 3 March is in 2026.
    const [found] = ago(text, language);
    expect(found).toBeGreaterThanOrEqual(min);
    expect(found).toBeLessThanOrEqual(max);
  });

  it.each([
    ['en', 'we sync three hundred thousand objects', 300000],
    ['fr', 'nous synchronisons trois cent mille objets', 300000],
    ['es', 'sincronizamos trescientos mil objetos', 300000],
  ])('[%s] reads a count written in words: "%s"', (language, text, value) => {
    expect(numbers(text, language)).toContain(value);
  });

  // Articles are counts ("un utilisateur" = 1) and short words dates ("mon" = Monday, "mi", "wo") to
  // the readers; a message without digits or fact words is not read for counts and points in time.
  it.each([
    ['fr', 'un utilisateur ne se synchronise pas vers le cloud'],
    ['fr', "mon nouveau collègue n'est pas dans le carnet d'adresses"],
    ['es', 'mi nueva contraseña no funciona en Teams'],
    ['en', 'password hash sync has not run recently'],
    ['de', 'wo sehe ich, ob der Verzeichnisabgleich fehlerfrei läuft'],
  ])('[%s] reads no fact where there is none: "%s"', (language, text) => {
    expect(extract(text, language)).toEqual([]);
  });
  it.each([
    ['en', 'we have fifty thousand objects', 50000],
    ['en', 'one hundred and five users', 105],
    ['en', 'twenty-five groups', 25],
    ['en', 'more than 300k objects', 300000],
    ['en', 'about 2.5 million objects', 2500000],
    ['en', 'a dozen users', 12],
    ['fr', 'nous avons cinquante mille objets', 50000],
    ['fr', 'quatre-vingt-dix utilisateurs', 90],
    ['fr', 'soixante-dix-sept comptes', 77],
    ['fr', 'mille deux cents objets', 1200],
    ['fr', 'vingt et un groupes', 21],
    ['fr', "2,5 millions d'objets", 2500000],
    ['es', 'tenemos cincuenta mil objetos', 50000],
    ['es', 'treinta y cinco usuarios', 35],
    ['es', 'ciento veinte grupos', 120],
    ['es', 'un millón de objetos', 1000000],
    ['es', '12 mil objetos', 12000],
    ['nl', 'twee gebruikers met dezelfde UPN', 2],
    ['de', 'die haben so ca 60k objekte im ad', 60000],
    ['de', 'wir haben 3 Millionen Objekte', 3000000],
  ])('[%s] reads a count in words, or digits and a word: "%s"', (language, text, value) => {
    expect(numbers(text, language)).toEqual([value]);
  });

  it.each([
    ['en', 'two three', [2, 3]],
    ['en', 'twelve three', [12, 3]],
    ['es', 'dos y tres', [2, 3]],
    ['en', 'we have 60 000 objects', [60000]],
    ['en', 'sync 2,5 times', [2.5]],
    ['fr', 'nous avons 350.000 objets', [350000]],
    ['fr', 'nous avons 60,000 objets', [60]],
    ['en', 'the log says 60 000 seconds', [60000]],
  ])('[%s] reads separate numbers and other notations as meant: "%s"', (language, text, values) => {
    expect(numbers(text, language)).toEqual(values);
  });

  it.each([
    // NOW is 10:00 on Wednesday 25 November 2026.
    ['en', 'sync stopped yesterday', 'yesterday', 34 * HOUR],
    ['en', 'sync stopped since friday', 'since friday', 5 * DAY + 10 * HOUR],
    ['en', 'nobody can sign in since this morning', 'since this morning', 2 * HOUR],
    ['en', 'it broke yesterday evening', 'yesterday evening', 18 * HOUR],
    ['en', 'deleted a user last week', 'last week', 9 * DAY + 10 * HOUR],
    ['en', 'changed it last night', 'last night', 14 * HOUR],
    ['fr', 'la synchro est bloquée depuis ce matin', 'depuis ce matin', 2 * HOUR],
    ['fr', 'plus rien depuis avant-hier', 'depuis avant-hier', 2 * DAY + 10 * HOUR],
    ['fr', 'supprimé la semaine dernière', 'la semaine dernière', 9 * DAY + 10 * HOUR],
    [
      'fr',
      'la synchro est arrêtée depuis lundi, dernière synchronisation',
      'depuis lundi',
      2 * DAY + 10 * HOUR,
    ],
    ['fr', 'rien depuis janvier', 'depuis janvier', 328 * DAY + 10 * HOUR],
    ['es', 'no sincroniza desde el lunes', 'desde el lunes', 2 * DAY + 10 * HOUR],
    ['es', 'lo borré anteayer', 'anteayer', 2 * DAY + 10 * HOUR],
    ['es', 'cambié la contraseña anoche', 'anoche', 14 * HOUR],
    ['es', 'lo creé la semana pasada', 'la semana pasada', 9 * DAY + 10 * HOUR],
    ['nl', 'sinds vanochtend geen sync', 'sinds vanochtend', 2 * HOUR],
    ['de', 'seit heute früh geht nichts', 'seit heute früh', 2 * HOUR],
    ['es', 'AD en .lan desde 2008', 'desde 2008', (NOW.getTime() - Date.UTC(2008, 0, 1)) / 1000],
    ['fr', '350.000 objets vendredi', 'vendredi', 5 * DAY + 10 * HOUR],
  ])(
    '[%s] reads a point in time from the start of its day, week or part of the day: "%s"',
    (language, text, said, secondsAgo) => {
      expect(extract(text, language).filter((e) => e.type === 'datetime')).toEqual([
        expect.objectContaining({ text: said, secondsAgo }),
      ]);
    },
  );

  it.each([
    ['en', 'good morning'],
    ['en', 'sync in the evening'],
    ['es', 'PHS no sincroniza las contraseñas de 3 usuarios'],
    ['fr', 'il y a 3 comptes en double'],
    ['es', 'Unsere AD-Domäne heißt firma.local, 3 Benutzer'],
  ])(
    '[%s] takes no greeting, lone part of the day, bare number or part of a word for a point in time: "%s"',
    (language, text) => {
      expect(extract(text, language).filter((e) => e.type === 'datetime')).toEqual([]);
    },
  );
});

describe("points in time at the sender's clock", () => {
  const extractor = extractorForAllLanguages();
  // 07:25 UTC is 08:25 in Berlin and 02:25 in New York.
  const sent = new Date('2026-12-03T07:25:00Z');
  const pointOf = (entities: Entity[]) => entities.find((e) => e.type === 'datetime');

  it('"heute morgen um 8" from Berlin was 25 minutes ago', () => {
    const point = pointOf(extractor.extract('heute morgen um 8', 'de', { now: sent, utcOffsetMinutes: 60 }));
    expect(point).toMatchObject({ value: '2026-12-03T07:00:00.000Z', secondsAgo: 25 * 60 });
  });

  it('"this morning at 8" from New York has not come yet: no point in time', () => {
    expect(
      pointOf(extractor.extract('this morning at 8', 'en', { now: sent, utcOffsetMinutes: -300 })),
    ).toBeUndefined();
  });

  it('"yesterday at 11 pm" from New York was 3 hours 25 minutes ago', () => {
    const point = pointOf(
      extractor.extract('yesterday at 11 pm', 'en', { now: sent, utcOffsetMinutes: -300 }),
    );
    expect(point).toMatchObject({ value: '2026-12-03T04:00:00.000Z', secondsAgo: 3 * 3600 + 25 * 60 });
  });
});

describe('points in time as people write them', () => {
  const extractor = extractorForAllLanguages();
  // NOW is 10:00 UTC on 25 November 2026.
  it.each([
    // A time of day with minutes, as French writes it.
    ['fr', 'depuis 8h30', '2026-11-25T08:30:00.000Z'],
    ['fr', 'ce matin à 8h30', '2026-11-25T08:30:00.000Z'],
    ['fr', 'hier à 17h45', '2026-11-24T17:45:00.000Z'],
    // Today as said in speech.
    ['de', 'seit heut früh so gegen 9', '2026-11-25T08:00:00.000Z'],
    ['de', 'hab heut morgen mein Kennwort geändert', '2026-11-25T08:00:00.000Z'],
  ])('%s "%s" is read as %s', (language, text, value) => {
    const point = extractor.extract(text, language, NOW).find((e) => e.type === 'datetime');
    expect(point).toMatchObject({ type: 'datetime', value });
  });
});

describe('a time of day said roughly', () => {
  const extractor = extractorForAllLanguages();
  // NOW is 10:00 UTC on 25 November 2026; yesterday at 15:00 was 19 hours ago.
  it.each([
    ['en', 'yesterday around 3pm'],
    ['nl', 'gisteren rond 15:00'],
    ['de', 'gestern gegen 15 Uhr'],
    ['fr', 'hier vers 15h'],
    ['es', 'ayer sobre las 15:00'],
  ])('%s "%s" is yesterday at 15:00, said as it was written', (language, text) => {
    const point = extractor.extract(text, language, NOW).find((e) => e.type === 'datetime');
    expect(point).toEqual({
      type: 'datetime',
      text,
      value: '2026-11-24T15:00:00.000Z',
      secondsAgo: 19 * 3600,
    });
  });
});

describe('words that look like a day but are part of another', () => {
  const extractor = extractorForAllLanguages();
  const pointIn = (text: string, language: string) =>
    extractor.extract(text, language, NOW).find((e) => e.type === 'datetime');

  it.each([
    ['nl', "zo'n 51.300 objecten", 51300],
    ['nl', 'we zitten op zo’n 52.000', 52000],
  ])('%s "%s" is a rough count, with no Sunday ("zo") in it', (language, text, count) => {
    expect(pointIn(text, language)).toBeUndefined();
    expect(extractor.extract(text, language, NOW)).toContainEqual(
      expect.objectContaining({ type: 'number', value: count }),
    );
  });

  it('a possessive still names its day: "since Friday\'s restart"', () => {
    expect(pointIn("no sync since Friday's restart", 'en')).toMatchObject({
      value: '2026-11-20T00:00:00.000Z',
    });
  });
});

describe('a count of one said in words, in a short reply', () => {
  const extractor = extractorForAllLanguages();
  const counts = (text: string, language: string): number[] =>
    extractor
      .extract(text, language, NOW)
      .filter((e) => e.type === 'number')
      .map((e) => e.value as number);

  it.each([
    ['en', 'just the one'],
    ['en', 'only one user'],
    ['nl', 'maar één'],
    ['nl', 'alleen die ene'],
    ['de', 'nur einer'],
    ['fr', 'un seul'],
    ['es', 'solo uno'],
    ['en', 'just the one, only her'],
    ['de', 'nur der eine Benutzer'],
    ['fr', 'juste elle, une personne'],
  ])('%s "%s" is a count of 1', (language, text) => {
    expect(counts(text, language)).toEqual([1]);
  });

  it.each([
    // An article in a sentence, not a count.
    ['en', "a user can't sign in"],
    ['fr', 'une personne ne peut pas se connecter'],
    // Another number word wins: "a few", "een paar" are no "a", "een".
    ['en', 'a few users'],
    ['nl', 'een paar gebruikers'],
    ['de', 'nur ein paar Benutzer'],
    // A word for one without a count word.
    ['en', 'that one'],
  ])('%s "%s" has no count of 1', (language, text) => {
    expect(counts(text, language)).not.toContain(1);
  });
});
