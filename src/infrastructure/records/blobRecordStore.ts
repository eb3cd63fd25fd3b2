import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { parseLines, type RecordKind, type RecordStore } from './recordStore';

/**
 * Records in Azure Blob Storage: an append blob per kind and day (feedback/2026-11-25.jsonl), so
 * every instance of the bot appends to the same log without overwriting the others.
 */
export class BlobRecordStore implements RecordStore {
  private readonly container: ContainerClient;
  private ready?: Promise<unknown>;
  private readonly created = new Set<string>();

  constructor(connectionString: string, containerName: string) {
    this.container =
      BlobServiceClient.fromConnectionString(connectionString).getContainerClient(containerName);
  }

  get location(): string {
    return `blob container ${this.container.containerName}`;
  }

  async append(kind: RecordKind, record: object): Promise<void> {
    this.ready ??= this.container.createIfNotExists();
    await this.ready;
    const name = `${kind}/${new Date().toISOString().slice(0, 10)}.jsonl`;
    const blob = this.container.getAppendBlobClient(name);
    if (!this.created.has(name)) {
      await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson' } });
      this.created.add(name);
    }
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    await blob.appendBlock(line, line.length);
  }

  async read(kind: RecordKind): Promise<Record<string, unknown>[]> {
    if (!(await this.container.exists())) return [];
    const names: string[] = [];
    for await (const item of this.container.listBlobsFlat({ prefix: `${kind}/` })) names.push(item.name);
    const records: Record<string, unknown>[] = [];
    for (const name of names.sort()) {
      const buffer = await this.container.getBlobClient(name).downloadToBuffer();
      records.push(...parseLines(buffer.toString('utf8')));
    }
    return records;
  }
}
