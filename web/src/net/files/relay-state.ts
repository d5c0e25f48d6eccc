import { RelayQueue } from '../../../../shared/files/relay-queue.ts';
import { FILE_WINDOW_CHUNKS } from '../../../../shared/limits.ts';
import type { FileShape } from './relay-end.ts';

/** What a host holds for one transfer it relays (see HostRelay). */
export interface Relay {
  readonly transfer: Uint8Array;
  readonly sender: string;
  readonly shape: FileShape;
  readonly queue: RelayQueue<Uint8Array>;
  acked: number;
  /** When each receiver last took a chunk (or joined the transfer). */
  readonly progress: Map<string, number>;
  /** Bytes of file data per chunk: from the first chunk, or as a resuming sender says; 0 before either. */
  chunkBytes: number;
  /** Whether the sender is sending: false for a transfer carried over from the previous host until its `resume`. */
  senderReady: boolean;
  /**
   * Whether the sender was asked if it can send this carried-over transfer (`ask`): one that completed under the
   * previous host is not resumed by its sender unasked.
   */
  asked: boolean;
  /** Whether the sender was told where to send from (from the start for a transfer begun here). */
  flowing: boolean;
  /** After a seek, the sender's chunks are dropped until the one asked for comes (those before were in flight). */
  seeking: boolean;
  /** When a carried-over transfer was taken on, or last had its sender or a receiver ask for it. */
  since: number;
  /** When this relay was made. */
  readonly createdAt: number;
  /** Receivers that have sent the sender back once already. */
  readonly rewoundFor: Set<string>;
  /** Since when the sender, not sending, has been missing from the roster (null: it is there, or sending). */
  senderMissingSince: number | null;
  /** Receivers too far behind to rewind for (they reloaded their page), by the chunk they need: served after the rest. */
  readonly catchUps: Map<string, number>;
  /** When the sender last sent a chunk or was asked to: one that sends nothing while nothing is held is gone. */
  lastChunkAt: number;
}

/** A new relay at `now`: to `receivers` from chunk 0; `senderReady` for one begun here (not carried over). */
export function newRelay(now: number, transfer: Uint8Array, sender: string, size: number, shape: FileShape, receivers: string[], senderReady: boolean): Relay {
  return {
    transfer,
    sender,
    shape,
    queue: new RelayQueue(receivers, FILE_WINDOW_CHUNKS, size),
    acked: 0,
    progress: new Map(receivers.map((peer) => [peer, now])),
    chunkBytes: 0,
    senderReady,
    asked: false,
    flowing: senderReady,
    seeking: false,
    since: now,
    createdAt: now,
    rewoundFor: new Set(),
    senderMissingSince: null,
    catchUps: new Map(),
    lastChunkAt: now,
  };
}
