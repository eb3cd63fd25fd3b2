import type { Activity, TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from './dialogLibrary';
import type { CommandContext } from '../domain/language/commandRecognizer';
import { z } from 'zod';
import { downloadReportFile, isAllowedFileUrl, reportFilesOf } from './reportAttachments';
import { readReportFile } from '../domain/reports/reportFile';
import {
  looksLikeSyncErrorReport,
  parseSyncErrorReport,
  type ReportSource,
  type SyncErrorReport,
} from '../domain/reports/syncErrorReport';
import type { ReportGroupLines } from '../domain/replies/reportReplies';
import { type AssistantServices, turnLanguage } from './assistantServices';
import { sendReply, toActivity } from './replyActivity';
import { WaitingDialog } from './waitingDialog';
import type { StringKey } from '../domain/language/stringKeys';

/** Channels that take a file from the bot (a data: URL attachment): the CSV of all errors goes there. */
const CSV_CHANNELS = new Set(['webchat', 'directline', 'emulator']);
/** A CSV larger than this stays out of the message (Direct Line takes activities up to about 256 KB). */
const MAX_CSV_BYTES = 150 * 1024;
/** Object lines kept between turns for "Show all"; the file itself is never kept. */
const MAX_KEPT_LINES = 5_000;

/** "Show all" on the report card, validated like every card submission. */
const pageRequestSchema = z.object({
  action: z.literal('reportPage'),
  group: z.coerce.number().int().min(0).max(1000),
  page: z.coerce.number().int().min(1).max(10_000),
});

interface ReportDialogState {
  groups: ReportGroupLines[];
}

export interface SyncErrorReportTraceValue {
  format: string;
  errors: { type: string; attribute?: string; count: number; objects: string[] }[];
  unknown: number;
}

/**
 * A message that is a sync error report (pasted text that reads as one, or a file) or a "Show
 * all" click: the report reader takes it instead of the topic recognizer. A question that only
 * names an error type is not a report.
 */
export function isForReportReader(services: AssistantServices, activity: Partial<Activity>): boolean {
  if (pageRequestSchema.safeParse(activity.value).success) return true;
  if (reportFilesOf(activity).length > 0) return true;
  const text = activity.text ?? '';
  return looksLikeSyncErrorReport(text, services.reports.replies.vocabulary);
}

/**
 * Reads a sync error report and answers with one summary card: the count per error type and
 * attribute, what each means, its fix and link, the first objects, a PowerShell search, and the
 * CSV of all errors where the channel takes files. Waits for "Show all" (paged messages); any
 * other message ends it, to be handled as a new message.
 */
export class SyncErrorReportDialog extends WaitingDialog<object, ReportDialogState> {
  static readonly id = 'syncErrorReportDialog';

  constructor(services: AssistantServices) {
    super(SyncErrorReportDialog.id, services);
  }

  /** It waits for a button ("Show all"): nothing typed is read as a reply to it. */
  awaitedReplies(): CommandContext {
    return {};
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { context } = dc;
    const language = this.language(dc);
    await this.trace(dc, 'syncErrorReport');
    if (pageRequestSchema.safeParse(context.activity.value).success) {
      // "Show all" on the card of a report this conversation no longer holds.
      await this.say(context, 'report.pageGone');
      return this.done(dc);
    }
    const input = await this.readInput(context);
    if (!input) return this.done(dc);
    const { reports } = this.services;
    let report: SyncErrorReport;
    try {
      report = parseSyncErrorReport(input.text, reports.replies.vocabulary, input.source);
    } catch (error) {
      // A text no reader expected: the user hears why, the turn goes on.
      this.services.logger.warn('sync error report unreadable', { error: (error as Error).message });
      await this.say(context, 'report.file.garbled');
      return this.done(dc);
    }
    await context.sendTraceActivity(
      'SyncErrorReport',
      reportTrace(report),
      'syncErrorReport',
      'Sync error report',
    );
    this.services.logger.info('sync error report read', {
      format: report.format,
      errors: report.total,
      unknown: report.unknownCount,
      groups: report.groups.length + report.unknownGroups.length,
    });
    if (report.total === 0) {
      await this.say(context, 'report.noErrors');
      return this.done(dc);
    }
    const channel = context.activity.channelId;
    const summary = reports.replies.summary(report, language, CSV_CHANNELS.has(channel));
    const activity = toActivity(summary.reply, channel);
    const csv = summary.csv && Buffer.byteLength(summary.csv.text) <= MAX_CSV_BYTES ? summary.csv : undefined;
    if (csv) {
      activity.attachments = [
        ...(activity.attachments ?? []),
        {
          contentType: 'text/csv',
          name: csv.name,
          contentUrl: `data:text/csv;charset=utf-8;base64,${Buffer.from(csv.text, 'utf8').toString('base64')}`,
        },
      ];
    }
    await context.sendActivity(activity);
    const paged = summary.groups.some(
      (g) => g.lines.length > reports.replies.vocabulary.limits.objectsOnCard,
    );
    if (!paged) return this.done(dc);
    let budget = MAX_KEPT_LINES;
    const groups = summary.groups.map((g) => {
      const lines = g.lines.slice(0, Math.max(0, budget));
      budget -= lines.length;
      return { heading: g.heading, lines };
    });
    return this.wait(dc, { groups });
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { context } = dc;
    const request = pageRequestSchema.safeParse(context.activity.value);
    if (!request.success) return this.unrelated(dc);
    const language = this.language(dc);
    await this.trace(dc, 'reportPage');
    const group = this.state(dc).groups[request.data.group];
    const size = this.services.reports.replies.vocabulary.limits.objectsPerPage;
    if (!group || (request.data.page - 1) * size >= group.lines.length) {
      await this.say(context, 'report.pageGone');
      return Dialog.EndOfTurn;
    }
    await this.reply(
      dc,
      this.services.reports.replies.page(group, request.data.group, request.data.page, language),
    );
    return Dialog.EndOfTurn;
  }

  /** The report's text: the message, or its file, checked and read; undefined once the user was told why not. */
  private async readInput(context: TurnContext): Promise<{ text: string; source: ReportSource } | undefined> {
    const [file] = reportFilesOf(context.activity);
    if (!file) return { text: context.activity.text ?? '', source: 'text' };
    const settings = this.services.reports.settings;
    if (!isAllowedFileUrl(file.url, context.activity, settings.downloadHosts)) {
      this.services.logger.warn('report file refused: host not allowed', {
        channel: context.activity.channelId,
      });
      await this.say(context, 'report.file.hostNotAllowed');
      return undefined;
    }
    const download = await downloadReportFile(file.url, settings);
    if (!download.ok) {
      await this.say(context, `report.file.${download.problem}`);
      return undefined;
    }
    const reading = await readReportFile(download.bytes, file.name, file.contentType, settings.maxBytes);
    if (!reading.ok) {
      await this.say(context, `report.file.${reading.problem}`);
      return undefined;
    }
    return { text: reading.text, source: reading.source };
  }

  private async say(context: TurnContext, key: StringKey): Promise<void> {
    const bytes = this.services.reports.settings.maxBytes;
    const limit =
      bytes >= 1024 * 1024
        ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
        : `${Math.round(bytes / 1024)} KB`;
    await sendReply(context, this.services.replies.say(turnLanguage(context), key, { limit }));
  }
}

/** The trace of contract.md §4: per known type and attribute its object count and objects; unknown types counted. */
export function reportTrace(report: SyncErrorReport): SyncErrorReportTraceValue {
  return {
    format: report.format,
    errors: report.groups.map((g) => ({
      type: g.type,
      ...(g.attribute ? { attribute: g.attribute } : {}),
      count: g.objects.length,
      objects: g.objects,
    })),
    unknown: report.unknownCount,
  };
}
