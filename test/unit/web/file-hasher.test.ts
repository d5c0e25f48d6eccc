import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileHashing, nobleHash, PENDING_HASH_BYTES, type StreamingHash, type WasmHashes } from '../../../web/src/net/files/file-hasher.ts';
import { wasmHashes } from '../../../web/src/net/files/wasm-sha256.ts';

/** `data` cut at `cuts` (positions, any order, repeats allowed: empty pieces too). */
function pieces(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [0, ...cuts.map((cut) => cut % (data.length + 1)).sort((a, b) => a - b), data.length];
  return at.slice(1).map((end, i) => data.subarray(at[i], end));
}

const input = fc.record({ data: fc.uint8Array({ maxLength: 3000 }), cuts: fc.array(fc.nat(), { maxLength: 8 }) });

/** A loader whose outcome the test decides, and when. */
function heldLoader() {
  let settle!: { resolve: (wasm: WasmHashes) => void; reject: (error: Error) => void };
  const loading = new Promise<WasmHashes>((resolve, reject) => (settle = { resolve, reject }));
  return { load: () => loading, settle };
}

/** WasmHashes that count the bytes they were given. */
function counted(hashes: WasmHashes) {
  const count = { bytes: 0 };
  const made = (): StreamingHash => {
    const hash = hashes();
    return { update: (bytes) => ((count.bytes += bytes.length), hash.update(bytes)), digest: () => hash.digest() };
  };
  return { made, count };
}

describe('the SHA-256 of files', () => {
  it('gives the digest of @noble/hashes in one go, with hash-wasm and with the fallback, however the bytes are cut', async () => {
    const wasm = await wasmHashes();
    fc.assert(
      fc.property(input, ({ data, cuts }) => {
        for (const hash of [wasm(), nobleHash()]) {
          for (const piece of pieces(data, cuts)) hash.update(piece);
          expect(hash.digest()).toEqual(sha256(data));
        }
      }),
    );
  });

  it('keeps apart files hashed at the same time in the one WebAssembly instance', async () => {
    const wasm = await wasmHashes();
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 4 }), fc.array(fc.nat()), (files, order) => {
        const hashes = files.map(() => wasm());
        const queues = files.map(({ data, cuts }) => pieces(data, cuts));
        // One piece at a time, from the file the test picks (each file's own in order); then the rest of each.
        for (const pick of order) {
          const piece = queues[pick % files.length]!.shift();
          if (piece) hashes[pick % files.length]!.update(piece);
        }
        queues.forEach((queue, i) => queue.forEach((piece) => hashes[i]!.update(piece)));
        hashes.forEach((hash, i) => expect(hash.digest()).toEqual(sha256(files[i]!.data)));
      }),
    );
  });

  it('uses @noble/hashes when hash-wasm cannot load', async () => {
    let loads = 0;
    const hashing = new FileHashing(() => (loads++, Promise.reject(new WebAssembly.CompileError('refused by the Content-Security-Policy'))));
    await hashing.ready();
    await hashing.ready();
    expect(loads).toBe(1);
    const data = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    const hash = hashing.create();
    for (const piece of pieces(data, [10, 4000])) hash.update(piece);
    expect(hash.digest()).toEqual(sha256(data));
  });

  it('a hash made while hash-wasm loads holds its bytes, then hands them to hash-wasm once loaded', async () => {
    const loader = heldLoader();
    const hashing = new FileHashing(loader.load);
    const data = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff);
    const hash = hashing.create();
    hash.update(data.subarray(0, 40_000));
    const wasm = counted(await wasmHashes());
    loader.settle.resolve(wasm.made);
    await hashing.ready();
    hash.update(data.subarray(40_000));
    expect(hash.digest()).toEqual(sha256(data));
    expect(wasm.count.bytes).toBe(data.length);
    // Made now, it is hash-wasm's at once.
    const next = hashing.create();
    next.update(data);
    expect(next.digest()).toEqual(sha256(data));
    expect(wasm.count.bytes).toBe(2 * data.length);
  });

  it('a hash made while hash-wasm loads goes on with @noble/hashes when asked for its digest, or given too much, first', async () => {
    const loader = heldLoader();
    const hashing = new FileHashing(loader.load);
    const small = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    const early = hashing.create();
    early.update(small);
    expect(early.digest()).toEqual(sha256(small));
    const large = new Uint8Array(PENDING_HASH_BYTES + 1).fill(9);
    const big = hashing.create();
    big.update(large.subarray(0, 1));
    big.update(large.subarray(1));
    const wasm = counted(await wasmHashes());
    loader.settle.resolve(wasm.made);
    await hashing.ready();
    big.update(small);
    const both = new Uint8Array(large.length + small.length);
    both.set(large);
    both.set(small, large.length);
    expect(big.digest()).toEqual(sha256(both));
    // Neither went to hash-wasm once it came: each was already hashing with @noble/hashes.
    expect(wasm.count.bytes).toBe(0);
  });

  it('a hash made while hash-wasm loads gives the right digest when the load fails', async () => {
    const loader = heldLoader();
    const hashing = new FileHashing(loader.load);
    const data = Uint8Array.from({ length: 3000 }, (_, i) => (i * 3) & 0xff);
    const hash = hashing.create();
    hash.update(data.subarray(0, 1000));
    loader.settle.reject(new Error('no WebAssembly here'));
    await hashing.ready();
    hash.update(data.subarray(1000));
    expect(hash.digest()).toEqual(sha256(data));
  });
});
