import { MAX_FILE_CHUNK_BYTES } from '../limits.ts';
import { CHUNK_HEADER_BYTES, countFrame, FRAME_KIND, PREFIX_BYTES, prefixed } from './bulk-frame.ts';

/**
 * The bulk frames only a file's sender or its host writes (see bulk-frame.ts, which reads them all): apart, so that a
 * tab loads them with the code that sends or relays files, not with the room.
 */

/** A chunk frame: `data` (at most MAX_FILE_CHUNK_BYTES − CHUNK_HEADER_BYTES bytes) as chunk `index` of `transfer`. */
export function chunkFrame(transfer: Uint8Array, index: number, data: Uint8Array): Uint8Array {
  if (data.length + CHUNK_HEADER_BYTES > MAX_FILE_CHUNK_BYTES) throw new Error('chunk too large');
  const frame = prefixed(FRAME_KIND.chunk, transfer, 4 + data.length);
  new DataView(frame.buffer).setUint32(PREFIX_BYTES, index);
  frame.set(data, CHUNK_HEADER_BYTES);
  return frame;
}

/** The host has handed the first `count` chunks of `transfer` on to every receiver (the sender may send more). */
export function ackFrame(transfer: Uint8Array, count: number): Uint8Array {
  return countFrame(FRAME_KIND.ack, transfer, count);
}

/** The host tells the sender to send `transfer` from chunk `index` on (what the receivers still lack). */
export function seekFrame(transfer: Uint8Array, index: number): Uint8Array {
  return countFrame(FRAME_KIND.seek, transfer, index);
}

/**
 * The host asks the sender whether it can send `transfer` from chunk `index` on, for a receiver that wants the rest of
 * a transfer this host has no record of (it completed under a previous host). The sender answers `resume` with its
 * chunk size, or `end` notKept.
 */
export function askFrame(transfer: Uint8Array, index: number): Uint8Array {
  return countFrame(FRAME_KIND.ask, transfer, index);
}
