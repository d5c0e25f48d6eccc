import { backoffDelay } from '../../../shared/backoff.ts';
import type { LivenessPolicy } from '../../../shared/liveness.ts';
import type { LinkError } from './link.ts';
import type { SessionError } from './session-types.ts';

/** Link failures in a row that pass without a word (a host that just left); the next one is shown. */
export const MAX_QUIET_LINK_FAILURES = 3;

/**
 * Counts link failures in a row and says what, if anything, the person should be told. The first failures are
 * ordinary (a host that just left); after several in a row the person is told, with what to do, while re-linking goes
 * on, each attempt after a longer backoff. A host that cannot make links is told at once (the session hands its role
 * on).
 */
export class LinkTrouble {
  #failures = 0;
  #relinks = 0;

  /** A link failed or could not be made: the error to show, or null to stay quiet. */
  failed(error: LinkError, hosting: boolean): SessionError | null {
    this.#failures += 1;
    // A host that cannot link: this tab cannot open more connections (reload). A member: still trying (reload if it goes on).
    if (hosting) return { code: 'ERR_NO_LINKS', detail: error.message };
    if (this.#failures < MAX_QUIET_LINK_FAILURES) return null;
    return { code: 'ERR_LINK_FAILED', detail: `${error.code}: ${error.message}` };
  }

  /** How long to wait before the next attempt to link (backoff with jitter from `random`). */
  relinkDelay(policy: LivenessPolicy['relink'], random: () => number): number {
    return backoffDelay(this.#relinks++, policy, random);
  }

  /** A host answered: the trouble is over. */
  recovered(): void {
    this.#failures = 0;
    this.#relinks = 0;
  }
}
