import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identityFromSeed, publicIdentityBytes, type PublicIdentity } from '../../../../shared/crypto/identity.ts';
import {
  SAFETY_NUMBER_ITERATIONS,
  safetyNumber,
  safetyNumberHalf,
} from '../../../../shared/crypto/safety-number.ts';
import { ann, bob, cat, counting } from './fixtures.ts';

/** The same chain with Node's SHA-512, written out from the description in safety-number.ts. */
function nodeHalf(identity: PublicIdentity): string {
  const key = Buffer.from(publicIdentityBytes(identity));
  let hash = Buffer.concat([Buffer.from([0, 0]), key, Buffer.from('ChatUs v1 safety number')]);
  for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) hash = createHash('sha512').update(hash).update(key).digest();
  let digits = '';
  for (let i = 0; i < 30; i += 5) digits += String(hash.readUIntBE(i, 5) % 100000).padStart(5, '0');
  return digits;
}

describe('safetyNumber', () => {
  const annBob = safetyNumber(ann.publicIdentity, bob.publicIdentity);

  it('is 60 digits in 12 groups of 5', () => {
    expect(annBob.digits).toMatch(/^\d{60}$/);
    expect(annBob.groups).toHaveLength(12);
    expect(annBob.groups.join('')).toBe(annBob.digits);
    for (const group of annBob.groups) expect(group).toMatch(/^\d{5}$/);
  });

  it('is the same on both screens, whichever side computes it', () => {
    expect(safetyNumber(bob.publicIdentity, ann.publicIdentity)).toStrictEqual(annBob);
  });

  it('is both halves in sorted order, each as Node computes the hash chain', () => {
    const halves = [nodeHalf(ann.publicIdentity), nodeHalf(bob.publicIdentity)].sort();
    expect(safetyNumberHalf(ann.publicIdentity)).toBe(nodeHalf(ann.publicIdentity));
    expect(annBob.digits).toBe(halves.join(''));
  });

  it('changes when either person changes identity, and only that person’s half changes', () => {
    const annCat = safetyNumber(ann.publicIdentity, cat.publicIdentity);
    expect(annCat.digits).not.toBe(annBob.digits);
    const annHalf = safetyNumberHalf(ann.publicIdentity);
    expect(annCat.digits).toContain(annHalf);
    expect(annBob.digits).toContain(annHalf);
  });

  it('changes when only the X25519 key changes (the server cannot swap the DM key unnoticed)', () => {
    const swapped = { signing: bob.publicIdentity.signing, agreement: cat.publicIdentity.agreement };
    expect(safetyNumber(ann.publicIdentity, swapped).digits).not.toBe(annBob.digits);
  });

  it('matches the published ChatUs vector for seeds 00…1f and 20…3f', () => {
    const a = identityFromSeed(counting(32)).publicIdentity;
    const b = identityFromSeed(counting(32, 0x20)).publicIdentity;
    expect(safetyNumber(a, b).groups.join(' ')).toBe(SAFETY_NUMBER_VECTOR);
  });
});

// ChatUs's own vector, for other implementations.
const SAFETY_NUMBER_VECTOR = '17379 90479 51442 09169 99435 10029 68188 49137 85973 72875 09673 64862';
