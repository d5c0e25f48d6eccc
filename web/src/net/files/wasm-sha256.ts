import { createSHA256, type IHasher } from 'hash-wasm';
import type { StreamingHash, WasmHashes } from './file-hasher.ts';

/**
 * hash-wasm's SHA-256 (WebAssembly), for the hashes of files: one instance, compiled and made once, shared by every
 * file hashed at the same time. Each hash keeps its own state and takes the instance over when it is fed: the state
 * of the one that had it is saved (a few hundred bytes) only when another one takes its turn, so a single file never
 * pays for it. Rejects where WebAssembly is missing or refused (FileHashing then uses @noble/hashes).
 */
export async function wasmHashes(): Promise<WasmHashes> {
  const shared = new SharedHasher(await createSHA256());
  return () => shared.create();
}

class SharedHasher {
  readonly #hasher: IHasher;
  /** The hash whose state the instance holds now, if any. */
  #owner: { saved: Uint8Array | null } | null = null;

  constructor(hasher: IHasher) {
    this.#hasher = hasher;
  }

  create(): StreamingHash {
    const own = { saved: null as Uint8Array | null };
    const take = (): IHasher => {
      if (this.#owner === own) return this.#hasher;
      if (this.#owner) this.#owner.saved = this.#hasher.save();
      if (own.saved) this.#hasher.load(own.saved);
      else this.#hasher.init();
      this.#owner = own;
      return this.#hasher;
    };
    return {
      update: (bytes) => void take().update(bytes),
      digest: () => {
        const digest = take().digest('binary');
        this.#owner = null;
        return digest;
      },
    };
  }
}
