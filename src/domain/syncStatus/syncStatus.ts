/**
 * What the bot can measure about the tenant's directory synchronization, free of HTTP and of
 * Microsoft Graph's shapes: the conversation code asks a SyncStatusSource, and the Graph
 * implementation (graphSyncStatusSource.ts) is one such source.
 */

export type DirectoryObjectKind = 'user' | 'group' | 'contact';

/** One onPremisesProvisioningError: which property of the object conflicts, and with what value. */
export interface ProvisioningError {
  /** Graph documents one category today: PropertyConflict. */
  category: string;
  propertyCausingError: string;
  /** The conflicting value (a UPN or address): a detail, shown only to the details group. */
  value: string;
  occurredDateTime?: string;
}

/** How many objects of a kind have an error of a category on a property. */
export interface ErrorCount {
  kind: DirectoryObjectKind;
  category: string;
  property: string;
  count: number;
}

/** An object with provisioning errors: its name is a detail, shown only to the details group. */
export interface ObjectWithErrors {
  kind: DirectoryObjectKind;
  /** UPN for users, mail or display name for groups and contacts. */
  name: string;
  errors: ProvisioningError[];
}

export interface TenantSyncStatus {
  measuredAt: Date;
  /** onPremisesSyncEnabled: true synced; false no longer synced; null never synced. */
  syncEnabled: boolean | null;
  lastSyncDateTime: Date | null;
  /** Users + groups + contacts ($count); undefined when the count could not be read. */
  objectCount?: number;
  errorCounts: ErrorCount[];
  /** The first objects with errors (at most a few dozen), for the details group. */
  objectsWithErrors: ObjectWithErrors[];
  /** More objects had errors than were read (paging stopped at its bound). */
  errorsTruncated: boolean;
}

/** The asking person's own account. */
export interface AccountSyncStatus {
  syncEnabled: boolean | null;
  lastSyncDateTime: Date | null;
  errors: ProvisioningError[];
}

/** Where live sync facts come from. Each call may throw or time out: callers treat that as "not measured". */
export interface SyncStatusSource {
  /** The tenant's status; `fresh` skips the short cache ("Check the tenant now"). */
  tenant(options?: { fresh?: boolean }): Promise<TenantSyncStatus>;
  /** The account of this Entra object id, or undefined when there is no such user. */
  account(aadObjectId: string): Promise<AccountSyncStatus | undefined>;
  /** Whether this Entra object id is in the group allowed to see object names, UPNs and values. */
  mayViewDetails(aadObjectId: string): Promise<boolean>;
}

/** Who is asking, as far as the channel has proved it. */
export interface Asker {
  /** The Entra object id, only when the channel's identity is verified (Teams behind Bot Framework auth). */
  verifiedAadObjectId?: string;
}

/** Entra object ids are GUIDs: anything else never reaches a Graph URL. */
export function isEntraObjectId(value: unknown): value is string {
  return (
    typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  );
}
