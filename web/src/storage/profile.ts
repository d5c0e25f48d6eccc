import type { Identity } from '../../../shared/crypto/identity.ts';
import { systemRandom } from '../../../shared/crypto/random.ts';
import type { PartialStore } from '../net/files/partial-store.ts';
import type { TrustStore } from '../net/trust-store.ts';
import { loadIdentity, type LoadedIdentity } from './identity-store.ts';
import { openTrustStore } from './local-trust-store.ts';
import { LazyPartialStore } from './lazy-partial-store.ts';

/** What a browser would not keep for the next visit: this person's key (and so everything), or whom they verified. */
export type NotKept = 'key' | 'trust';

/** What this browser profile brings to a room: its keys and what it remembers of other people's. */
export interface Profile {
  readonly identity: Identity;
  readonly trust: TrustStore;
  /** Where parts of files being received are kept (IndexedDB), so that a reloaded page can resume them. */
  readonly partials: PartialStore;
  /** What this browser could not keep for the next visit (its key, or only whom it verified); null when it keeps both. */
  readonly notKept: NotKept | null;
}

/**
 * Loads a page's profile: the identity once per page (every later join reuses it, kept or not), the trust store
 * afresh for each join, so that what another tab of the profile verified meanwhile counts.
 */
export class ProfileLoader {
  #identity: Promise<LoadedIdentity> | null = null;
  #partials: PartialStore | null = null;

  async load(): Promise<Profile> {
    this.#identity ??= loadIdentity(() => globalThis.indexedDB, systemRandom);
    this.#partials ??= new LazyPartialStore(() => globalThis.indexedDB, () => Date.now());
    const loaded = await this.#identity;
    const { trust, kept } = openTrustStore(() => globalThis.localStorage);
    return { identity: loaded.identity, trust, partials: this.#partials, notKept: notKept(loaded.kept, kept) };
  }
}

function notKept(identityKept: boolean, trustKept: boolean): NotKept | null {
  if (!identityKept) return 'key';
  return trustKept ? null : 'trust';
}
