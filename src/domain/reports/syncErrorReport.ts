import { parse as parseCsv } from 'csv-parse/sync';
import { Parser as HtmlParser } from 'htmlparser2';
import type { ReportField, ReportVocabulary } from './reportVocabulary';

/** Where a report comes from, as contract.md §4 names it. */
export type ReportFormat = 'graph-json' | 'powershell' | 'email' | 'csv' | 'ssm' | 'unknown';

/** One object's error, as read from the report. */
export interface ReportedError {
  /** The export error's name as errors.yaml spells it, or the report's own name for an unknown type. */
  type: string;
  known: boolean;
  /** The attribute in conflict, as the report names it after normalizing (UserPrincipalName, ProxyAddresses). */
  attribute?: string;
  /** The object: UPN, mail, display name, DN or object id, whichever the report gives (in that order). */
  object: string;
  /** The conflicting or invalid value. */
  value?: string;
  /** When it happened, as the report writes it. */
  time?: string;
}

/** All errors of one type and attribute. */
export interface ErrorGroup {
  type: string;
  known: boolean;
  attribute?: string;
  errors: ReportedError[];
  /** The distinct objects with this error, in the report's order: the group's count. */
  objects: string[];
}

export interface SyncErrorReport {
  format: ReportFormat;
  /** Known error types, one group per type and attribute, the largest first. */
  groups: ErrorGroup[];
  /** Error types the bot does not know: listed, never dropped. */
  unknownGroups: ErrorGroup[];
  total: number;
  unknownCount: number;
}

/** What the reader was told about where the text came from (a file's kind). */
export type ReportSource = 'text' | 'html' | 'csv' | 'json';

type Record_ = Partial<Record<ReportField, string>>;
interface Row {
  cells: string[];
  /** Rows of one table share a number; lines of text have none. */
  table?: number;
}

const MAX_JSON_NODES = 200_000;
const MAX_CELL = 2_000;
/** "[ProxyAddresses SMTP:bob@contoso.com;]": the SSM and e-mail detail naming attribute and value. */
const DETAIL_ATTRIBUTE_VALUE = /\[\s*([A-Za-z][\w-]{1,60})\s+([^\];]{1,500}?)\s*;?\s*\]/;
/** "... in your local directory services: UserPrincipalName." */
const DETAIL_ATTRIBUTE_ONLY = /:\s*([A-Za-z][\w-]{2,60})\s*\.?\s*$/;
const FORMAT_TABLE_RULE = /^\s*-{2,}(?:\s+-{2,})+\s*$/;
const FORMAT_LIST_LINE = /^([A-Za-z][\w ().-]{0,60}?)\s{2,}:\s?(.*)$|^([A-Za-z][\w().-]{0,60})\s:\s(.*)$/;
const LABEL_LINE = /^\s*([^:\t]{1,60}?)\s*[:：]\s*(.*)$/;
const IDENTITY_PRIORITY: ReportField[] = [
  'upn',
  'mail',
  'identity',
  'displayName',
  'dn',
  'objectId',
  'connector',
];

const clean = (s: string): string =>
  s
    // eslint-disable-next-line no-control-regex -- control characters from a file are dropped
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_CELL);

/**
 * Reads a sync error report (Graph JSON, PowerShell list or table output, the error report
 * e-mail as text or HTML, Connect Health's CSV export, a Synchronization Service Manager export
 * error) into errors grouped by type and attribute. Plain TypeScript: no I/O, no Bot Framework.
 */
