import type { ReportSource } from './syncErrorReport';

/** Why a file cannot be read; each has its own message (strings.yaml report.file.*). */
export type ReportFileProblem = 'tooLarge' | 'empty' | 'binary' | 'garbled' | 'unsupported';

export type ReportFileReading =
  { ok: true; text: string; source: ReportSource } | { ok: false; problem: ReportFileProblem };

/** The file kinds the reader takes, by extension: the error report e-mail, its exports, PowerShell output. */
const KINDS: Record<string, ReportSource | 'eml'> = {
  txt: 'text',
  log: 'text',
  csv: 'csv',
  json: 'json',
  eml: 'eml',
  html: 'html',
  htm: 'html',
};
const TEXT_TYPES: Record<string, ReportSource | 'eml'> = {
  'text/plain': 'text',
  'text/csv': 'csv',
  'application/json': 'json',
  'message/rfc822': 'eml',
  'text/html': 'html',
};
/** Files that start like this are binary, whatever they are called (zip/docx/xlsx, PDF, images, OLE). */
const MAGIC = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x25, 0x50, 0x44, 0x46],
  [0x89, 0x50, 0x4e, 0x47],
  [0x47, 0x49, 0x46, 0x38],
  [0xff, 0xd8, 0xff],
  [0xd0, 0xcf, 0x11, 0xe0],
  [0x1f, 0x8b],
  [0x7f, 0x45, 0x4c, 0x46],
  [0x4d, 0x5a],
];
const SAMPLE = 8192;
/** More unreadable characters than this share of the text: garbled (a wrong encoding or a damaged file). */
const GARBLED_SHARE = 0.02;

export function reportFileKind(name: string, contentType = ''): ReportSource | 'eml' | undefined {
  const extension = /\.([a-z0-9]{1,8})$/i.exec(name.trim())?.[1]?.toLowerCase();
  if (extension) return KINDS[extension];
  return TEXT_TYPES[contentType.split(';')[0]?.trim().toLowerCase() ?? ''];
}

/**
 * Turns an uploaded file into text for the report parser, or says why it cannot: too large,
 * empty, binary, garbled or a kind it does not read. Handles UTF-8, UTF-16 (Windows PowerShell
 * writes files as UTF-16 with a byte order mark) and Windows-1252, and reads .eml with mailparser.
 * Nothing is written anywhere.
 */
export async function readReportFile(
  bytes: Uint8Array,
  name: string,
  contentType: string,
  maxBytes: number,
): Promise<ReportFileReading> {
  const kind = reportFileKind(name, contentType);
  if (bytes.length > maxBytes) return { ok: false, problem: 'tooLarge' };
  if (MAGIC.some((m) => m.every((b, i) => bytes[i] === b))) return { ok: false, problem: 'binary' };
  if (!kind) return { ok: false, problem: 'unsupported' };
  const decoded = decode(bytes);
  if (decoded === 'binary') return { ok: false, problem: 'binary' };
  if (!decoded.trim()) return { ok: false, problem: 'empty' };
  if (garbled(decoded)) return { ok: false, problem: 'garbled' };
  if (kind !== 'eml') return { ok: true, text: decoded, source: kind };
  try {
    // Loaded with the first e-mail: mailparser costs start-up time that most conversations never use.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { simpleParser } = require('mailparser') as typeof import('mailparser');
    const mail = await simpleParser(Buffer.from(bytes), { skipImageLinks: true, skipTextToHtml: true });
    if (typeof mail.html === 'string' && mail.html.trim())
      return { ok: true, text: mail.html, source: 'html' };
    if (mail.text?.trim()) return { ok: true, text: mail.text, source: 'text' };
    return { ok: false, problem: 'empty' };
  } catch {
    return { ok: false, problem: 'garbled' };
  }
}

function decode(bytes: Uint8Array): string | 'binary' {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const sample = bytes.subarray(0, SAMPLE);
  const zeros = sample.filter((b) => b === 0).length;
  if (zeros > 0) {
    // UTF-16 without a byte order mark: every other byte is zero in mostly-Latin text.
    const oddZeros = sample.filter((b, i) => i % 2 === 1 && b === 0).length;
    if (oddZeros > sample.length * 0.4) return new TextDecoder('utf-16le').decode(bytes);
    return 'binary';
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function garbled(text: string): boolean {
  const sample = text.slice(0, SAMPLE * 4);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what marks a garbled file
  const unreadable = sample.match(/[\uFFFD\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g)?.length ?? 0;
  return unreadable > sample.length * GARBLED_SHARE;
}
