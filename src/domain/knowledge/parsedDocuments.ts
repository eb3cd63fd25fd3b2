import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
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
    let cached: Record<string, unknown> = {};
    for (const file of files) {
      try {
        cached = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
        break;
      } catch {
        // Absent or damaged: the next place, or parse everything.
      }
    }
    this.cached = cached;
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
    const json = JSON.stringify(this.used);
    for (const file of this.files) {
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Written aside, then renamed: a process reading the cache never sees half a file.
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, json);
        fs.renameSync(temporary, file);
        return;
      } catch {
        // A read-only folder (a deployed package): the next one.
      }
    }
  }
}

/** Where the parsed documents are kept: beside the build, else in the temporary folder. */
export const parsedDocumentFiles = (): string[] => [
  path.join(__dirname, '..', '..', '..', 'knowledge-cache', 'parsed-yaml.json'),
  path.join(os.tmpdir(), 'directory-sync-assistant-knowledge', 'parsed-yaml.json'),
];
