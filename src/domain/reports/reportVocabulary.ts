import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { ErrorCatalog } from '../knowledge/schema';

/** The parts of one reported error that the reader looks for. */
export const REPORT_FIELDS = [
  'type',
  'attribute',
  'value',
  'upn',
  'mail',
  'displayName',
  'dn',
  'objectId',
  'identity',
  'time',
  'connector',
  'detail',
] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

const labels = z.record(z.string().regex(/^[a-z]{2}$/), z.array(z.string().min(1)));
const reportsSchema = z
  .object({
    limits: z
      .object({
        objectsOnCard: z.number().int().min(1).max(20),
        objectsPerPage: z.number().int().min(1).max(100),
        valuesPerSearch: z.number().int().min(1).max(200),
      })
      .strict(),
    fields: z
      .object(Object.fromEntries(REPORT_FIELDS.map((f) => [f, labels])) as Record<ReportField, typeof labels>)
      .strict(),
    typeNames: z.record(z.string(), z.array(z.string().min(1))),
    formatMarkers: z.object({ ssm: z.array(z.string().min(1)) }).strict(),
  })
  .strict();

export type ReportSettings = z.infer<typeof reportsSchema>;

/** Lower case, accents and everything but letters and digits off: "Error Type" = "error-type" = "ErrorType". */
export function foldLabel(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Everything the report parser knows, from knowledge/reports.yaml and errors.yaml: which label
 * names which field (in every language), and which names mean which error type.
 */
export class ReportVocabulary {
  private readonly fieldByLabel = new Map<string, ReportField>();
  private readonly typeByName = new Map<string, string>();
  private readonly attributeByName = new Map<string, string>();
  /** Every error type name (folded), longest first, for finding a type named inside a sentence. */
  readonly typeNamePattern: RegExp;
  readonly ssmMarkers: string[];

  constructor(
    readonly settings: ReportSettings,
    catalog: ErrorCatalog,
  ) {
    for (const field of REPORT_FIELDS) {
      for (const list of Object.values(settings.fields[field])) {
        for (const label of list) {
          const key = foldLabel(label);
          // The first field that claims a label keeps it: "name" stays the display name.
          if (!this.fieldByLabel.has(key)) this.fieldByLabel.set(key, field);
        }
      }
    }
    const names: string[] = [];
    for (const error of catalog.errors) {
      for (const name of [error.code, ...error.aliases, ...(settings.typeNames[error.code] ?? [])]) {
        this.typeByName.set(foldLabel(name), error.code);
        names.push(name);
      }
    }
    for (const [attribute, aliases] of Object.entries(catalog.attributes)) {
      for (const name of [attribute, ...aliases]) this.attributeByName.set(foldLabel(name), attribute);
    }
    const escaped = [...new Set(names)]
      .sort((a, b) => b.length - a.length)
      .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '[\\s_-]*'));
    this.typeNamePattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
    this.ssmMarkers = settings.formatMarkers.ssm.map((m) => m.toLowerCase());
  }

  get limits(): ReportSettings['limits'] {
    return this.settings.limits;
  }

  field(label: string): ReportField | undefined {
    return this.fieldByLabel.get(foldLabel(label));
  }

  /** The error type code a name stands for ("Attribute Value Must Be Unique", "PropertyConflict"). */
  type(name: string): string | undefined {
    return this.typeByName.get(foldLabel(name));
  }

  /** The first error type named somewhere in a sentence. */
  typeIn(text: string): string | undefined {
    const match = this.typeNamePattern.exec(text);
    return match ? this.type(match[0]) : undefined;
  }

  /** The attribute's name as errors.yaml spells it (ProxyAddress → proxyAddresses), if it is known. */
  attribute(name: string): string | undefined {
    return this.attributeByName.get(foldLabel(name));
  }
}

export class ReportVocabularyError extends Error {}

/** Reads knowledge/reports.yaml; every problem names the file and field. */
export function loadReportVocabulary(knowledgeDir: string, catalog: ErrorCatalog): ReportVocabulary {
  const file = path.join(knowledgeDir, 'reports.yaml');
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ReportVocabularyError(`${file}: cannot be read: ${(error as Error).message}`);
  }
  const result = reportsSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map(
      (i) => `  ${file}: ${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new ReportVocabularyError(`The report vocabulary is invalid:\n${problems.join('\n')}`);
  }
  for (const code of Object.keys(result.data.typeNames)) {
    if (!catalog.errors.some((e) => e.code === code))
      throw new ReportVocabularyError(`${file}: typeNames.${code}: not an error code of errors.yaml`);
  }
  return new ReportVocabulary(result.data, catalog);
}
