import type { KeptParts } from '../net/files/incoming-file.ts';
import type { PartialStore } from '../net/files/partial-store.ts';

/**
 * The IndexedDB store of parts of files being received (partial-file-store.ts), its code loaded on first use: the
 * first file that arrives, or the first announcement handed over as history. Like the store, it never rejects: a
 * download that fails keeps nothing (the person can then only start over after a reload).
 */
export class LazyPartialStore implements PartialStore {
  readonly #indexedDb: () => IDBFactory | undefined;
  readonly #now: () => number;
  #store: Promise<PartialStore | null> | null = null;

  constructor(indexedDb: () => IDBFactory | undefined, now: () => number) {
    this.#indexedDb = indexedDb;
    this.#now = now;
  }

  async add(transfer: string, part: Blob, chunks: number, bytes: number): Promise<void> {
    await (await this.#get())?.add(transfer, part, chunks, bytes);
  }

  async load(transfer: string): Promise<KeptParts | null> {
    return (await (await this.#get())?.load(transfer)) ?? null;
  }

  async drop(transfer: string): Promise<void> {
    await (await this.#get())?.drop(transfer);
  }

  #get(): Promise<PartialStore | null> {
    this.#store ??= import('./partial-file-store.ts').then(
      ({ IndexedDbPartialStore }) => new IndexedDbPartialStore(this.#indexedDb, this.#now),
      () => {
        this.#store = null;
        return null;
      },
    );
    return this.#store;
  }
}
