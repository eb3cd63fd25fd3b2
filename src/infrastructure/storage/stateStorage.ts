import { MemoryStorage, type Storage } from 'botbuilder';
import { CosmosDbPartitionedStorage } from 'botbuilder-azure';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import type { StorageSettings } from '../config';

/** The state storage chosen by BOT_STORAGE: one process's memory, Azure Blob Storage or Cosmos DB. */
export function createStateStorage(settings: StorageSettings): Storage {
  switch (settings.kind) {
    case 'memory':
      return new MemoryStorage();
    case 'blob':
      return new BlobsStorage(settings.connectionString, settings.container);
    case 'cosmos':
      return new CosmosDbPartitionedStorage({
        cosmosDbEndpoint: settings.endpoint,
        authKey: settings.authKey,
        databaseId: settings.databaseId,
        containerId: settings.containerId,
      });
  }
}
