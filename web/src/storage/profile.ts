import type { Identity } from '../../../shared/crypto/identity.ts';
import { systemRandom } from '../../../shared/crypto/random.ts';
import type { PartialStore } from '../net/files/partial-store.ts';
import type { TrustStore } from '../net/trust-store.ts';
import { loadIdentity, type LoadedIdentity } from './identity-store.ts';
import { openTrustStore } from './local-trust-store.ts';
import { LazyPartialStore } from './lazy-partial-store.ts';

/** What this browser profile brings to a room: its keys and what it remembers of other people's. */
export interface Profile {
  readonly identity: Identity;
  readonly trust: TrustStore;
  /** Where parts of files being received are kept (IndexedDB), so that a reloaded page can resume them. */
  readonly partials: PartialStore;
  /** What this browser could not keep for the next visit, for the person to read; null when it keeps it all. */
  readonly notKept: string | null;
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
    return { identity: loaded.identity, trust, partials: this.#partials, notKept: notKeptText(loaded.kept, kept) };
  }
}

function notKeptText(identityKept: boolean, trustKept: boolean): string | null {
  if (!identityKept) {
    return 'This browser does not let ChatUs keep your key (a private window, or site data blocked), so you have a new key for this visit only: people who verified you will see it change next time.';
  }
  return trustKept ? null : 'This browser does not let ChatUs remember which keys you verified beyond this visit.';
}
