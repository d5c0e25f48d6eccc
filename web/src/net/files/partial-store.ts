import type { KeptParts } from './incoming-file.ts';

/**
 * Where a tab keeps what it has received of a file while it arrives, so that after a page reload the person can take
 * it up again where it stopped instead of starting over. Parts are whole chunks folded into Blobs (about 1 MiB each),
 * added in order. Every method is best effort and never rejects: a store that fails only loses the chance to resume.
 */
export interface PartialStore {
  /** Adds the next part of `transfer`, which ends after `chunks` chunks and `bytes` bytes. */
  add(transfer: string, part: Blob, chunks: number, bytes: number): Promise<void>;
  /** What is kept of `transfer`, or null. */
  load(transfer: string): Promise<KeptParts | null>;
  /** Forgets `transfer` (done, cancelled or failed). */
  drop(transfer: string): Promise<void>;
}

/** A store in this page's memory: lost with the page (Node tests share one between two sessions, as a reload would). */
export class MemoryPartialStore implements PartialStore {
  readonly #files = new Map<string, KeptParts>();

  add(transfer: string, part: Blob, chunks: number, bytes: number): Promise<void> {
    const kept = this.#files.get(transfer);
    this.#files.set(transfer, { parts: [...(kept?.parts ?? []), part], chunks, bytes });
    return Promise.resolve();
  }

  load(transfer: string): Promise<KeptParts | null> {
    return Promise.resolve(this.#files.get(transfer) ?? null);
  }

  drop(transfer: string): Promise<void> {
    this.#files.delete(transfer);
    return Promise.resolve();
  }
}
