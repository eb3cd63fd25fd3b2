import crypto from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { cacheFilePlaces, readFirstCacheFile, writeFirstCacheFile } from './cacheFiles';

/**
 * Parsed YAML documents kept between starts, by a hash of each file's text: parsing the knowledge's
 * YAML was half of loading it (about 0.4 s of CPU at start-up, measured), reading JSON a small part
 * of that. Only the documents of the latest load are kept, so the file does not grow; a document
 * that JSON cannot hold as it is (none today) is parsed every time.
 */
export class ParsedDocuments {
  private readonly cached: Record<string, unknown>;
  private readonly used: Record<string, unknown> = {};
  private changed = false;

  constructor(private readonly files: string[]) {
    const cached = readFirstCacheFile(files);
    this.cached =
      cached !== null && typeof cached === 'object' && !Array.isArray(cached)
        ? (cached as Record<string, unknown>)
        : {};
  }

  parse(text: string, report: (field: string, reason: string) => void): unknown {
    const hash = crypto.createHash('sha256').update(text).digest('hex');
    if (hash in this.cached) return (this.used[hash] = this.cached[hash]);
    // Loaded only when a document changed: every start from the cache skips the YAML parser.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require('yaml') as typeof import('yaml');
    const doc = YAML.parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors)
        report(`(line ${e.linePos?.[0]?.line ?? '?'})`, e.message.split('\n')[0] ?? e.message);
      return undefined;
    }
    const value: unknown = doc.toJS();
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(value) ?? 'null'), value)) {
      this.used[hash] = value;
      this.changed = true;
    }
    return value;
  }

  save(): void {
    if (!this.changed && Object.keys(this.used).length === Object.keys(this.cached).length) return;
    writeFirstCacheFile(this.files, JSON.stringify(this.used));
  }
}

/** Where the parsed documents are kept: beside the build, else in the temporary folder. */
export const parsedDocumentFiles = (): string[] => cacheFilePlaces('parsed-yaml.json');
