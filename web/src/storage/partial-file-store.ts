import type { KeptParts } from '../net/files/incoming-file.ts';
import type { PartialStore } from '../net/files/partial-store.ts';

/** The database that keeps parts of files being received (apart from the identity's, so each can change alone). */
const DATABASE = 'chatus-partial-files';
const VERSION = 1;
const STORE = 'parts';
const BY_TRANSFER = 'transfer';

/** Parts older than this are dropped when the store opens: a transfer that old cannot be resumed any more. */
export const PARTIAL_FILE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

interface PartRecord {
  readonly transfer: string;
  readonly part: Blob;
  readonly chunks: number;
  readonly bytes: number;
  readonly savedAt: number;
}

/**
 * Parts of files being received, kept in IndexedDB (which works on plain-http LAN pages too, and keeps Blobs on disk),
 * one record per part, so that adding one never rewrites the others. Every call is best effort: a browser without
 * IndexedDB, or one that refuses it, keeps nothing, and the person can only start over after a reload.
 */
export class IndexedDbPartialStore implements PartialStore {
  readonly #database: Promise<IDBDatabase | null>;
  readonly #now: () => number;

  constructor(indexedDb: () => IDBFactory | undefined, now: () => number) {
    this.#database = open(indexedDb).then(
      async (database) => {
        await this.#dropOlderThan(database, now() - PARTIAL_FILE_MAX_AGE_MS).catch(() => undefined);
        return database;
      },
      () => null,
    );
    this.#now = now;
  }

  async add(transfer: string, part: Blob, chunks: number, bytes: number): Promise<void> {
    const record: PartRecord = { transfer, part, chunks, bytes, savedAt: this.#now() };
    await this.#run('readwrite', (store) => store.add(record)).catch(() => undefined);
  }

  async load(transfer: string): Promise<KeptParts | null> {
    const records = await this.#run('readonly', (store) => store.index(BY_TRANSFER).getAll(transfer)).catch(() => null);
    if (!Array.isArray(records) || records.length === 0) return null;
    const parts = (records as PartRecord[]).sort((a, b) => a.chunks - b.chunks);
    const last = parts[parts.length - 1]!;
    return { parts: parts.map((record) => record.part), chunks: last.chunks, bytes: last.bytes };
  }

  async drop(transfer: string): Promise<void> {
    await this.#run('readwrite', (store) => store.delete(IDBKeyRange.bound([transfer, -Infinity], [transfer, Infinity]))).catch(() => undefined);
  }

  /** One request in its own transaction; resolves with its result once the transaction has committed. */
  async #run(mode: IDBTransactionMode, request: (store: IDBObjectStore) => IDBRequest): Promise<unknown> {
    const database = await this.#database;
    if (database === null) return null;
    return new Promise((resolve, reject) => {
      const transaction = database.transaction(STORE, mode);
      const pending = request(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(pending.result);
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    });
  }

  async #dropOlderThan(database: IDBDatabase, cutoff: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const transaction = database.transaction(STORE, 'readwrite');
      const cursor = transaction.objectStore(STORE).openCursor();
      cursor.onsuccess = () => {
        const current = cursor.result;
        if (!current) return;
        if ((current.value as PartRecord).savedAt < cutoff) current.delete();
        current.continue();
      };
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    });
  }
}

/** Opens (and on first use makes) the database: records keyed by [transfer, chunks], so a transfer's parts are one range. */
function open(indexedDb: () => IDBFactory | undefined): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    // A sandboxed page throws on the mere mention of indexedDB.
    const factory = (() => {
      try {
        return indexedDb();
      } catch {
        return undefined;
      }
    })();
    if (factory === undefined) return reject(new Error('this browser offers no IndexedDB'));
    const request = factory.open(DATABASE, VERSION);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: ['transfer', 'chunks'] });
      store.createIndex(BY_TRANSFER, 'transfer');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB did not open'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}
