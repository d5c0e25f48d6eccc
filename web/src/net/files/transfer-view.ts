import type { FileDescription } from '../../../../shared/protocol/envelope.ts';
import type { SessionError } from '../session-types.ts';

/** Where a transfer is, as a person would put it. */
export type TransferState = 'hashing' | 'waiting' | 'sending' | 'receiving' | 'paused' | 'interrupted' | 'done' | 'cancelled' | 'failed';

/**
 * Why a transfer paused, ended or waits, as data: the file card words it in the language shown.
 * - cancelled: by `you`, the `host`, the `sender` (name unknown), or `{ by }` the sender named;
 * - paused: `host-left` (carrying on through the next host);
 * - interrupted: `reloaded` (the page was reloaded mid-way; what arrived is kept, the view's `bytes`);
 * - failed: `no-new-host`, `before-joined`, `not-linked` (sent before this tab was linked to the host),
 *   `kept-unreadable` (what arrived before a reload could not be read back), `you-left`, `damaged`, `too-slow`,
 *   `link-lost`, `sender-left`, `not-kept` (the sender no longer has the file to send again), `host-refused`,
 *   `host-stopped`, `unreadable` (the file could not be read), `not-sent`, or `{ refused }` (it could not be announced, for the session's reason);
 * - done: `sent`, `verified`, `nobody-left` (no one was left waiting for the rest).
 */
export type TransferDetail =
  | ''
  | 'you'
  | 'host'
  | 'sender'
  | 'host-left'
  | 'reloaded'
  | 'no-new-host'
  | 'before-joined'
  | 'not-linked'
  | 'kept-unreadable'
  | 'you-left'
  | 'damaged'
  | 'too-slow'
  | 'link-lost'
  | 'sender-left'
  | 'not-kept'
  | 'host-refused'
  | 'host-stopped'
  | 'unreadable'
  | 'not-sent'
  | 'sent'
  | 'verified'
  | 'nobody-left'
  | { readonly by: string }
  | { readonly refused: SessionError };

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
  /** Why it is where it is (see TransferDetail); '' when there is nothing to say. */
  readonly detail: TransferDetail;
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
