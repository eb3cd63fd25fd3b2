import type { TenantCheck } from '../knowledge/schema';
import type { StringKey } from '../language/stringKeys';
import type { AccountSyncStatus, ErrorCount, TenantSyncStatus } from '../syncStatus/syncStatus';
import { type Conclusion, formatFact, type Fact } from './diagnosis';

/** One fact on the answer card, and where it came from. */
export interface FactRow {
  label: string;
  value: string;
  source: 'measured' | 'stated';
}

/** What a live tenant check means for one topic's answer. */
export interface TenantFindings {
  /** The topic's diagnosis fact, measured (it beats the one the user stated). */
  measuredFact?: Fact;
  /** Conclusions from the measurement itself (sync off, server silent, the asker's own account). */
  conclusions: Conclusion[];
  rows: FactRow[];
}

export interface TenantFindingsInput {
  check: TenantCheck;
  tenant: TenantSyncStatus;
  /** The asker's own account: only for a verified identity, only on topics where it matters. */
  account?: AccountSyncStatus;
  /** The asker is in the details group: object names, UPNs and values may be shown. */
  details: boolean;
  /** The fact the user's message stated, shown beside the measured one. */
  statedFact?: Fact;
  now: Date;
  locale: string;
  t: (key: StringKey, values?: Record<string, string>) => string;
}

const MAX_DETAIL_OBJECTS = 5;

/**
 * Turns a measurement into the card's facts and conclusions. Without `details`, nothing that names
 * an object (UPN, mail, display name, conflicting value) leaves this function.
 */
export function tenantFindings(input: TenantFindingsInput): TenantFindings {
  const { check, tenant, account, details, statedFact, now, locale, t } = input;
  const rows: FactRow[] = [];
  const conclusions: Conclusion[] = [];
  const measured = (label: string, value: string) => rows.push({ label, value, source: 'measured' });
  const sinceLastSync = tenant.lastSyncDateTime
    ? Math.max(0, Math.round((now.getTime() - tenant.lastSyncDateTime.getTime()) / 1000))
    : undefined;
  const when = (date: Date, seconds: number) =>
    t('syncStatus.ago', {
      elapsed: formatFact({ kind: 'elapsed', value: seconds }, locale),
      time: utc(date, locale),
    });

  measured(
    t('syncStatus.row.syncEnabled'),
    t(
      tenant.syncEnabled === true
        ? 'syncStatus.value.on'
        : tenant.syncEnabled === false
          ? 'syncStatus.value.off'
          : 'syncStatus.value.never',
    ),
  );
  if (tenant.lastSyncDateTime && sinceLastSync !== undefined)
    measured(t('syncStatus.row.lastSync'), when(tenant.lastSyncDateTime, sinceLastSync));
  measured(t('syncStatus.row.errors'), errorSummary(tenant.errorCounts, tenant.errorsTruncated, locale, t));
  if (check.fact === 'objectCount' && tenant.objectCount !== undefined)
    measured(t('syncStatus.row.objectCount'), new Intl.NumberFormat(locale).format(tenant.objectCount));
  if (details && tenant.objectsWithErrors.length) {
    const named = tenant.objectsWithErrors
      .slice(0, MAX_DETAIL_OBJECTS)
      .map((o) => `${o.name} (${o.errors.map((e) => identifier(e.propertyCausingError)).join(', ')})`);
    measured(t('syncStatus.row.errorObjects'), named.join('; '));
  }

  let measuredFact: Fact | undefined;
  if (tenant.syncEnabled !== true) {
    conclusions.push({ text: t('syncStatus.conclusion.syncOff'), severity: 'attention' });
  } else {
    if (check.fact === 'sinceLastSync' && sinceLastSync !== undefined)
      measuredFact = { kind: 'elapsed', value: sinceLastSync };
    if (check.fact === 'objectCount' && tenant.objectCount !== undefined)
      measuredFact = { kind: 'count', value: tenant.objectCount };
    if (check.serverSilentAfter !== undefined && sinceLastSync !== undefined) {
      const fact = formatFact({ kind: 'elapsed', value: sinceLastSync }, locale);
      conclusions.push(
        sinceLastSync >= check.serverSilentAfter
          ? { text: t('syncStatus.conclusion.serverSilent', { fact }), severity: 'attention' }
          : { text: t('syncStatus.conclusion.serverRunning', { fact }), severity: 'warning' },
      );
    }
  }

  if (check.ownAccount && account) {
    const synced = account.syncEnabled === true;
    const lastSync =
      account.lastSyncDateTime &&
      when(
        account.lastSyncDateTime,
        Math.max(0, Math.round((now.getTime() - account.lastSyncDateTime.getTime()) / 1000)),
      );
    measured(
      t('syncStatus.row.ownAccount'),
      synced
        ? t('syncStatus.value.accountSynced', {
            lastSync: lastSync || '—',
            errors: String(account.errors.length),
          })
        : t('syncStatus.value.accountCloudOnly'),
    );
    if (account.errors.length) {
      const first = account.errors[0];
      if (details && first) measured(t('syncStatus.row.conflict'), first.value);
      conclusions.push(
        details && first
          ? {
              // The value itself goes in a fact row (plain text), never in the conclusion (markdown).
              text: t('syncStatus.conclusion.ownErrorDetails', {
                property: identifier(first.propertyCausingError),
                category: identifier(first.category),
              }),
              severity: 'attention',
            }
          : {
              text: t('syncStatus.conclusion.ownErrorCount', { count: String(account.errors.length) }),
              severity: 'attention',
            },
      );
    }
  }

  if (statedFact)
    rows.push({ label: t('syncStatus.row.stated'), value: formatFact(statedFact, locale), source: 'stated' });
  return { ...(measuredFact ? { measuredFact } : {}), conclusions, rows };
}

/** "3 (userPrincipalName: 2, proxyAddresses: 1)", or "none". */
function errorSummary(
  counts: ErrorCount[],
  truncated: boolean,
  locale: string,
  t: TenantFindingsInput['t'],
): string {
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  if (total === 0) return t('syncStatus.value.noErrors');
  const byProperty = new Map<string, number>();
  for (const c of counts) byProperty.set(c.property, (byProperty.get(c.property) ?? 0) + c.count);
  const number = new Intl.NumberFormat(locale);
  const parts = [...byProperty]
    .sort((a, b) => b[1] - a[1])
    .map(([p, n]) => `${identifier(p)}: ${number.format(n)}`);
  return `${number.format(total)}${truncated ? '+' : ''} (${parts.join(', ')})`;
}

/** Graph's property and category names are identifiers; anything else is cut to its identifier characters. */
function identifier(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 64) || '?';
}

function utc(date: Date, locale: string): string {
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date)} UTC`;
}

/** The strongest severity first, the texts in order: one conclusion for the card. */
export function combineConclusions(conclusions: (Conclusion | undefined)[]): Conclusion | undefined {
  const present = conclusions.filter((c): c is Conclusion => c !== undefined);
  if (!present.length) return undefined;
  const rank = { good: 0, warning: 1, attention: 2 } as const;
  const severity = present.reduce<Conclusion['severity']>(
    (worst, c) => (rank[c.severity] > rank[worst] ? c.severity : worst),
    'good',
  );
  return { text: present.map((c) => c.text).join(' '), severity };
}
