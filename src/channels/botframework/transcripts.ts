import type { Activity, TranscriptLogger } from 'botbuilder';
import type { Settings } from '../../infrastructure/config';
import { maskAddressesDeep } from '../../infrastructure/records/personalData';
import type { RecordStore } from '../../infrastructure/records/recordStore';

/** Masks e-mail addresses and UPNs in every activity before another logger keeps it. */
export class MaskingTranscriptLogger implements TranscriptLogger {
  constructor(private readonly inner: TranscriptLogger) {}

  logActivity(activity: Activity): void | Promise<void> {
    return this.inner.logActivity(maskAddressesDeep(JSON.parse(JSON.stringify(activity)) as Activity));
  }
}

/** Transcripts as records (JSON lines under DATA_DIR/transcripts), for memory and Cosmos DB state. */
export class RecordTranscriptLogger implements TranscriptLogger {
  constructor(private readonly records: RecordStore) {}

  async logActivity(activity: Activity): Promise<void> {
    await this.records.append('transcripts', activity);
  }
}

/** Loaded only for blob state: the Azure Storage client costs start-up time the others need not pay. */
const blobTranscripts = (): typeof import('botbuilder-azure-blobs') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('botbuilder-azure-blobs') as typeof import('botbuilder-azure-blobs');

/**
 * BOT_TRANSCRIPTS=on: blob state keeps transcripts in Azure Blob Storage (botbuilder's
 * BlobsTranscriptStore, container "<state container>-transcripts"); otherwise they go with the
 * other records. Always masked.
 */
export function createTranscriptLogger(
  settings: Pick<Settings, 'storage'>,
  records: RecordStore,
): TranscriptLogger {
  const store =
    settings.storage.kind === 'blob'
      ? new (blobTranscripts().BlobsTranscriptStore)(
          settings.storage.connectionString,
          `${settings.storage.container.slice(0, 51)}-transcripts`,
        )
      : new RecordTranscriptLogger(records);
  return new MaskingTranscriptLogger(store);
}
