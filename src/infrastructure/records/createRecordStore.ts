import type { Settings } from '../config';
import { BlobRecordStore } from './blobRecordStore';
import { FileRecordStore, type RecordStore } from './recordStore';

/** Blob storage when the state is in blob storage (every instance shares it), else files under DATA_DIR. */
export function createRecordStore(settings: Pick<Settings, 'storage' | 'dataDir'>): RecordStore {
  if (settings.storage.kind === 'blob') {
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
