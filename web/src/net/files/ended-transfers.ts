import type { EndReason } from '../../../../shared/files/bulk-frame.ts';
import { FILE_ENDED_MEMORY } from '../../../../shared/limits.ts';

/** How one transfer ended at a host (reason null: it completed), and the chunk size it was sent in. */
export interface Ending {
  readonly reason: EndReason | null;
  readonly chunkBytes: number;
}

/**
 * A host's memory of its recent transfers, oldest first, bounded by FILE_ENDED_MEMORY: how each ended, so that a late
 * `want` or `resume` is answered with it (a receiver that reloaded its page may catch up on a completed one), and who
 * was sent a completed one again, once each, so that no one can loop it.
 */
export class EndedTransfers {
  readonly #endings = new Map<string, Ending>();
  /** "transfer identity" of each receiver sent a completed transfer again. */
  readonly #caughtUp = new Set<string>();

  get(transfer: string): Ending | undefined {
    return this.#endings.get(transfer);
  }

  /** `transfer` ended (again: it moves to the newest). */
  record(transfer: string, ending: Ending): void {
    this.#endings.delete(transfer);
    this.#endings.set(transfer, ending);
    if (this.#endings.size > FILE_ENDED_MEMORY) this.#endings.delete(this.#endings.keys().next().value!);
  }

  /** `transfer` is relayed again (to receivers catching up): it has not ended until it ends again. */
  reopen(transfer: string): void {
    this.#endings.delete(transfer);
  }

  /** Whether `receiver` (its identity, or its peer id) may be sent the completed `transfer` again: true once. */
  mayCatchUp(transfer: string, receiver: string): boolean {
    const once = `${transfer} ${receiver}`;
    if (this.#caughtUp.has(once)) return false;
    this.#caughtUp.add(once);
    if (this.#caughtUp.size > FILE_ENDED_MEMORY) this.#caughtUp.delete(this.#caughtUp.values().next().value!);
    return true;
  }
}