export function parseSyncErrorReport(
  input: string,
  vocabulary: ReportVocabulary,
  source: ReportSource = 'text',
): SyncErrorReport {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const reader = new RecordReader(vocabulary);
  let format: ReportFormat;
  const trimmed = text.trim();
  const json = source === 'json' || /^[[{]/.test(trimmed) ? tryJson(trimmed) : undefined;
  if (json !== undefined) {
    // PowerShell's ConvertTo-Json writes the SDK's PascalCase names; Graph itself writes camelCase.
    format = readJson(json, reader) ? 'powershell' : 'graph-json';
  } else if (source === 'html' || /<(table|html|body)[\s>]/i.test(trimmed)) {
    format = 'email';
    reader.readRows(htmlRows(text));
  } else {
    const lines = text.split('\n');
    const powershell =
      source !== 'csv' &&
      (lines.some((l) => FORMAT_TABLE_RULE.test(l)) ||
        lines.filter((l) => FORMAT_LIST_LINE.test(l) && vocabulary.field(l.split(':')[0] ?? '')).length >= 2);
    const csv = powershell ? undefined : csvRows(trimmed, vocabulary, source === 'csv');
    if (csv) {
      format = 'csv';
      reader.readRows(csv);
    } else {
      const lower = text.toLowerCase();
      format = powershell
        ? 'powershell'
        : vocabulary.ssmMarkers.some((m) => lower.includes(m))
          ? 'ssm'
          : 'email';
      reader.readRows(textRows(lines));
    }
  }
  return summarize(format, reader.errors(reader.finish()));
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Graph users (or PowerShell's ConvertTo-Json of them) with onPremisesProvisioningErrors, or rows of fields. */
function readJson(root: unknown, reader: RecordReader): boolean {
  const stack: unknown[] = [root];
  let visited = 0;
  let pascalCase = false;
  while (stack.length > 0 && visited++ < MAX_JSON_NODES) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    const entries = Object.entries(node as Record<string, unknown>);
    const errorsKey = entries.find(([k]) => k.toLowerCase() === 'onpremisesprovisioningerrors');
    const owner: Record_ = {};
    for (const [key, value] of entries) {
      const field = reader.vocabulary.field(key);
      if (field && field !== 'type' && (typeof value === 'string' || typeof value === 'number'))
        owner[field] ??= clean(String(value));
    }
    if (errorsKey && Array.isArray(errorsKey[1])) {
      pascalCase ||= errorsKey[0].startsWith('O');
      for (const error of errorsKey[1]) {
        if (!error || typeof error !== 'object') continue;
        const record: Record_ = { ...owner };
        for (const [key, value] of Object.entries(error as Record<string, unknown>)) {
          const field = reader.vocabulary.field(key);
          if (field && (typeof value === 'string' || typeof value === 'number'))
            record[field] = clean(String(value));
        }
        reader.add(record);
      }
      continue;
    }
    // A flat object that names an error type and an object or attribute (an exported row).
    const typeEntry = entries.find(
      ([k, v]) => reader.vocabulary.field(k) === 'type' && typeof v === 'string',
    );
    if (typeEntry && (IDENTITY_PRIORITY.some((f) => owner[f]) || owner.attribute)) {
      reader.add({ ...owner, type: clean(typeEntry[1] as string) });
      continue;
    }
    for (const [, value] of entries.reverse()) if (value && typeof value === 'object') stack.push(value);
  }
  return pascalCase;
}

/** A CSV (comma, semicolon or tab) whose header row names at least two report fields. */
function csvRows(text: string, vocabulary: ReportVocabulary, isCsvFile: boolean): Row[] | undefined {
  const firstLine = text.split('\n', 1)[0] ?? '';
  const delimiters = isCsvFile ? [',', ';', '\t'] : [',', ';'];
  const delimiter = delimiters
    .map((d) => ({ d, n: firstLine.split(d).length - 1 }))
    .sort((a, b) => b.n - a.n)[0];
  if (!delimiter || delimiter.n < 1) return undefined;
  const cells = firstLine.split(delimiter.d).map((h) => h.trim().replace(/^"|"$/g, ''));
  const named = cells.filter((h) => h.length <= 60 && vocabulary.field(h)).length;
  // A header row: most of its cells are column names the vocabulary knows.
  if (named < 2 || named * 2 < cells.length) return undefined;
  try {
    const records = parseCsv(text, {
      delimiter: delimiter.d,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
    }) as string[][];
    return records.map((cells) => ({ cells, table: 1 }));
  } catch {
    return undefined;
  }
}

/** Lines of text; PowerShell's Format-Table columns and tab-separated lines become table rows. */
function textRows(lines: string[]): Row[] {
  const rows: Row[] = [];
  let table = 100;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const next = lines[i + 1];
    if (next !== undefined && FORMAT_TABLE_RULE.test(next) && line.trim()) {
      // Format-Table: the dashes under each header give the columns' positions.
      const spans = [...next.matchAll(/-+/g)].map((m) => m.index);
      const cut = (l: string) =>
        spans.map((start, k) => l.slice(start, k + 1 < spans.length ? spans[k + 1] : undefined).trim());
      table++;
      rows.push({ cells: cut(line), table });
      i += 2;
      for (; i < lines.length && (lines[i] as string).trim(); i++)
        rows.push({ cells: cut(lines[i] as string), table });
      continue;
    }
    if (line.includes('\t')) {
      if (!lines[i - 1]?.includes('\t')) table++;
      rows.push({ cells: line.split('\t'), table });
    } else rows.push({ cells: [line] });
  }
  return rows;
}

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'br',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'table',
  'hr',
  'pre',
]);

