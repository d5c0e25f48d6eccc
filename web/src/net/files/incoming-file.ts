import { fromBase64url, toBase64url } from '../../../../shared/crypto/encoding.ts';
import type { FileDescription } from '../../../../shared/protocol/envelope.ts';
import { openChunk } from '../../../../shared/files/sealed-file.ts';
import type { StreamingHash } from './file-hasher.ts';

/** Bytes gathered before they are folded into one Blob part (parts stay few; nothing grows into one buffer). */
const PART_BYTES = 1024 * 1024;

/** What was kept of a file received in part before a page reload: its parts in order, and how many chunks and bytes. */
export interface KeptParts {
  readonly parts: readonly Blob[];
  readonly chunks: number;
  readonly bytes: number;
}

/** Told each time received data is folded into a part: the part, and the chunks and bytes received up to its end. */
export type PartKeeper = (part: Blob, chunks: number, bytes: number) => void;

/** Bytes read at once when hashing kept parts again. */
const REHASH_SLICE_BYTES = 1024 * 1024;

/** What one chunk did to an incoming file. */
export type IncomingResult = 'more' | 'done' | 'damaged' | 'out-of-order';

/**
 * A file arriving chunk by chunk, in order: hashed as it comes (SHA-256, streaming), kept as Blob parts, and checked
 * against the announced hash once the last byte is in. Never one large buffer; nothing is offered unless it matches.
 */
export class IncomingFile {
  readonly description: FileDescription;
  /** The transfer id's bytes, as bulk frames carry them. */
  readonly id: Uint8Array;
  readonly #hash: StreamingHash;
  readonly #parts: Blob[] = [];
  #batch: Uint8Array[] = [];
  #batchBytes = 0;
  #next = 0;
  bytes = 0;
  #blob: Blob | undefined;

  /** The chunk key of a sealed file (each chunk is opened with it), or null for an open room's file. */
  readonly #key: Uint8Array | null;
  readonly #keep: PartKeeper | null;

  /**
   * `hash` is a fresh SHA-256 (FileHashing.create); `keep`, when given, is told of every part as it is made (kept so
   * that a reloaded page can resume).
   */
  constructor(description: FileDescription, hash: StreamingHash, key: Uint8Array | null = null, keep: PartKeeper | null = null) {
    this.description = description;
    this.#hash = hash;
    this.#key = key;
    this.#keep = keep;
    const id = fromBase64url(description.transfer);
    this.id = id.ok ? id.value : new Uint8Array(16);
  }

  /**
   * A file taken up again from parts kept before a reload: they are hashed again (streaming), so the hash still
   * covers the whole file. Null when a part cannot be read back or holds more than the file.
   */
  static async resumed(description: FileDescription, hash: StreamingHash, key: Uint8Array | null, kept: KeptParts, keep: PartKeeper | null): Promise<IncomingFile | null> {
    const file = new IncomingFile(description, hash, key, keep);
    let bytes = 0;
    try {
      for (const part of kept.parts) {
        for (let offset = 0; offset < part.size; offset += REHASH_SLICE_BYTES) {
          file.#hash.update(new Uint8Array(await part.slice(offset, offset + REHASH_SLICE_BYTES).arrayBuffer()));
        }
        bytes += part.size;
      }
    } catch {
      return null;
    }
    if (bytes !== kept.bytes || bytes > description.size) return null;
    file.#parts.push(...kept.parts);
    file.#next = kept.chunks;
    file.bytes = bytes;
    return file;
  }

  /** Chunks taken so far: the index of the next one (a new host is asked for the rest from here). */
  get chunks(): number {
    return this.#next;
  }

  /** The file, once every byte arrived and its hash matched. */
  get blob(): Blob | undefined {
    return this.#blob;
  }

  /** Chunk `index` of the file (sealed, for a sealed file: one that does not open is damage). */
  chunk(index: number, received: Uint8Array): IncomingResult {
    if (index !== this.#next) return 'out-of-order';
    const opened = this.#key ? openChunk(this.#key, this.id, index, received) : null;
    if (opened?.ok === false) {
      this.#parts.length = 0;
      return 'damaged';
    }
    const data = opened?.value ?? received;
    if (this.bytes + data.length > this.description.size) return 'out-of-order';
    this.#next += 1;
    this.bytes += data.length;
    this.#hash.update(data);
    this.#batch.push(data);
    this.#batchBytes += data.length;
    if (this.#batchBytes >= PART_BYTES) this.#fold();
    return this.bytes === this.description.size ? this.#finish() : 'more';
  }

  #fold(): void {
    if (this.#batch.length === 0) return;
    const part = new Blob(this.#batch as Uint8Array<ArrayBuffer>[]);
    this.#parts.push(part);
    this.#batch = [];
    this.#batchBytes = 0;
    if (this.bytes < this.description.size) this.#keep?.(part, this.#next, this.bytes);
  }

  #finish(): IncomingResult {
    this.#fold();
    if (toBase64url(this.#hash.digest()) !== this.description.sha256) {
      this.#parts.length = 0;
      return 'damaged';
    }
    this.#blob = new Blob(this.#parts, { type: this.description.type });
    return 'done';
  }
}
