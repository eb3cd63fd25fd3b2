import type { CardTemplates } from '../cards/cardTemplates';
import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import { Localizer } from '../language/localizer';
import type { StringKey } from '../language/stringKeys';
import { adSearchCommand } from '../reports/adSearch';
import { reportCsv } from '../reports/reportCsv';
import type { ReportVocabulary } from '../reports/reportVocabulary';
import type { ErrorGroup, ReportedError, ReportFormat, SyncErrorReport } from '../reports/syncErrorReport';
import type { Reply } from './replyBuilder';

/** One object line of a report, as kept between "Show all" pages (no file, only what the card shows). */
export interface ReportLine {
  object: string;
  detail: string;
  time: string;
}

/** A group as kept for paging: its heading and every object line. */
export interface ReportGroupLines {
  heading: string;
  lines: ReportLine[];
}

export interface ReportSummary {
  reply: Reply;
  /** Every group's lines, in the card's order, for "Show all". */
  groups: ReportGroupLines[];
  /** The CSV of all errors, when asked for. */
  csv?: { name: string; text: string };
}

const FORMAT_KEYS: Record<ReportFormat, StringKey> = {
  'graph-json': 'report.format.graphJson',
  powershell: 'report.format.powershell',
  email: 'report.format.email',
  csv: 'report.format.csv',
  ssm: 'report.format.ssm',
  unknown: 'report.format.unknown',
};

/**
 * Plain text from a report for places that may render markdown (fallback text, text-only
 * channels): every markdown and HTML character is escaped, so a report is shown, never rendered.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
  );
}

/** The replies of the sync error report reader: the summary card, its pages and the CSV. */
export class ReportReplies {
  constructor(
    private readonly kb: KnowledgeBase,
    private readonly cards: CardTemplates,
    readonly vocabulary: ReportVocabulary,
  ) {}

  summary(report: SyncErrorReport, language: string, withCsv: boolean): ReportSummary {
    const l = new Localizer(this.kb, language);
    const all = [...report.groups, ...report.unknownGroups];
    const shown = this.vocabulary.limits.objectsOnCard;
    const headingOf = (g: ErrorGroup) =>
      g.known ? this.label(g) : l.t('report.unknownHeading', { type: this.label(g) });
    const groups = all.map((g, index) => {
      const text = g.known ? this.kb.syncError(g.type, language) : undefined;
      const lines = g.errors.map((e) => this.line(e));
      const hidden = lines.length - shown;
      const link = g.known ? (this.kb.errorCatalog.errors.find((e) => e.code === g.type)?.link ?? '') : '';
      return {
        index,
        heading: `${headingOf(g)} (${g.objects.length})`,
        meaningLabel: l.t('report.meaning'),
        meaning: text?.meaning ?? (g.known ? '' : l.t('report.unknownText')),
        fixLabel: l.t('report.fix'),
        fix: text?.fix ?? '',
        objects: lines.slice(0, shown),
        more: hidden > 0 ? l.t('report.more', { count: String(hidden) }) : '',
        showAll: hidden > 0 ? l.t('report.showAll', { count: String(lines.length) }) : '',
        link,
        readMore: l.t('report.readMore'),
        allLines: lines,
      };
    });
    const counts = all.map((g) => ({ count: String(g.objects.length), label: headingOf(g) }));
    const search = adSearchCommand(all, this.vocabulary) ?? '';
    const values = {
      total: String(report.total),
      types: String(all.length),
      format: l.t(FORMAT_KEYS[report.format]),
    };
    const title = l.t('report.title', values);
    const intro = l.t('report.lead', values);
    const csvNote = withCsv ? l.t('report.csvAttached', values) : '';
    const plainText = [
      title,
      intro,
      ...groups.flatMap((g) => [
        '',
        escapeMarkdown(g.heading),
        g.meaning ? `${g.meaningLabel}: ${g.meaning}` : '',
        g.fix ? `${g.fixLabel}: ${g.fix}` : '',
        ...g.objects.map((o) => `- ${escapeMarkdown(`${o.object}${o.detail}${o.time}`)}`),
        g.more,
        g.link,
      ]),
      search ? `\n${l.t('report.searchHeading')}:\n${escapeMarkdown(search)}` : '',
      csvNote,
    ]
      .filter((p) => p !== '')
      .join('\n');
    const card = this.cards.expand('syncErrorReport', {
      title,
      intro,
      countsHeading: l.t('report.countsHeading'),
      counts,
      groups: groups.map(({ allLines: _unused, ...g }) => g),
      search,
      searchHeading: l.t('report.searchHeading'),
      searchHint: l.t('report.searchHint'),
      csvNote,
      fallbackText: plainText,
    });
    return {
      reply: { text: intro, card, plainText },
      groups: groups.map((g) => ({ heading: headingOf(all[g.index] as ErrorGroup), lines: g.allLines })),
      ...(withCsv
        ? {
            csv: {
              name: l.t('report.csvFile'),
              text: reportCsv(all, [
                l.t('report.column.type'),
                l.t('report.column.attribute'),
                l.t('report.column.object'),
                l.t('report.column.value'),
                l.t('report.column.time'),
              ]),
            },
          }
        : {}),
    };
  }

  /** "Show all": one page of a group's objects, with a button for the next page. */
  page(group: ReportGroupLines, groupIndex: number, page: number, language: string): Reply {
    const l = new Localizer(this.kb, language);
    const size = this.vocabulary.limits.objectsPerPage;
    const from = (page - 1) * size;
    const lines = group.lines.slice(from, from + size);
    const remaining = group.lines.length - (from + lines.length);
    const heading = l.t('report.page', {
      heading: group.heading,
      from: String(from + 1),
      to: String(from + lines.length),
      total: String(group.lines.length),
    });
    const plainText = [
      escapeMarkdown(heading),
      ...lines.map((o) => `- ${escapeMarkdown(`${o.object}${o.detail}${o.time}`)}`),
    ].join('\n');
    const card = this.cards.expand('syncErrorReportPage', {
      heading,
      objects: lines,
      showMore: remaining > 0 ? l.t('report.showMore', { count: String(Math.min(size, remaining)) }) : '',
      group: groupIndex,
      page: page + 1,
      fallbackText: plainText,
    });
    return { text: escapeMarkdown(heading), card, plainText };
  }

  /** "AttributeValueMustBeUnique · UserPrincipalName", or the type alone. */
  private label(group: ErrorGroup): string {
    return group.attribute ? `${group.type} · ${group.attribute}` : group.type;
  }

  private line(error: ReportedError): ReportLine {
    const attribute = error.attribute ?? '';
    const value = error.value ?? '';
    const detail = value && value !== error.object ? ` — ${attribute ? `${attribute}: ` : ''}${value}` : '';
    return { object: error.object, detail, time: error.time ? ` (${error.time})` : '' };
  }
}
