import type { Settings } from '../config';
import { FileRecordStore, type RecordStore } from './recordStore';

/** Blob storage when the state is in blob storage (every instance shares it), else files under DATA_DIR. */
export function createRecordStore(settings: Pick<Settings, 'storage' | 'dataDir'>): RecordStore {
  if (settings.storage.kind === 'blob') {
    // Loaded only for blob storage: @azure/storage-blob costs start-up time the others need not pay.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { BlobRecordStore } = require('./blobRecordStore') as typeof import('./blobRecordStore');
    return new BlobRecordStore(
      settings.storage.connectionString,
      recordsContainer(settings.storage.container),
    );
  }
  return new FileRecordStore(settings.dataDir);
}

/** The records' container beside the state's: "bot-state" → "bot-state-records" (at most 63 characters). */
export function recordsContainer(stateContainer: string): string {
  return `${stateContainer.slice(0, 55)}-records`;
}
