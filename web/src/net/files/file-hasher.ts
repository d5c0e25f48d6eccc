import { sha256 } from '@noble/hashes/sha2.js';

/** A SHA-256 fed piece by piece. The bytes given to `update` must not change afterwards (they may be read later). */
export interface StreamingHash {
  update(bytes: Uint8Array): void;
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
  #wasm: WasmHashes | null = null;
  #failed = false;

  constructor(load: WasmHashLoader = loadWasmHashes) {
    this.#load = load;
  }

  /** Which SHA-256 new hashes use: hash-wasm's, @noble/hashes' (hash-wasm refused), or not known yet (loading). */
  get engine(): 'wasm' | 'noble' | 'loading' {
    return this.#wasm ? 'wasm' : this.#failed ? 'noble' : 'loading';
  }

  /** Starts loading hash-wasm (the first time); resolves once it is loaded or refused. Never rejects. */
  ready(): Promise<void> {
    this.#loading ??= this.#load().then(
      (wasm) => void (this.#wasm = wasm),
      () => void (this.#failed = true),
    );
    return this.#loading;
  }

  /**
   * A new SHA-256, at once (starting the load the first time): hash-wasm's when it is loaded, @noble/hashes' when it
   * was refused, and while it loads one that holds what it is given until it knows (PendingHash).
   */
  create(): StreamingHash {
    void this.ready();
    return this.#settled() ?? new PendingHash(() => this.#settled());
  }

  /** A new SHA-256 of the engine in use, or null while hash-wasm loads. */
  #settled(): StreamingHash | null {
    return this.#wasm ? this.#wasm() : this.#failed ? nobleHash() : null;
  }
}

/** @noble/hashes' SHA-256 (pure JS: it runs everywhere). */
export function nobleHash(): StreamingHash {
  const hash = sha256.create();
  return { update: (bytes) => void hash.update(bytes), digest: () => hash.digest() };
}

/**
 * A hash made while hash-wasm loads: it holds the bytes it is given (references, not copies) until `settled` gives the
 * hash to use, and then hands them to it. Asked for its digest before, or given more than PENDING_HASH_BYTES, it uses
 * @noble/hashes instead, so `update` and `digest` never wait.
 */
class PendingHash implements StreamingHash {
  readonly #settled: () => StreamingHash | null;
  #inner: StreamingHash | null = null;
  #held: Uint8Array[] = [];
  #heldBytes = 0;

  constructor(settled: () => StreamingHash | null) {
    this.#settled = settled;
  }

  update(bytes: Uint8Array): void {
    const inner = this.#inner ?? this.#take(this.#settled());
    if (inner) return inner.update(bytes);
    this.#held.push(bytes);
    this.#heldBytes += bytes.length;
    if (this.#heldBytes > PENDING_HASH_BYTES) this.#take(nobleHash());
  }

  digest(): Uint8Array {
    return (this.#inner ?? this.#take(this.#settled() ?? nobleHash()))!.digest();
  }

  /** Goes on with `hash` (when there is one), fed first what was held. */
  #take(hash: StreamingHash | null): StreamingHash | null {
    if (hash === null) return null;
    this.#inner = hash;
    for (const bytes of this.#held) hash.update(bytes);
    this.#held = [];
    return hash;
  }
}
