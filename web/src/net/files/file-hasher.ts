import { sha256 } from '@noble/hashes/sha2.js';

/** A SHA-256 fed piece by piece. The bytes given to `update` must not change afterwards (they may be read later). */
export interface StreamingHash {
  update(bytes: Uint8Array): unknown;
  digest(): Uint8Array;
}

/** Makes SHA-256s that all run in one loaded WebAssembly instance (see wasm-sha256.ts). */
export type WasmHashes = () => StreamingHash;

/** Loads hash-wasm's SHA-256; rejects where WebAssembly is missing or refused. */
export type WasmHashLoader = () => Promise<WasmHashes>;

/** hash-wasm, from a chunk of its own: the page loads it with the first file it meets, not with the room. */
export const loadWasmHashes: WasmHashLoader = () => import('./wasm-sha256.ts').then(({ wasmHashes }) => wasmHashes());

/**
 * Bytes a file's hash holds while hash-wasm is still loading; past that (or asked for its digest first), it goes on
 * with @noble/hashes rather than hold more of the file.
 */
export const PENDING_HASH_BYTES = 8 * 1024 * 1024;

/**
 * The SHA-256 of files (sent and received): hash-wasm (WebAssembly, about twice as fast here as pure JS), loaded
 * once per session on first use, or @noble/hashes where WebAssembly is missing or refused (a Content-Security-Policy
 * without 'wasm-unsafe-eval', Safari's Lockdown Mode, WebAssembly turned off). A failed load is not tried again.
 */
export class FileHashing {
  readonly #load: WasmHashLoader;
  #loading: Promise<void> | null = null;
  /** Makes the hashes, once the load settled: hash-wasm's, or @noble/hashes' when it was refused. */
  #make: (() => StreamingHash) | null = null;

  constructor(load: WasmHashLoader = loadWasmHashes) {
    this.#load = load;
  }

  /** Starts loading hash-wasm (the first time); resolves once it is loaded or refused. Never rejects. */
  ready(): Promise<void> {
    return (this.#loading ??= this.#load().then(
      (wasm) => void (this.#make = wasm),
      () => void (this.#make = nobleHash),
    ));
  }

  /**
   * A new SHA-256, at once (starting the load the first time): hash-wasm's when it is loaded, @noble/hashes' when it
   * was refused, and while it loads one that holds what it is given until it knows (pendingHash).
   */
  create(): StreamingHash {
    void this.ready();
    return this.#make?.() ?? pendingHash(() => this.#make?.() ?? null);
  }
}

/** @noble/hashes' SHA-256 (pure JS: it runs everywhere). */
export const nobleHash = (): StreamingHash => sha256.create();

/**
 * A hash made while hash-wasm loads: it holds the bytes it is given (references, not copies) until `settled` gives the
 * hash to use, and then hands them to it. Asked for its digest before, or given more than PENDING_HASH_BYTES, it uses
 * @noble/hashes instead, so `update` and `digest` never wait.
 */
function pendingHash(settled: () => StreamingHash | null): StreamingHash {
  let inner: StreamingHash | null = null;
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  /** Goes on with `hash` (when there is one), fed first what was held. */
  const take = (hash: StreamingHash | null): StreamingHash | null => {
    if (hash === null) return null;
    for (const bytes of held) hash.update(bytes);
    held = [];
    return (inner = hash);
  };
  return {
    update(bytes) {
      const hash = inner ?? take(settled());
      if (hash) return void hash.update(bytes);
      held.push(bytes);
      heldBytes += bytes.length;
      if (heldBytes > PENDING_HASH_BYTES) take(nobleHash());
    },
    digest: () => (inner ?? take(settled() ?? nobleHash())!).digest(),
  };
}
