import type { Storage } from 'botbuilder';
import { BoundedMemoryStorage } from './boundedMemoryStorage';
import type { StorageSettings } from '../config';

// Each Azure client is loaded only when chosen: botbuilder-azure (Cosmos DB) and
// botbuilder-azure-blobs cost about 0.5 s of CPU at start-up (measured), which the others should not pay.
/* eslint-disable @typescript-eslint/no-require-imports */
const blobs = (): typeof import('botbuilder-azure-blobs') =>
  require('botbuilder-azure-blobs') as typeof import('botbuilder-azure-blobs');
const cosmos = (): typeof import('botbuilder-azure') =>
  require('botbuilder-azure') as typeof import('botbuilder-azure');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Two items a conversation (its state and its user's): the latest 5,000 or so conversations. */
export const MEMORY_STORAGE_MAX_ITEMS = 10_000;

/**
 * The state storage chosen by BOT_STORAGE: one process's memory (the latest MEMORY_STORAGE_MAX_ITEMS
 * items), Azure Blob Storage or Cosmos DB.
 */
export function createStateStorage(settings: StorageSettings): Storage {
  switch (settings.kind) {
    case 'memory':
      return new BoundedMemoryStorage(MEMORY_STORAGE_MAX_ITEMS);
    case 'blob':
      return new (blobs().BlobsStorage)(settings.connectionString, settings.container);
    case 'cosmos':
      return new (cosmos().CosmosDbPartitionedStorage)({
        cosmosDbEndpoint: settings.endpoint,
        authKey: settings.authKey,
        databaseId: settings.databaseId,
        containerId: settings.containerId,
      });
  }
}
