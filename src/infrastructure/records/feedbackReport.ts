import { pendingTickets } from '../../domain/helpdesk/ticket';

export interface TopicScore {
  topicId: string;
  language: string;
  helpful: number;
  notHelpful: number;
}

export interface UnansweredQuestion {
  text: string;
  language: string;
  count: number;
}

export interface FeedbackReport {
  topics: TopicScore[];
  unanswered: UnansweredQuestion[];
  tickets: { total: number; pending: number };
}

/** Folds case, punctuation and spacing so the same question typed twice counts as one. */
function questionKey(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}[\]@ ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Per topic and language, how often answers helped; the most frequent unanswered questions. */
export function buildReport(
  feedback: Record<string, unknown>[],
  gaps: Record<string, unknown>[],
  tickets: Record<string, unknown>[],
  topUnanswered = 20,
): FeedbackReport {
  const topics = new Map<string, TopicScore>();
  for (const record of feedback) {
    if (typeof record.topicId !== 'string' || typeof record.language !== 'string') continue;
    const key = `${record.topicId}\t${record.language}`;
    const score = topics.get(key) ?? {
      topicId: record.topicId,
      language: record.language,
      helpful: 0,
      notHelpful: 0,
    };
    if (record.helpful === true) score.helpful++;
    else if (record.helpful === false) score.notHelpful++;
    topics.set(key, score);
  }
  const questions = new Map<string, UnansweredQuestion>();
  for (const record of gaps) {
    if (typeof record.text !== 'string' || typeof record.language !== 'string') continue;
    const key = `${record.language}\t${questionKey(record.text)}`;
    const entry = questions.get(key) ?? { text: record.text, language: record.language, count: 0 };
    entry.count++;
    questions.set(key, entry);
  }
  return {
    topics: [...topics.values()].sort(
      (a, b) => a.topicId.localeCompare(b.topicId) || a.language.localeCompare(b.language),
    ),
    unanswered: [...questions.values()]
      .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
      .slice(0, topUnanswered),
    tickets: {
      total: tickets.filter((t) => t.event === 'created').length,
      pending: pendingTickets(tickets).length,
    },
  };
}

/** The report as a terminal table. */
export function formatReport(report: FeedbackReport, source: string): string {
  const lines = [`Feedback report (${source})`, ''];
  lines.push('Answers rated, per topic and language');
  if (!report.topics.length) lines.push('  (no feedback yet)');
  else {
    lines.push(
      `  ${'topic'.padEnd(24)} ${'lang'.padEnd(5)} ${'helped'.padStart(6)} ${'not'.padStart(5)} ${'rate'.padStart(6)}`,
    );
    for (const t of report.topics) {
      const total = t.helpful + t.notHelpful;
      const rate = total ? `${Math.round((100 * t.helpful) / total)}%` : '-';
      lines.push(
        `  ${t.topicId.padEnd(24)} ${t.language.padEnd(5)} ${String(t.helpful).padStart(6)} ${String(t.notHelpful).padStart(5)} ${rate.padStart(6)}`,
      );
    }
  }
  lines.push('', 'Most frequent unanswered questions');
  if (!report.unanswered.length) lines.push('  (none)');
  for (const q of report.unanswered)
    lines.push(`  ${String(q.count).padStart(4)}x  [${q.language}] ${q.text}`);
  lines.push(
    '',
    `Helpdesk tickets: ${report.tickets.total} created, ${report.tickets.pending} not yet delivered`,
  );
  return lines.join('\n');
}
