import { randomFillSync } from 'node:crypto';

/**
 * Random base64url text (peer ids, join challenges) cut from a block of random bytes filled a few KiB at a time. Each
 * `randomBytes` call costs about 5 µs however few bytes it returns, and a join needs two; the bytes are the same
 * CSPRNG output, each handed out once (Node's `randomUUID` keeps such a cache too).
 */
export class RandomText {
  readonly #block: Buffer;
  /** The first byte not handed out yet; the block's length when it is used up. */
  #next: number;

  constructor(blockBytes = 4096) {
    this.#block = Buffer.allocUnsafeSlow(blockBytes);
    this.#next = blockBytes;
  }

  /** `bytes` fresh random bytes as base64url text (at most the block's size). */
  take(bytes: number): string {
    if (bytes > this.#block.length) throw new RangeError(`at most ${this.#block.length} bytes at a time`);
    if (this.#next + bytes > this.#block.length) {
      randomFillSync(this.#block);
      this.#next = 0;
    }
    const text = this.#block.toString('base64url', this.#next, this.#next + bytes);
    this.#next += bytes;
    return text;
  }
}
