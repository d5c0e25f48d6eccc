import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { encodePublicIdentity, identityFromSeed } from '../../../shared/crypto/identity.ts';
import type { RandomBytes } from '../../../shared/crypto/random.ts';
import { loadIdentity } from '../../../web/src/storage/identity-store.ts';

/** A random source that hands out the seed filled with `byte`, so a test knows which load made the stored seed. */
const seedOf = (byte: number): RandomBytes => (length) => new Uint8Array(length).fill(byte);
const publicText = (byte: number): string => encodePublicIdentity(identityFromSeed(seedOf(byte)(32)).publicIdentity);

/** Writes `value` where the store keeps the seed, as a damaged or hand-edited profile would hold it. */
async function storeRaw(factory: IDBFactory, value: unknown): Promise<void> {
  await loadIdentity(() => factory, seedOf(9));
  const database = await new Promise<IDBDatabase>((resolve) => {
    const request = factory.open('chatus', 1);
    request.onsuccess = () => resolve(request.result);
  });
  await new Promise<void>((resolve) => {
    const transaction = database.transaction('identity', 'readwrite');
    transaction.objectStore('identity').put(value, 'seed');
    transaction.oncomplete = () => resolve();
  });
  database.close();
}

describe('loadIdentity (IndexedDB)', () => {
  it('makes the identity on first use and gives the same one on every later load', async () => {
    const factory = new IDBFactory();
    const first = await loadIdentity(() => factory, seedOf(1));
    expect(first.kept).toBe(true);
    expect(encodePublicIdentity(first.identity.publicIdentity)).toBe(publicText(1));
    const later = await loadIdentity(() => factory, seedOf(2));
    expect(later.kept).toBe(true);
    expect(encodePublicIdentity(later.identity.publicIdentity)).toBe(publicText(1));
  });

  it('gives two tabs that load at once on first use the same identity', async () => {
    const factory = new IDBFactory();
    const loads = await Promise.all([1, 2, 3, 4].map((byte) => loadIdentity(() => factory, seedOf(byte))));
    const keys = new Set(loads.map((loaded) => encodePublicIdentity(loaded.identity.publicIdentity)));
    expect(loads.every((loaded) => loaded.kept)).toBe(true);
    expect([...keys]).toHaveLength(1);
    // And that identity is the stored one.
    const again = await loadIdentity(() => factory, seedOf(7));
    expect(keys.has(encodePublicIdentity(again.identity.publicIdentity))).toBe(true);
  });

  it.each([
    ['a seed of the wrong length', new Uint8Array(31)],
    ['text', 'not a seed'],
    ['an array of numbers', Array.from({ length: 32 }, () => 1)],
  ])('replaces %s with a new seed, kept from then on', async (_, value) => {
    const factory = new IDBFactory();
    await storeRaw(factory, value);
    const loaded = await loadIdentity(() => factory, seedOf(3));
    expect(loaded.kept).toBe(true);
    expect(encodePublicIdentity(loaded.identity.publicIdentity)).toBe(publicText(3));
    expect(encodePublicIdentity((await loadIdentity(() => factory, seedOf(4))).identity.publicIdentity)).toBe(publicText(3));
  });

  it('falls back to an identity for this visit, saying why, when there is no IndexedDB', async () => {
    const loaded = await loadIdentity(() => undefined, seedOf(5));
    expect(loaded).toMatchObject({ kept: false, reason: 'this browser offers no IndexedDB' });
    expect(encodePublicIdentity(loaded.identity.publicIdentity)).toBe(publicText(5));
  });

  it('falls back when touching IndexedDB throws (a sandboxed page), opening throws (storage disabled) or fails', async () => {
    const sandboxed = () => {
      throw new DOMException('Access is denied for this document.', 'SecurityError');
    };
    expect(await loadIdentity(sandboxed, seedOf(5))).toMatchObject({ kept: false, reason: 'Access is denied for this document.' });

    const throwing = { open: () => { throw new DOMException('The operation is insecure.', 'SecurityError'); } } as unknown as IDBFactory;
    expect(await loadIdentity(() => throwing, seedOf(5))).toMatchObject({ kept: false, reason: 'The operation is insecure.' });

    const failing = {
      open: () => {
        const request = { error: new DOMException('refused', 'UnknownError') } as unknown as IDBOpenDBRequest;
        queueMicrotask(() => request.onerror?.(new Event('error')));
        return request;
      },
    } as unknown as IDBFactory;
    expect(await loadIdentity(() => failing, seedOf(5))).toMatchObject({ kept: false, reason: 'refused' });
  });

  it('falls back when the database never answers, after the timeout', async () => {
    const silent = { open: () => ({}) } as unknown as IDBFactory;
    const started = Date.now();
    const loaded = await loadIdentity(() => silent, seedOf(6), 50);
    expect(loaded).toMatchObject({ kept: false, reason: 'no answer within 50 ms' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(encodePublicIdentity(loaded.identity.publicIdentity)).toBe(publicText(6));
  });
});
