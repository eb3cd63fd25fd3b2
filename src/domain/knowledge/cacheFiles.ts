import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Files kept between starts to skip work the knowledge makes the same way each time (parsed YAML,
 * stems): tried in order, beside the build first, then in the temporary folder, since a deployed
 * package may be read-only.
 */
export const cacheFilePlaces = (name: string): string[] => [
  path.join(__dirname, '..', '..', '..', 'knowledge-cache', name),
  path.join(os.tmpdir(), 'directory-sync-assistant-knowledge', name),
];

/** The JSON of the first of `files` that can be read and parsed, if any. */
export function readFirstCacheFile(files: readonly string[]): unknown {
  for (const file of files) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    } catch {
      // Absent or damaged: the next place.
    }
  }
  return undefined;
}

/** Writes `text` to the first of `files` that can be written; false when none can. */
export function writeFirstCacheFile(files: readonly string[], text: string): boolean {
  for (const file of files) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // Written aside, then renamed: a process reading the file never sees half of it.
      const temporary = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, text);
      fs.renameSync(temporary, file);
      return true;
    } catch {
      // A read-only folder (a deployed package): the next one.
    }
  }
  return false;
}
