import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ed25519Key } from '../../../../shared/crypto/primitives.ts';
import { flipped, hex } from './fixtures.ts';

// Ed25519Key checks signatures itself (on a key decoded once, with a table of its multiples): it must say what
// noble's own strict verification says, for good signatures and for every way of spoiling one.

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** The 32 little-endian bytes of `n`. */
const littleEndian = (n: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const fromLittleEndian = (bytes: Uint8Array): bigint => bytes.reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n);

/** A signature spoiled in one of the ways a forger might try. */
function spoiled(signature: Uint8Array, how: number, at: number): Uint8Array {
  switch (how % 4) {
    case 0:
      return flipped(signature, at % 64);
    case 1: // S + L: the same point, a second encoding strict verification refuses
      return Uint8Array.from([...signature.subarray(0, 32), ...littleEndian(fromLittleEndian(signature.subarray(32)) + L)]);
    case 2: // R replaced by a non-canonical y (p + small), which a lax decoder would accept
      return Uint8Array.from([...littleEndian(2n ** 255n - 19n + BigInt(at % 19)), ...signature.subarray(32)]);
    default: // S = 0 and R the identity: the degenerate pair
      return Uint8Array.from([1, ...new Uint8Array(63)]);
  }
}

describe('Ed25519Key', () => {
  it('agrees with noble strict verification on good and spoiled signatures, before and after its table', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 }), fc.nat(), fc.nat(), (seed, message, how, at) => {
        const publicKey = ed25519.getPublicKey(seed);
        const key = Ed25519Key.from(publicKey);
        if (!key) throw new Error('a fresh key is usable');
        const signature = ed25519.sign(message, seed);
        const bad = spoiled(signature, how, at);
        const noble = (sig: Uint8Array, msg: Uint8Array): boolean => ed25519.verify(sig, msg, publicKey, { zip215: false });
        for (const tabled of [false, true]) {
          if (tabled) key.tabulate();
          expect(key.verify(message, signature)).toBe(true);
          expect(key.verify(message, bad)).toBe(noble(bad, message));
          expect(key.verify(Uint8Array.of(...message, 0), signature)).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("refuses another key's signatures with its table", () => {
    const [one, two] = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
    const key = Ed25519Key.from(ed25519.getPublicKey(one));
    key?.tabulate();
    const message = Uint8Array.of(1, 2, 3);
    expect(key?.verify(message, ed25519.sign(message, one))).toBe(true);
    expect(key?.verify(message, ed25519.sign(message, two))).toBe(false);
  });

  it.each([
    ['the identity point (small order)', '0100000000000000000000000000000000000000000000000000000000000000'],
    ['a point of order 8', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'],
    ['a non-canonical y', 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['31 bytes', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f70751'],
  ])('refuses %s as a key', (_name, text) => {
    expect(Ed25519Key.from(hex(text))).toBeNull();
  });

  it('keeps its own copy of the key bytes', () => {
    const seed = new Uint8Array(32).fill(3);
    const publicKey = ed25519.getPublicKey(seed);
    const key = Ed25519Key.from(publicKey);
    const message = Uint8Array.of(7);
    publicKey.fill(0);
    expect(key?.verify(message, ed25519.sign(message, seed))).toBe(true);
  });
});
