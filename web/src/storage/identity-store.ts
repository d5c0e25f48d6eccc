import { IDENTITY_SEED_BYTES, identityFromSeed, type Identity } from '../../../shared/crypto/identity.ts';
import { drawRandom, type RandomBytes } from '../../../shared/crypto/random.ts';

/** The database that keeps this browser profile's identity seed. */
const DATABASE = 'chatus';
const VERSION = 1;
const STORE = 'identity';
const SEED_KEY = 'seed';

/** How long loading may take before the person joins with a key for this visit instead (a stuck or blocked database). */
export const IDENTITY_LOAD_TIMEOUT_MS = 5000;

/** The identity to join with, and whether this browser keeps it for the next visit. */
export type LoadedIdentity =
  | { readonly identity: Identity; readonly kept: true }
  /** IndexedDB is missing or refused (a private window, blocked storage): a key for this visit only. */
  | { readonly identity: Identity; readonly kept: false; readonly reason: string };

/**
 * This browser profile's long-term identity: the 32-byte seed kept in IndexedDB, made on first use. IndexedDB works
 * on plain-http LAN pages too. Every tab of the profile gets the same seed, even two tabs on first use at once: the
 * seed is read and, when missing, written in one readwrite transaction, and browsers run readwrite transactions on
 * one store one after the other, so the second tab reads what the first wrote. When IndexedDB is missing, fails or
 * does not answer within `timeoutMs`, the identity is new and lasts this visit only, and the result says why; this
 * never rejects, so joining never breaks on storage. (A database that answers after the timeout stores that same
 * new seed, unless another tab stored one first.)
 */
export async function loadIdentity(
  indexedDb: () => IDBFactory | undefined,
  random: RandomBytes,
  timeoutMs: number = IDENTITY_LOAD_TIMEOUT_MS,
): Promise<LoadedIdentity> {
  // Drawn up front: a transaction commits itself once it has nothing left to do, so nothing may wait inside it.
  const candidate = drawRandom(random, IDENTITY_SEED_BYTES);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // Inside the try: a sandboxed page throws on the mere mention of indexedDB.
    const factory = indexedDb();
    if (factory === undefined) throw new Error('this browser offers no IndexedDB');
    const seed = await Promise.race([keptSeed(factory, candidate), timeout]);
    return { identity: identityFromSeed(seed), kept: true };
  } catch (error) {
    return { identity: identityFromSeed(candidate), kept: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** The stored seed, or `candidate` once it is stored in its place; resolves after the transaction committed. */
async function keptSeed(factory: IDBFactory, candidate: Uint8Array): Promise<Uint8Array> {
  const database = await openDatabase(factory);
  try {
    return await new Promise<Uint8Array>((resolve, reject) => {
      const transaction = database.transaction(STORE, 'readwrite');
      const store = transaction.objectStore(STORE);
      let seed = candidate;
      const read = store.get(SEED_KEY);
      read.onsuccess = () => {
        // A value that is not a seed (written by hand, or damaged) is replaced: nobody can sign with it anyway.
        if (isSeed(read.result)) seed = read.result;
        else store.put(candidate, SEED_KEY);
      };
      transaction.oncomplete = () => resolve(seed);
      transaction.onabort = () => reject(transaction.error ?? new Error('the identity transaction was aborted'));
    });
  } finally {
    database.close();
  }
}

/** Opens (creating on first use) the database; a newer version elsewhere makes this connection close, not block it. */
function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(DATABASE, VERSION);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    };
    request.onsuccess = () => {
      const database = request.result;
      database.onversionchange = () => database.close();
      resolve(database);
    };
    request.onerror = () => reject(request.error ?? new Error('IndexedDB refused to open'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

function isSeed(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === IDENTITY_SEED_BYTES;
}
