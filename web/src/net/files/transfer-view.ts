import type { FileDescription } from '../../../../shared/protocol/envelope.ts';

/** Where a transfer is, as a person would put it. */
export type TransferState = 'hashing' | 'waiting' | 'sending' | 'receiving' | 'paused' | 'interrupted' | 'done' | 'cancelled' | 'failed';

/** One file transfer as this tab sees it (sending its own, or receiving someone's). */
export interface TransferView {
  readonly transfer: string;
  readonly direction: 'send' | 'receive';
  readonly file: FileDescription;
  /** Bytes sent (acknowledged by the host) or received and hashed so far. */
  readonly bytes: number;
  /** This tab's clock when data began to flow (0 before). */
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly state: TransferState;
  /**
   * For `cancelled`: "you" or the name of who cancelled. For `failed` and `paused`: why, as a sentence. For
   * `interrupted` (a page reloaded mid-way, with what it had received kept): how much is here; it waits for Resume.
   */
  readonly detail: string;
  /** A received file, checked against its announced SHA-256; only when `done`. */
  readonly blob: Blob | undefined;
}

/** Bytes per second and seconds left of a transfer at `now`; null before data flows. */
export function transferRate(view: TransferView, now: number): { readonly bytesPerSecond: number; readonly secondsLeft: number } | null {
  const elapsed = (now - view.startedAt) / 1000;
  if (view.startedAt === 0 || elapsed <= 0 || view.bytes === 0) return null;
  const bytesPerSecond = view.bytes / elapsed;
  return { bytesPerSecond, secondsLeft: (view.file.size - view.bytes) / bytesPerSecond };
}
