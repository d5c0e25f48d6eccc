import { sha256 } from '@noble/hashes/sha2.js';
import { chunkFrame } from '../../../../shared/files/bulk-frame.ts';
import { toBase64url } from '../../../../shared/crypto/encoding.ts';

/** Bytes read at once while hashing a file before it is announced. */
const HASH_SLICE_BYTES = 1024 * 1024;

/** The SHA-256 of a file, read slice by slice (streaming; never the whole file in memory), as base64url. */
export async function hashFile(file: Blob, stillWanted: () => boolean): Promise<string | null> {
  const hash = sha256.create();
  for (let offset = 0; offset < file.size; offset += HASH_SLICE_BYTES) {
    if (!stillWanted()) return null;
    hash.update(new Uint8Array(await file.slice(offset, offset + HASH_SLICE_BYTES).arrayBuffer()));
  }
  return toBase64url(hash.digest());
}

/** Where an outgoing file's chunks go: a member's bulk channel to its host, or the hosting tab's own relay. */
export interface ChunkSink {
  /** Whether another chunk may go now (the window and the channel's queue allow it). */
  room(sent: number): boolean;
  /** Sends one chunk frame; false when it could not go (the transfer fails). */
  send(frame: Uint8Array): boolean;
}

/**
 * Reads a file chunk by chunk and hands the chunks to a sink as fast as the sink has room: `pump()` after every
 * acknowledgement or drained queue. Never more than one read in flight.
 */
export class OutgoingFile {
  readonly #file: Blob;
  readonly #transfer: Uint8Array;
  readonly #chunkBytes: number;
  readonly #sink: ChunkSink;
  readonly #onFailed: () => void;
  #offset = 0;
  #sent = 0;
  #reading = false;
  #stopped = false;

  /** Sends `file` in chunks of `chunkBytes` bytes (at most a frame less CHUNK_HEADER_BYTES), from chunk `from` on. */
  constructor(file: Blob, transfer: Uint8Array, chunkBytes: number, sink: ChunkSink, onFailed: () => void, from = 0) {
    this.#file = file;
    this.#transfer = transfer;
    this.#chunkBytes = chunkBytes;
    this.#sink = sink;
    this.#onFailed = onFailed;
    this.#sent = from;
    this.#offset = Math.min(file.size, from * chunkBytes);
  }

  /** Bytes of file data per chunk. */
  get chunkBytes(): number {
    return this.#chunkBytes;
  }

  /** Chunks handed to the sink. */
  get sent(): number {
    return this.#sent;
  }

  /** Whether every byte was handed to the sink. */
  get allSent(): boolean {
    return this.#offset >= this.#file.size;
  }

  stop(): void {
    this.#stopped = true;
  }

  /** Reads and sends the next chunks while the sink has room. */
  pump(): void {
    if (this.#reading || this.#stopped || this.allSent || !this.#sink.room(this.#sent)) return;
    this.#reading = true;
    const end = Math.min(this.#file.size, this.#offset + this.#chunkBytes);
    void this.#file
      .slice(this.#offset, end)
      .arrayBuffer()
      .then((buffer) => {
        if (this.#stopped) return;
        // Counted before it goes, and still `reading` while it goes: a sink may acknowledge (and pump) within send.
        const index = this.#sent;
        this.#offset = end;
        this.#sent += 1;
        if (!this.#sink.send(chunkFrame(this.#transfer, index, new Uint8Array(buffer)))) {
          this.#stopped = true;
          this.#onFailed();
          return;
        }
        this.#reading = false;
        this.pump();
      })
      .catch(() => {
        this.#reading = false;
        this.#stopped = true;
        this.#onFailed();
      });
  }
}
