import type { TokenCredential } from '@azure/identity';
import {
  Client,
  GraphError,
  ResponseType,
  RetryHandlerOptions,
  type GraphRequest,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { Logger } from '../logger';
import {
  isEntraObjectId,
  type AccountSyncStatus,
  type DirectoryObjectKind,
  type ErrorCount,
  type ObjectWithErrors,
  type ProvisioningError,
  type SyncStatusSource,
  type TenantSyncStatus,
} from '../../domain/syncStatus/syncStatus';

export interface GraphSyncStatusOptions {
  /** https://graph.microsoft.com, or a national cloud's Graph endpoint. */
  baseUrl: string;
  /** How long a measurement is reused; 0: never. */
  cacheSeconds: number;
  /** Each Graph call is abandoned after this long, retries included. */
  timeoutMs: number;
  /** The Entra group whose members may see object names, UPNs and values; empty: nobody. */
  detailsGroupId: string;
  /**
   * Extra options for every fetch: a proxy, or in tests an undici dispatcher that trusts the
   * local Graph fake's self-signed certificate.
   */
  fetchOptions?: Record<string, unknown>;
}

/** Pages of objects with errors read per kind (999 objects a page): enough for counts without a scan of a huge tenant. */
const MAX_ERROR_PAGES = 5;
const MAX_OBJECTS_KEPT = 50;
const MAX_CACHED_PEOPLE = 1000;
/** Retries on 429, 503 and 504; the client waits what Retry-After says, else 1 s, 2 s. */
const RETRY = { delaySeconds: 1, maxRetries: 2 };

/**
 * The tenant's sync status read from Microsoft Graph v1.0, read-only, with application
 * permissions (Organization.Read.All, User.Read.All, Group.Read.All, OrgContact.Read.All):
 * - GET /organization: onPremisesSyncEnabled, onPremisesLastSyncDateTime;
 * - GET /users|groups|contacts?$filter=onPremisesProvisioningErrors/any(e:e/category eq 'PropertyConflict')
 *   (a default, non-advanced filter for all three), paged through @odata.nextLink;
 * - GET /users|groups|contacts/$count with ConsistencyLevel: eventual (an advanced query);
 * - GET /users/{id} and POST /users/{id}/checkMemberGroups for the asking person.
 * Nothing read here is logged above debug level, and object data never at all.
 */
export class GraphSyncStatusSource implements SyncStatusSource {
  private readonly client: Client;
  private tenantCache?: { at: number; value: Promise<TenantSyncStatus> };
  private readonly accounts = new Map<
    string,
    { at: number; value: Promise<AccountSyncStatus | undefined> }
  >();
  private readonly members = new Map<string, { at: number; value: Promise<boolean> }>();

  constructor(
    credential: TokenCredential,
    private readonly options: GraphSyncStatusOptions,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    const base = new URL(options.baseUrl);
    this.client = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, {
        scopes: [`${base.origin}/.default`],
      }),
      baseUrl: `${base.origin}/`,
      defaultVersion: 'v1.0',
      // The client sends the token only to hosts it knows as Graph; a national cloud or a test
      // endpoint is named here.
      customHosts: new Set([base.hostname]),
      ...(options.fetchOptions ? { fetchOptions: options.fetchOptions } : {}),
    });
  }

  tenant(options: { fresh?: boolean } = {}): Promise<TenantSyncStatus> {
    const cached = this.tenantCache;
    if (!options.fresh && cached && this.isFresh(cached.at)) return cached.value;
    const value = this.readTenant();
    this.tenantCache = { at: this.now(), value };
    value.catch(() => {
      if (this.tenantCache?.value === value) this.tenantCache = undefined;
    });
    return value;
  }

  account(aadObjectId: string): Promise<AccountSyncStatus | undefined> {
    if (!isEntraObjectId(aadObjectId)) return Promise.resolve(undefined);
    return this.cached(this.accounts, aadObjectId, () => this.readAccount(aadObjectId));
  }

  mayViewDetails(aadObjectId: string): Promise<boolean> {
    if (!this.options.detailsGroupId || !isEntraObjectId(aadObjectId)) return Promise.resolve(false);
    return this.cached(this.members, aadObjectId, () => this.checkMembership(aadObjectId));
  }

  private async readTenant(): Promise<TenantSyncStatus> {
    const started = this.now();
    const [organization, users, groups, contacts, objectCount] = await Promise.all([
      this.get<{ value: OrganizationJson[] }>(
        this.request('/organization').select(['onPremisesSyncEnabled', 'onPremisesLastSyncDateTime']),
      ),
      this.objectsWithErrors('user'),
      this.objectsWithErrors('group'),
      this.objectsWithErrors('contact'),
      this.objectCount(),
    ]);
    const org = organization.value[0];
    const all = [...users.objects, ...groups.objects, ...contacts.objects];
    this.logger.debug('sync status measured', { ms: this.now() - started });
    return {
      measuredAt: new Date(this.now()),
      syncEnabled: org?.onPremisesSyncEnabled ?? null,
      lastSyncDateTime: parseDate(org?.onPremisesLastSyncDateTime),
      ...(objectCount !== undefined ? { objectCount } : {}),
      errorCounts: countErrors(all),
      objectsWithErrors: all.slice(0, MAX_OBJECTS_KEPT),
      errorsTruncated: users.truncated || groups.truncated || contacts.truncated,
    };
  }

  private async objectsWithErrors(
    kind: DirectoryObjectKind,
  ): Promise<{ objects: ObjectWithErrors[]; truncated: boolean }> {
    const select =
      kind === 'user'
        ? ['id', 'displayName', 'userPrincipalName', 'onPremisesProvisioningErrors']
        : ['id', 'displayName', 'mail', 'onPremisesProvisioningErrors'];
    let page = await this.get<CollectionJson<DirectoryObjectJson>>(
      this.request(`/${COLLECTION[kind]}`)
        .filter("onPremisesProvisioningErrors/any(e:e/category eq 'PropertyConflict')")
        .select(select)
        .top(999),
    );
    const objects: ObjectWithErrors[] = [];
    for (let pages = 1; ; pages++) {
      for (const o of page.value ?? []) {
        objects.push({
          kind,
          name: o.userPrincipalName || o.mail || o.displayName || o.id,
          errors: (o.onPremisesProvisioningErrors ?? []).map(toError),
        });
      }
      const next = page['@odata.nextLink'];
      if (!next) return { objects, truncated: false };
      if (pages >= MAX_ERROR_PAGES) return { objects, truncated: true };
      page = await this.get<CollectionJson<DirectoryObjectJson>>(this.request(next));
    }
  }

  /** Users + groups + contacts; undefined when any count fails (the quota advice then uses what the user said). */
  private async objectCount(): Promise<number | undefined> {
    try {
      const counts = await Promise.all(
        (['user', 'group', 'contact'] as const).map(async (kind) =>
          Number(
            await this.get<string>(
              this.request(`/${COLLECTION[kind]}/$count`)
                .header('ConsistencyLevel', 'eventual')
                .responseType(ResponseType.TEXT),
            ),
          ),
        ),
      );
      return counts.every(Number.isFinite) ? counts.reduce((a, b) => a + b, 0) : undefined;
    } catch (error) {
      this.logger.warn('sync status: object count failed', describe(error));
      return undefined;
    }
  }

  private async readAccount(id: string): Promise<AccountSyncStatus | undefined> {
    try {
      const user = await this.get<DirectoryObjectJson>(
        this.request(`/users/${encodeURIComponent(id)}`).select([
          'id',
          'onPremisesSyncEnabled',
          'onPremisesLastSyncDateTime',
          'onPremisesProvisioningErrors',
        ]),
      );
      return {
        syncEnabled: user.onPremisesSyncEnabled ?? null,
        lastSyncDateTime: parseDate(user.onPremisesLastSyncDateTime),
        errors: (user.onPremisesProvisioningErrors ?? []).map(toError),
      };
    } catch (error) {
      if (error instanceof GraphError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  private async checkMembership(id: string): Promise<boolean> {
    const result = await this.get<{ value?: string[] }>(
      this.request(`/users/${encodeURIComponent(id)}/checkMemberGroups`),
      { groupIds: [this.options.detailsGroupId] },
    );
    const wanted = this.options.detailsGroupId.toLowerCase();
    return (result.value ?? []).some((g) => g.toLowerCase() === wanted);
  }

  private request(path: string): GraphRequest {
    return this.client.api(path).middlewareOptions([
      // Retry-After is honoured, but a wait that would outlast this call's time-out is not begun:
      // the answer goes out without the measurement instead.
      new RetryHandlerOptions(
        RETRY.delaySeconds,
        RETRY.maxRetries,
        (_delay, _attempt, _request, _options, response) => retryAfterMs(response) < this.options.timeoutMs,
      ),
    ]);
  }

  /** GET (or POST with a body) with this call's time-out; failures are logged by status only. */
  private async get<T>(request: GraphRequest, body?: unknown): Promise<T> {
    request.option('signal', AbortSignal.timeout(this.options.timeoutMs));
    try {
      return (await (body === undefined ? request.get() : request.post(body))) as T;
    } catch (error) {
      this.logger.warn('sync status: Graph call failed', describe(error));
      throw error;
    }
  }

  private cached<T>(
    cache: Map<string, { at: number; value: Promise<T> }>,
    key: string,
    read: () => Promise<T>,
  ): Promise<T> {
    const hit = cache.get(key);
    if (hit && this.isFresh(hit.at)) return hit.value;
    if (cache.size >= MAX_CACHED_PEOPLE) {
      for (const [k, v] of cache) if (!this.isFresh(v.at)) cache.delete(k);
      if (cache.size >= MAX_CACHED_PEOPLE) cache.delete(cache.keys().next().value as string);
    }
    const value = read();
    cache.set(key, { at: this.now(), value });
    value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key);
    });
    return value;
  }

  private isFresh(at: number): boolean {
    return this.now() - at < this.options.cacheSeconds * 1000;
  }
}

