import type { SyncStatusSettings } from '../config';
import type { Logger } from '../logger';
import type { SyncStatusSource } from '../../domain/syncStatus/syncStatus';

/**
 * The live tenant check when SYNC_STATUS_CHECK=graph, else none. The credential is
 * DefaultAzureCredential: on App Service the managed identity (IDENTITY_ENDPOINT and
 * IDENTITY_HEADER, set by the platform), a user-assigned one by AZURE_CLIENT_ID, or a client
 * secret or certificate through AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET /
 * AZURE_CLIENT_CERTIFICATE_PATH.
 */
export function createSyncStatusSource(
  settings: SyncStatusSettings,
  logger: Logger,
  fetchOptions?: Record<string, unknown>,
): SyncStatusSource | undefined {
  if (!settings.enabled) return undefined;
  // Loaded only when the check is on: @azure/identity and the Graph client cost about 0.8 s of CPU
  // at start-up (measured), which a bot without the check should not pay.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
  const { GraphSyncStatusSource } =
    require('./graphSyncStatusSource') as typeof import('./graphSyncStatusSource');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const credential = new DefaultAzureCredential(
    settings.managedIdentityClientId ? { managedIdentityClientId: settings.managedIdentityClientId } : {},
  );
  return new GraphSyncStatusSource(
    credential,
    {
      baseUrl: settings.graphBaseUrl,
      cacheSeconds: settings.cacheSeconds,
      timeoutMs: settings.timeoutMs,
      detailsGroupId: settings.detailsGroupId,
      ...(fetchOptions ? { fetchOptions } : {}),
    },
    logger,
  );
}
