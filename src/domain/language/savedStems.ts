import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { version as stemmerVersion } from 'snowball-stemmers/package.json';

/**
 * Each language's stems kept between starts: stemming every phrasing of five languages was most of
 * building the topic recognizer (about 0.17 s of CPU at start-up, measured), looking a stem up a
 * small part of that. A word's stem depends only on the stemmer, so the file holds until
 * snowball-stemmers changes version; new words are added as they are met.
 */
export class SavedStems {
  private readonly byLanguage = new Map<string, Map<string, string>>();
  private readonly sizesWhenRead = new Map<string, number>();

  private constructor(private readonly files: string[]) {}

  /** The stems of the first readable file of `files`, or none. */
  static read(files: string[] = savedStemFiles()): SavedStems {
    const saved = new SavedStems(files);
    for (const file of files) {
      try {
        const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
          stemmer?: string;
          stems?: Record<string, Record<string, string>>;
        };
        if (json.stemmer !== stemmerVersion) break;
        for (const [language, stems] of Object.entries(json.stems ?? {})) {
          saved.byLanguage.set(language, new Map(Object.entries(stems)));
          saved.sizesWhenRead.set(language, Object.keys(stems).length);
        }
        break;
      } catch {
        // Absent or damaged: the next place, or stem everything.
      }
    }
    return saved;
  }

  /** The word-to-stem map of one stemmer algorithm, shared with the analyzers that stem with it. */
  of(algorithm: string): Map<string, string> {
    let stems = this.byLanguage.get(algorithm);
    if (!stems) this.byLanguage.set(algorithm, (stems = new Map()));
    return stems;
  }

  /** Writes the stems when words were added since they were read; a read-only place is skipped. */
  save(): void {
    const grown = [...this.byLanguage].some(([l, stems]) => stems.size !== (this.sizesWhenRead.get(l) ?? 0));
    if (!grown) return;
    const json = JSON.stringify({
      stemmer: stemmerVersion,
      stems: Object.fromEntries([...this.byLanguage].map(([l, stems]) => [l, Object.fromEntries(stems)])),
    });
    for (const file of this.files) {
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Written aside, then renamed: a process reading the file never sees half of it.
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, json);
        fs.renameSync(temporary, file);
        for (const [l, stems] of this.byLanguage) this.sizesWhenRead.set(l, stems.size);
        return;
      } catch {
        // A read-only folder (a deployed package): the next one.
      }
    }
  }
}

/** Where the stems are kept: beside the build's knowledge cache, else in the temporary folder. */
export const savedStemFiles = (): string[] => [
  path.join(__dirname, '..', '..', '..', 'knowledge-cache', 'stems.json'),
  path.join(os.tmpdir(), 'directory-sync-assistant-knowledge', 'stems.json'),
];
