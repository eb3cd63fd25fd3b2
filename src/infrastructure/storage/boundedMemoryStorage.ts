import { MemoryStorage, type StoreItems } from 'botbuilder';

/**
 * botbuilder's MemoryStorage (the same JSON copies and eTag checks) that keeps at most `maxItems`
 * items: writing one more forgets the least recently read or written. The plain MemoryStorage keeps
 * every conversation and user the process has seen until it restarts, so memory grows with
 * conversations. A conversation forgotten here starts again as a new one, as it would after a
 * restart; a deployment that must keep conversations longer uses blob or Cosmos DB state
 * (BOT_STORAGE), which holds them outside the process and removes old ones by the store's own
 * lifecycle rules (blob lifecycle management, Cosmos DB time to live).
 */
export class BoundedMemoryStorage extends MemoryStorage {
  /** Keys, least recently used first (a Map keeps insertion order). */
  private readonly recent = new Map<string, true>();

  constructor(readonly maxItems: number) {
    super();
  }

  get size(): number {
    return this.recent.size;
  }

  override read(keys: string[]): Promise<StoreItems> {
    for (const key of keys) if (this.recent.has(key)) this.touch(key);
    return super.read(keys);
  }

  override async write(changes: StoreItems): Promise<void> {
    await super.write(changes);
    for (const key of Object.keys(changes)) this.touch(key);
    for (const oldest of this.recent.keys()) {
      if (this.recent.size <= this.maxItems) break;
      this.recent.delete(oldest);
      delete this.memory[oldest];
    }
  }

  override async delete(keys: string[]): Promise<void> {
    await super.delete(keys);
    for (const key of keys) {
      this.recent.delete(key);
      delete this.memory[key];
    }
  }

  private touch(key: string): void {
    this.recent.delete(key);
    this.recent.set(key, true);
  }
}
