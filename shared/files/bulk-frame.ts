import { MAX_FILE_CHUNK_BYTES } from '../limits.ts';

/**
 * The binary frames of a link's bulk channel (never JSON): file chunks, the host's acknowledgements of them, the end
 * of a transfer for one side, and the four frames that carry a transfer over to a new host (want, resume, seek, ask).
 * Every frame starts with a kind byte and the 16-byte transfer id; a frame is never longer than MAX_FILE_CHUNK_BYTES,
 * header included. Decoding never throws. The frames every tab writes are made here; those only a sender or a host
 * writes (chunk, ack, seek, ask) in relay-frames.ts, which loads with the code that sends or relays files.
 */

/** Bytes of a transfer id. */
export const TRANSFER_ID_BYTES = 16;
/** Kind byte and transfer id. */
export const PREFIX_BYTES = 1 + TRANSFER_ID_BYTES;
/** Bytes before a chunk's data: kind, transfer id, index (u32). */
export const CHUNK_HEADER_BYTES = PREFIX_BYTES + 4;

/** Why a transfer ended for someone, as one byte on the wire. */
export const EndReason = {
  /** The sender cancelled. */
  senderCancelled: 1,
  /** This receiver cancelled (receiver → host only). */
  receiverCancelled: 2,
  /** The receiver took nothing for too long while the host held a full window for it; it was dropped. */
  tooSlow: 3,
  /** The sender left or its link closed before the last byte. */
  senderGone: 4,
  /** The host refused or stopped the transfer (a frame outside the window or the file's size, no announcement). */
  refused: 5,
  /** The transfer began before this receiver's link to the host was open: it is not sent to it (host → member). */
  notIncluded: 6,
  /** After a host change nobody asked for the rest of the file: every receiver has it or left (host → sender). */
  nobodyLeft: 7,
  /**
   * The sender no longer has the file to send again (sender → host → receivers): its page was reloaded, or the file
   * is older than the last ones it keeps. Answers a `seek` it cannot serve, so nobody waits for chunks that never come.
   */
  notKept: 8,
} as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];
const REASONS = new Set<number>(Object.values(EndReason));

/** One decoded bulk frame. `frame` is the whole frame as received (a host forwards it unchanged). */
export type BulkFrame =
  | { readonly kind: 'chunk'; readonly transfer: Uint8Array; readonly index: number; readonly data: Uint8Array; readonly frame: Uint8Array }
  | { readonly kind: 'ack'; readonly transfer: Uint8Array; readonly count: number }
  | { readonly kind: 'end'; readonly transfer: Uint8Array; readonly reason: EndReason }
  | { readonly kind: 'want'; readonly transfer: Uint8Array; readonly index: number }
  | { readonly kind: 'resume'; readonly transfer: Uint8Array; readonly chunkBytes: number }
  | { readonly kind: 'seek'; readonly transfer: Uint8Array; readonly index: number }
  | { readonly kind: 'ask'; readonly transfer: Uint8Array; readonly index: number };

/** The kind byte of each frame. */
export const FRAME_KIND = { chunk: 1, ack: 2, end: 3, want: 4, resume: 5, seek: 6, ask: 7 } as const;
const KIND = FRAME_KIND;

/** `transfer` ended for the receiver of this frame (or, from a receiver, for its sender), for `reason`. */
export function endFrame(transfer: Uint8Array, reason: EndReason): Uint8Array {
  const frame = prefixed(KIND.end, transfer, 1);
  frame[PREFIX_BYTES] = reason;
  return frame;
}

/** A receiver asks its (new) host for `transfer` from chunk `index` on: it holds every chunk before it. */
export function wantFrame(transfer: Uint8Array, index: number): Uint8Array {
  return countFrame(KIND.want, transfer, index);
}

/** The sender tells its (new) host it can go on sending `transfer`, in chunks of `chunkBytes` bytes of file data. */
export function resumeFrame(transfer: Uint8Array, chunkBytes: number): Uint8Array {
  return countFrame(KIND.resume, transfer, chunkBytes);
}

/** Reads a bulk frame; null when it is not one (too short, too long, unknown kind or reason, an empty chunk). */
export function decodeBulkFrame(frame: Uint8Array): BulkFrame | null {
  if (frame.length < PREFIX_BYTES + 1 || frame.length > MAX_FILE_CHUNK_BYTES) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const transfer = frame.subarray(1, PREFIX_BYTES);
  switch (frame[0]) {
    case KIND.chunk:
      if (frame.length <= CHUNK_HEADER_BYTES) return null;
      return { kind: 'chunk', transfer, index: view.getUint32(PREFIX_BYTES), data: frame.subarray(CHUNK_HEADER_BYTES), frame };
    case KIND.ack:
    case KIND.want:
    case KIND.resume:
    case KIND.seek:
    case KIND.ask:
      return frame.length === PREFIX_BYTES + 4 ? countKind(frame[0], transfer, view.getUint32(PREFIX_BYTES)) : null;
    case KIND.end: {
      const reason = frame[PREFIX_BYTES]!;
      return frame.length === PREFIX_BYTES + 1 && REASONS.has(reason) ? { kind: 'end', transfer, reason: reason as EndReason } : null;
    }
    default:
      return null;
  }
}

function countKind(kind: number, transfer: Uint8Array, value: number): BulkFrame {
  if (kind === KIND.ack) return { kind: 'ack', transfer, count: value };
  if (kind === KIND.resume) return { kind: 'resume', transfer, chunkBytes: value };
  if (kind === KIND.want) return { kind: 'want', transfer, index: value };
  return { kind: kind === KIND.seek ? 'seek' : 'ask', transfer, index: value };
}

/** A frame of `kind` for `transfer` carrying one u32 (a count, an index or a size). */
export function countFrame(kind: number, transfer: Uint8Array, value: number): Uint8Array {
  const frame = prefixed(kind, transfer, 4);
  new DataView(frame.buffer).setUint32(PREFIX_BYTES, value);
  return frame;
}

/** A frame of `kind` for `transfer` with `rest` bytes after the prefix, zeroed. */
export function prefixed(kind: number, transfer: Uint8Array, rest: number): Uint8Array {
  if (transfer.length !== TRANSFER_ID_BYTES) throw new Error('a transfer id is 16 bytes');
  const frame = new Uint8Array(PREFIX_BYTES + rest);
  frame[0] = kind;
  frame.set(transfer, 1);
  return frame;
}