const COLLECTION: Record<DirectoryObjectKind, string> = {
  user: 'users',
  group: 'groups',
  contact: 'contacts',
};

interface OrganizationJson {
  onPremisesSyncEnabled?: boolean | null;
  onPremisesLastSyncDateTime?: string | null;
}

interface CollectionJson<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

interface DirectoryObjectJson {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesLastSyncDateTime?: string | null;
  onPremisesProvisioningErrors?: ProvisioningErrorJson[] | null;
}

interface ProvisioningErrorJson {
  category?: string | null;
  occurredDateTime?: string | null;
  propertyCausingError?: string | null;
  value?: string | null;
}

function toError(e: ProvisioningErrorJson): ProvisioningError {
  return {
    category: e.category ?? 'unknown',
    propertyCausingError: e.propertyCausingError ?? 'unknown',
    value: e.value ?? '',
    ...(e.occurredDateTime ? { occurredDateTime: e.occurredDateTime } : {}),
  };
}

function countErrors(objects: ObjectWithErrors[]): ErrorCount[] {
  const counts = new Map<string, ErrorCount>();
  for (const o of objects) {
    for (const e of o.errors) {
      const key = `${o.kind}\u0000${e.category}\u0000${e.propertyCausingError}`;
      const entry = counts.get(key) ?? {
        kind: o.kind,
        category: e.category,
        property: e.propertyCausingError,
        count: 0,
      };
      entry.count++;
      counts.set(key, entry);
    }
  }
  return [...counts.values()];
}

/** The wait a 429 or 503 asks for (seconds or an HTTP date); 0 when it names none. */
function retryAfterMs(response: Response): number {
  const header = response.headers.get('Retry-After');
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : date - Date.now();
}

function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Only what says why a call failed: never a response body, which may hold object data. */
function describe(error: unknown): Record<string, unknown> {
  if (error instanceof GraphError) return { status: error.statusCode, code: error.code };
  if (error instanceof Error) return { error: error.name };
  return { error: 'unknown' };
}
