import { chunkFrame } from '../../../../shared/files/relay-frames.ts';
import { toBase64url } from '../../../../shared/crypto/encoding.ts';
import type { StreamingHash } from './file-hasher.ts';

/** Bytes read at once while hashing a file before it is announced. */
const HASH_SLICE_BYTES = 1024 * 1024;

/**
 * The SHA-256 of a file, fed to `hash` (a fresh one) slice by slice (streaming; never the whole file in memory), as base64url. The next
 * slice is read while one is hashed: a read is a round trip (to the browser's blob store, to the disk in Node) that
 * otherwise adds to the hashing time (3-8 % of it for 128 MiB in Node here; bench, "time to first byte").
 */
export async function hashFile(file: Blob, hash: StreamingHash, stillWanted: () => boolean): Promise<string | null> {
  const read = (offset: number) => (offset < file.size ? file.slice(offset, offset + HASH_SLICE_BYTES).arrayBuffer() : null);
  let next = read(0);
  for (let offset = 0; next !== null; offset += HASH_SLICE_BYTES) {
    const slice = new Uint8Array(await next);
    next = read(offset + HASH_SLICE_BYTES);
    if (!stillWanted()) {
      // Not awaited any more: a failed read ahead must not become an unhandled rejection.
      void next?.catch(() => undefined);
      return null;
    }
    hash.update(slice);
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
 * Chunks read from the file at once. Every read of a Blob is a round trip (to the browser's blob store, to the disk in
 * Node): read one chunk at a time, a sender spent most of a transfer waiting for reads (bench, "file throughput").
 */
export const CHUNKS_PER_READ = 16;

/**
 * Reads a file a slice of CHUNKS_PER_READ chunks at a time and hands its chunks to a sink as fast as the sink has
 * room: `pump()` after every acknowledgement or drained queue. Never more than one read in flight, and never more
 * than one slice held.
 */
/** Why sending stopped: the sink refused a chunk, or the file could not be read (moved, changed, shrunk). */
export type SendFailure = 'unsent' | 'unreadable';

/** Seals chunk `index`'s data for its receivers (a private room's or one person's file); see sealed-file.ts. */
export type ChunkSeal = (index: number, data: Uint8Array) => Uint8Array;

export class OutgoingFile {
  readonly #file: Blob;
  readonly #transfer: Uint8Array;
  readonly #chunkBytes: number;
  readonly #sink: ChunkSink;
  readonly #onFailed: (why: SendFailure) => void;
  readonly #seal: ChunkSeal | null;
  /** Bytes handed to the sink. */
  #offset = 0;
  #sent = 0;
  /** The slice read last and the file offset it starts at; chunks are cut from it until it is used up. */
  #slice = new Uint8Array(0);
  #sliceStart = 0;
  #reading = false;
  #pumping = false;
  #stopped = false;

  /**
   * Sends `file` in chunks of `chunkBytes` bytes (at most a frame less CHUNK_HEADER_BYTES, and less the seal's tag
   * when `seal` is given), from chunk `from` on.
   */
  constructor(file: Blob, transfer: Uint8Array, chunkBytes: number, sink: ChunkSink, onFailed: (why: SendFailure) => void, from = 0, seal: ChunkSeal | null = null) {
    this.#file = file;
    this.#seal = seal;
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

  /** Sends the next chunks while the sink has room, reading the next slice when the last one is used up. */
  pump(): void {
    // A sink may acknowledge (and so pump) within send: this loop goes on from where that call would have.
    if (this.#reading || this.#pumping) return;
    this.#pumping = true;
    while (!this.#stopped && !this.allSent && this.#sink.room(this.#sent)) {
      const at = this.#offset - this.#sliceStart;
      if (at >= this.#slice.length) {
        this.#read();
        break;
      }
      const data = this.#slice.subarray(at, at + this.#chunkBytes);
      const index = this.#sent;
      this.#offset += data.length;
      this.#sent += 1;
      const sealed = this.#seal ? this.#seal(index, data) : data;
      if (!this.#sink.send(chunkFrame(this.#transfer, index, sealed))) this.#fail('unsent');
    }
    this.#pumping = false;
  }

  #read(): void {
    this.#reading = true;
    const start = this.#offset;
    void this.#file
      .slice(start, Math.min(this.#file.size, start + CHUNKS_PER_READ * this.#chunkBytes))
      .arrayBuffer()
      .then((buffer) => {
        // A file that shrank since it was hashed: it could never be sent whole.
        if (buffer.byteLength === 0) return this.#fail('unreadable');
        this.#slice = new Uint8Array(buffer);
        this.#sliceStart = start;
        this.#reading = false;
        this.pump();
      })
      .catch(() => this.#fail('unreadable'));
  }

  #fail(why: SendFailure): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#onFailed(why);
  }
}