/** An HTML e-mail as rows: each table row's cells, and each paragraph outside tables as a line. */
function htmlRows(html: string): Row[] {
  const rows: Row[] = [];
  let table = 200;
  let tableDepth = 0;
  let cells: string[] | undefined;
  let cell: string | undefined;
  let line = '';
  let skip = 0;
  const flushLine = () => {
    for (const l of line.split('\n')) if (l.trim()) rows.push({ cells: [l] });
    line = '';
  };
  const parser = new HtmlParser(
    {
      onopentag(name) {
        if (name === 'script' || name === 'style' || name === 'head' || name === 'title') skip++;
        else if (name === 'table') {
          flushLine();
          tableDepth++;
          table++;
        } else if (name === 'tr') cells = [];
        else if (name === 'td' || name === 'th') cell = '';
        else if (BLOCK_TAGS.has(name)) {
          if (cell !== undefined) cell += ' ';
          else flushLine();
        }
      },
      ontext(data) {
        if (skip) return;
        if (cell !== undefined) cell += data;
        else if (tableDepth === 0) line += data;
      },
      onclosetag(name) {
        if (name === 'script' || name === 'style' || name === 'head' || name === 'title')
          skip = Math.max(0, skip - 1);
        else if ((name === 'td' || name === 'th') && cells && cell !== undefined) {
          cells.push(cell);
          cell = undefined;
        } else if (name === 'tr' && cells) {
          if (cells.some((c) => c.trim())) rows.push({ cells, table });
          cells = undefined;
        } else if (name === 'table') tableDepth = Math.max(0, tableDepth - 1);
        else if (BLOCK_TAGS.has(name) && cell === undefined) flushLine();
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  flushLine();
  return rows;
}

/**
 * Turns rows into records: a header row names the columns of the rows under it; "label: value"
 * lines and two-cell rows fill one record until a label repeats; a line that is only an error
 * type's name is the type of the records after it (e-mails group objects under a heading).
 */
class RecordReader {
  private readonly records: Record_[] = [];
  private current: Record_ = {};
  private lastField?: ReportField;
  private header?: { table: number; fields: (ReportField | undefined)[] };
  private heading?: string;

  constructor(readonly vocabulary: ReportVocabulary) {}

  add(record: Record_): void {
    this.records.push(record);
  }

  readRows(rows: Row[]): void {
    for (const row of rows) {
      const cells = row.cells.map(clean);
      if (row.table !== undefined && cells.length >= 2) {
        if (this.header?.table === row.table) {
          this.fromHeader(cells);
          continue;
        }
        const fields = cells.map((c) => (c.length <= 60 ? this.vocabulary.field(c) : undefined));
        if (fields.filter(Boolean).length >= 2 && new Set(fields.filter(Boolean)).size >= 2) {
          this.flush();
          this.header = { table: row.table, fields };
          continue;
        }
        const field = this.vocabulary.field(cells[0] as string);
        if (field && cells.length === 2) {
          this.set(field, cells[1] as string);
          continue;
        }
      }
      this.readLine(cells.filter(Boolean).join(' '));
    }
  }

  finish(): Record_[] {
    this.flush();
    return this.records;
  }

  private fromHeader(cells: string[]): void {
    const record: Record_ = {};
    this.header?.fields.forEach((field, i) => {
      const value = cells[i];
      if (field && value) record[field] ??= value;
    });
    if (this.heading && !record.type) record.type = this.heading;
    this.records.push(record);
  }

  private readLine(line: string): void {
    if (!line) {
      // A blank line ends a complete record (Format-List and e-mails put one between objects).
      const named = IDENTITY_PRIORITY.some((f) => this.current[f] !== undefined);
      if (named && (this.current.type !== undefined || this.heading)) this.flush();
      return;
    }
    const label = LABEL_LINE.exec(line);
    const field = label ? this.vocabulary.field(label[1] as string) : undefined;
    if (label && field) {
      this.set(field, (label[2] as string).trim());
      return;
    }
    // A heading that is only an error type's name ("AttributeValueMustBeUnique (3)").
    const bare = line.replace(/\(\s*\d+\s*\)|:$/g, '').trim();
    const type = this.vocabulary.type(bare);
    if (type) {
      this.flush();
      this.heading = bare;
      return;
    }
    if (this.lastField === 'detail' || this.lastField === 'value') {
      this.current[this.lastField] = clean(`${this.current[this.lastField] ?? ''} ${line}`);
    }
  }

  private set(field: ReportField, value: string): void {
    if (this.current[field] !== undefined && field !== 'detail') this.flush();
    if (field === 'detail' && this.current.detail)
      this.current.detail = clean(`${this.current.detail} ${value}`);
    else this.current[field] = value;
    this.lastField = field;
  }

  private flush(): void {
    if (Object.keys(this.current).length > 0) {
      if (this.heading && !this.current.type) this.current.type = this.heading;
      this.records.push(this.current);
    }
    this.current = {};
    this.lastField = undefined;
  }

  /** The records that are errors, with their type, attribute and value worked out. */
  errors(records: Record_[]): ReportedError[] {
    const seen = new Set<string>();
    const errors: ReportedError[] = [];
    for (const record of records) {
      const error = this.toError(record);
      if (!error) continue;
      const key = JSON.stringify([error.type, error.attribute, error.object, error.value]);
      if (seen.has(key)) continue;
      seen.add(key);
      errors.push(error);
    }
    return errors;
  }

  private toError(record: Record_): ReportedError | undefined {
    const identityField = IDENTITY_PRIORITY.find((f) => record[f]);
    const detail = record.detail ?? '';
    const named = record.type
      ? (this.vocabulary.type(record.type) ?? this.vocabulary.typeIn(record.type))
      : undefined;
    const type = named ?? (detail ? this.vocabulary.typeIn(detail) : undefined);
    // Not an error: an e-mail's date line, a signature, a table of something else.
    if (!type) {
      // An unknown type counts when it belongs to a named object: listed, never dropped.
      if ((!record.type && !detail) || !identityField || identityField === 'connector') return undefined;
    } else if (!identityField && !record.value && !record.attribute) return undefined;
    const fromDetail = DETAIL_ATTRIBUTE_VALUE.exec(detail);
    const rawAttribute =
      record.attribute ?? fromDetail?.[1] ?? (detail ? DETAIL_ATTRIBUTE_ONLY.exec(detail)?.[1] : undefined);
    const value = record.value ?? fromDetail?.[2];
    const object = identityField ? (record[identityField] as string) : (value as string);
    const isGraphConflict = record.type !== undefined && /^property\s*conflict$/i.test(record.type.trim());
    return {
      type: type ?? record.type ?? 'unknown',
      known: type !== undefined,
      ...(rawAttribute ? { attribute: this.attributeName(rawAttribute, isGraphConflict) } : {}),
      object,
      ...(value ? { value } : {}),
      ...(record.time ? { time: record.time } : {}),
    };
  }

  /** Graph's propertyCausingError stays as Graph writes it (contract §4); others as errors.yaml spells them, capitalized. */
  private attributeName(raw: string, verbatim: boolean): string {
    if (verbatim) return raw;
    const known = this.vocabulary.attribute(raw);
    const name = known ?? raw;
    return name.charAt(0).toUpperCase() + name.slice(1);
  }
}

function summarize(format: ReportFormat, errors: ReportedError[]): SyncErrorReport {
  const groups = new Map<string, ErrorGroup>();
  const seenObjects = new Map<ErrorGroup, Set<string>>();
  for (const error of errors) {
    const key = `${error.known ? 'k' : 'u'}\u0000${error.type}\u0000${error.attribute ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        type: error.type,
        known: error.known,
        ...(error.attribute ? { attribute: error.attribute } : {}),
        errors: [],
        objects: [],
      };
      groups.set(key, group);
    }
    group.errors.push(error);
    const seen = seenObjects.get(group) ?? new Set<string>();
    seenObjects.set(group, seen);
    if (!seen.has(error.object)) {
      seen.add(error.object);
      group.objects.push(error.object);
    }
  }
  const sorted = [...groups.values()].sort(
    (a, b) =>
      b.objects.length - a.objects.length ||
      b.errors.length - a.errors.length ||
      a.type.localeCompare(b.type),
  );
  const unknownGroups = sorted.filter((g) => !g.known);
  return {
    format,
    groups: sorted.filter((g) => g.known),
    unknownGroups,
    total: errors.length,
    unknownCount: unknownGroups.reduce((n, g) => n + g.errors.length, 0),
  };
}

/** The shortest text worth reading as a report; shorter messages are questions. */
const MIN_REPORT_LENGTH = 40;

/**
 * A cheap test before topic recognition: is this message a pasted report? It must have the
 * shape of one (several lines, JSON or HTML), name an error type the bot knows or Graph's
 * PropertyConflict, and parse to at least one error. "What does InvalidSoftMatch mean?" is not.
 */
export function looksLikeSyncErrorReport(text: string, vocabulary: ReportVocabulary): boolean {
  const trimmed = text.trim();
  if (trimmed.length < MIN_REPORT_LENGTH) return false;
  const structured =
    /^[[{]/.test(trimmed) ||
    /<table[\s>]/i.test(trimmed) ||
    trimmed.split('\n').filter((l) => l.trim()).length >= 2;
  if (!structured || !vocabulary.typeIn(trimmed)) return false;
  return parseSyncErrorReport(trimmed, vocabulary).total > 0;
}
