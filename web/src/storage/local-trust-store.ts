import { MemoryTrustStore, type TrustStore } from '../net/trust-store.ts';

/** The part of the Web Storage API the trust store uses; `localStorage` has it, and tests hand in a stand-in. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

/** One entry per name and per verified key, so that two tabs writing at once never overwrite each other's entries. */
const NAME_PREFIX = 'chatus.trust.name.';
const VERIFIED_PREFIX = 'chatus.trust.verified.';

/**
 * The trust store of a browser profile, kept in localStorage. Why localStorage rather than IndexedDB: it is
 * synchronous, so a key is stored the moment the person presses Verify, and a reload or a closed tab right after
 * cannot lose it; what it holds is public (names and public keys), small (about 120 bytes a person), and not secret.
 * Everything is read into memory once, before joining, so the session's reads stay synchronous; every change is
 * written through. Storage that refuses a write (full, or blocked) leaves the change in memory for this visit.
 */
export class LocalTrustStore implements TrustStore {
  readonly #memory = new MemoryTrustStore();
  readonly #storage: KeyValueStorage;

  constructor(storage: KeyValueStorage) {
    this.#storage = storage;
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      const value = key === null ? null : storage.getItem(key);
      if (key === null || value === null) continue;
      if (key.startsWith(NAME_PREFIX)) this.#memory.rememberKey(key.slice(NAME_PREFIX.length), value);
      else if (key.startsWith(VERIFIED_PREFIX)) this.#memory.setVerified(key.slice(VERIFIED_PREFIX.length), true);
    }
  }

  knownKey(name: string): string | undefined {
    return this.#memory.knownKey(name);
  }

  rememberKey(name: string, identity: string): void {
    this.#memory.rememberKey(name, identity);
    this.#write(() => this.#storage.setItem(NAME_PREFIX + name.toLowerCase(), identity));
  }

  isVerified(identity: string): boolean {
    return this.#memory.isVerified(identity);
  }

  setVerified(identity: string, verified: boolean): void {
    this.#memory.setVerified(identity, verified);
    const key = VERIFIED_PREFIX + identity;
    this.#write(() => (verified ? this.#storage.setItem(key, '1') : this.#storage.removeItem(key)));
  }

  #write(write: () => void): void {
    try {
      write();
    } catch {
      // Full or blocked storage: the change holds in memory for this visit, which is all that can be done.
    }
  }
}

/**
 * The profile's trust store: kept in `storage()` when the browser lets the page use it, else in memory for this
 * visit (browsers with site data blocked throw on the first touch of localStorage).
 */
export function openTrustStore(storage: () => KeyValueStorage): { readonly trust: TrustStore; readonly kept: boolean } {
  try {
    return { trust: new LocalTrustStore(storage()), kept: true };
  } catch {
    return { trust: new MemoryTrustStore(), kept: false };
  }
}
