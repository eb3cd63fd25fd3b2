import fs from 'node:fs';
import path from 'node:path';

/** The kinds of record the bot keeps, each its own append-only log. */
export type RecordKind = 'feedback' | 'gaps' | 'tickets' | 'transcripts';

/** An append-only log of JSON records per kind: feedback, knowledge gaps, tickets, transcripts. */
export interface RecordStore {
  append(kind: RecordKind, record: object): Promise<void>;
  /** Every record of a kind, oldest first. */
  read(kind: RecordKind): Promise<Record<string, unknown>[]>;
  /** Where the records are, for logs and `npm run report`. */
  readonly location: string;
}

/**
 * JSON lines under a folder, a file per kind and day (feedback/2026-11-25.jsonl). Appends of one
 * short line are atomic on local file systems, so several processes may share the folder.
 */
export class FileRecordStore implements RecordStore {
  constructor(private readonly dir: string) {}

  get location(): string {
    return this.dir;
  }

  async append(kind: RecordKind, record: object): Promise<void> {
    const folder = path.join(this.dir, kind);
    await fs.promises.mkdir(folder, { recursive: true });
    const file = path.join(folder, `${new Date().toISOString().slice(0, 10)}.jsonl`);
    await fs.promises.appendFile(file, `${JSON.stringify(record)}\n`, 'utf8');
  }

  async read(kind: RecordKind): Promise<Record<string, unknown>[]> {
    const folder = path.join(this.dir, kind);
    if (!fs.existsSync(folder)) return [];
    const files = (await fs.promises.readdir(folder)).filter((f) => f.endsWith('.jsonl')).sort();
    const records: Record<string, unknown>[] = [];
    for (const file of files) {
      records.push(...parseLines(await fs.promises.readFile(path.join(folder, file), 'utf8')));
    }
    return records;
  }
}

/** Parses JSON lines, skipping a torn or hand-edited line rather than losing the whole log. */
export function parseLines(text: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value))
        records.push(value as Record<string, unknown>);
    } catch {
      // a partly written line: skipped
    }
  }
  return records;
}

/** Records in this process only: for tests and tools; gone when the process ends. */
export class MemoryRecordStore implements RecordStore {
  private readonly records = new Map<RecordKind, Record<string, unknown>[]>();
  readonly location = 'memory';

  async append(kind: RecordKind, record: object): Promise<void> {
    const list = this.records.get(kind) ?? [];
    list.push(JSON.parse(JSON.stringify(record)) as Record<string, unknown>);
    this.records.set(kind, list);
  }

  async read(kind: RecordKind): Promise<Record<string, unknown>[]> {
    return [...(this.records.get(kind) ?? [])];
  }
}
