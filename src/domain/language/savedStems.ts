import { version as stemmerVersion } from 'snowball-stemmers/package.json';
import { cacheFilePlaces, readFirstCacheFile, writeFirstCacheFile } from '../knowledge/cacheFiles';

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
    const json = readFirstCacheFile(files) as
      { stemmer?: string; stems?: Record<string, Record<string, string>> } | undefined;
    if (json?.stemmer === stemmerVersion) {
      for (const [language, stems] of Object.entries(json.stems ?? {})) {
        saved.byLanguage.set(language, new Map(Object.entries(stems)));
        saved.sizesWhenRead.set(language, Object.keys(stems).length);
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
    if (writeFirstCacheFile(this.files, json))
      for (const [l, stems] of this.byLanguage) this.sizesWhenRead.set(l, stems.size);
  }
}

/** Where the stems are kept: beside the build's knowledge cache, else in the temporary folder. */
export const savedStemFiles = (): string[] => cacheFilePlaces('stems.json');
