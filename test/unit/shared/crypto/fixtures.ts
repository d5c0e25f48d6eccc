import { sha256 } from '@noble/hashes/sha2.js';
import { identityFromSeed, type Identity } from '../../../../shared/crypto/identity.ts';
import type { RandomBytes } from '../../../../shared/crypto/random.ts';
import type { MessageHeader } from '../../../../shared/crypto/signing.ts';

/** Bytes from hex. */
export const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

/** Hex from bytes. */
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Bytes 0, 1, 2, … n−1 plus `offset`, as the RFC vectors write them. */
export const counting = (n: number, offset = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (offset + i) & 0xff);

/** A deterministic random source for tests: SHA-256(seed ‖ counter) blocks. Never use outside tests. */
export function seededRandom(seed: number): RandomBytes {
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 32) {
      const block = sha256(Uint8Array.of(seed & 0xff, (counter >> 16) & 0xff, (counter >> 8) & 0xff, counter & 0xff));
      counter++;
      out.set(block.subarray(0, Math.min(32, length - offset)), offset);
    }
    return out;
  };
}

/** The identity whose seed is 32 bytes of `fill`. */
export const identityOf = (fill: number): Identity => identityFromSeed(new Uint8Array(32).fill(fill));

/** Ann, Bob and Cat: three fixed identities. */
export const ann = identityOf(1);
export const bob = identityOf(2);
export const cat = identityOf(3);

/** A message header by `author` in room `room-1`. */
export function headerBy(author: Identity, overrides: Partial<MessageHeader> = {}): MessageHeader {
  return { v: 1, room: 'room-1', id: 'msg-00000001', author: author.publicIdentity, seq: 1, ts: 1_700_000_000_000, ...overrides };
}

/** A copy of `bytes` with bit 0 of byte `index` flipped. */
export function flipped(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ 1;
  return copy;
}
