/**
 * What this browser remembers about people between visits: the key each name last had (so that a known name with
 * a new key is flagged) and which keys the person verified by comparing safety numbers. Browsers keep it in
 * localStorage; tests and Node keep it in memory.
 */
export interface TrustStore {
  /** The public identity `name` had when last seen here, if any. */
  knownKey(name: string): string | undefined;
  /** Remembers the public identity `name` has now. */
  rememberKey(name: string, identity: string): void;
  /** Whether the person marked this public identity verified. */
  isVerified(identity: string): boolean;
  /** Marks (or unmarks) a public identity verified. */
  setVerified(identity: string, verified: boolean): void;
}

/** A trust store that lasts as long as the object. */
export class MemoryTrustStore implements TrustStore {
  readonly #keys = new Map<string, string>();
  readonly #verified = new Set<string>();

  knownKey(name: string): string | undefined {
    return this.#keys.get(name.toLowerCase());
  }

  rememberKey(name: string, identity: string): void {
    this.#keys.set(name.toLowerCase(), identity);
  }

  isVerified(identity: string): boolean {
    return this.#verified.has(identity);
  }

  setVerified(identity: string, verified: boolean): void {
    if (verified) this.#verified.add(identity);
    else this.#verified.delete(identity);
  }
}
