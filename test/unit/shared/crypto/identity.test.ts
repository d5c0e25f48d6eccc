import { createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toBase64url } from '../../../../shared/crypto/encoding.ts';
import {
  PUBLIC_IDENTITY_LENGTH,
  encodePublicIdentity,
  fingerprint,
  generateIdentity,
  identityFromSeed,
  parsePublicIdentity,
  sameIdentity,
} from '../../../../shared/crypto/identity.ts';
import { Label } from '../../../../shared/crypto/labels.ts';
import { ann, bob, counting, hex, seededRandom, toHex } from './fixtures.ts';

/** The raw public key Node's own crypto derives from a raw 32-byte private key (PKCS#8 wrapping, RFC 8410). */
function nodePublicKey(algorithm: 'ed25519' | 'x25519', secret: Uint8Array): string {
  const prefix = algorithm === 'ed25519' ? '302e020100300506032b657004220420' : '302e020100300506032b656e04220420';
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from(prefix, 'hex'), secret]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return toHex(Uint8Array.from(Buffer.from(String(jwk.x), 'base64url')));
}

describe('identityFromSeed', () => {
  const seed = counting(32);
  const identity = identityFromSeed(seed);

  it('derives both keys with HKDF-SHA256 under distinct labels, as Node computes them', () => {
    const signingSeed = new Uint8Array(hkdfSync('sha256', seed, new Uint8Array(), Label.identitySigning, 32));
    const agreementSecret = new Uint8Array(hkdfSync('sha256', seed, new Uint8Array(), Label.identityAgreement, 32));
    expect(toHex(identity.signingSeed)).toBe(toHex(signingSeed));
    expect(toHex(identity.agreementSecret)).toBe(toHex(agreementSecret));
    expect(toHex(identity.publicIdentity.signing)).toBe(nodePublicKey('ed25519', signingSeed));
    expect(toHex(identity.publicIdentity.agreement)).toBe(nodePublicKey('x25519', agreementSecret));
  });

  it('matches the published ChatUs vector for seed 00 01 … 1f', () => {
    expect(encodePublicIdentity(identity.publicIdentity)).toBe(IDENTITY_VECTOR);
    expect(fingerprint(identity.publicIdentity)).toBe(FINGERPRINT_VECTOR);
  });

  it('is deterministic, and the two secrets differ from each other and from the seed', () => {
    expect(identityFromSeed(seed.slice())).toStrictEqual(identity);
    expect(toHex(identity.signingSeed)).not.toBe(toHex(identity.agreementSecret));
    expect(toHex(identity.signingSeed)).not.toBe(toHex(seed));
  });

  it('throws on a seed of the wrong length (caller misuse)', () => {
    expect(() => identityFromSeed(new Uint8Array(31))).toThrow();
  });
});

describe('generateIdentity', () => {
  it('takes exactly 32 bytes from the injected random source', () => {
    const lengths: number[] = [];
    const identity = generateIdentity((n) => {
      lengths.push(n);
      return seededRandom(7)(n);
    });
    expect(lengths).toStrictEqual([32]);
    expect(identity).toStrictEqual(identityFromSeed(seededRandom(7)(32)));
  });

  it('throws when the random source breaks its contract', () => {
    expect(() => generateIdentity(() => new Uint8Array(16))).toThrow();
  });
});

describe('public identity text', () => {
  it('round-trips through 86 characters of base64url', () => {
    const text = encodePublicIdentity(ann.publicIdentity);
    expect(text).toMatch(new RegExp(`^[A-Za-z0-9_-]{${PUBLIC_IDENTITY_LENGTH}}$`));
    const parsed = parsePublicIdentity(text);
    expect(parsed.ok && sameIdentity(parsed.value, ann.publicIdentity)).toBe(true);
  });

  const good = ann.publicIdentity;
  const withKeys = (signing: Uint8Array, agreement: Uint8Array): string =>
    toBase64url(Uint8Array.from([...signing, ...agreement]));
  const order8 = hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a');
  const notOnCurve = hex('02'.padEnd(64, '0'));

  it.each([
    ['empty', '', 'ERR_BAD_ENCODING'],
    ['one character short', encodePublicIdentity(good).slice(1), 'ERR_BAD_ENCODING'],
    ['not base64url', `${encodePublicIdentity(good).slice(1)}+`, 'ERR_BAD_ENCODING'],
    ['an Ed25519 key of small order', withKeys(order8, good.agreement), 'ERR_BAD_KEY'],
    ['an Ed25519 key off the curve', withKeys(notOnCurve, good.agreement), 'ERR_BAD_KEY'],
    ['an Ed25519 identity point', withKeys(hex(`01${'00'.repeat(31)}`), good.agreement), 'ERR_BAD_KEY'],
    ['an X25519 key with the top bit set', withKeys(good.signing, hex(`09${'00'.repeat(30)}80`)), 'ERR_BAD_KEY'],
    ['an X25519 key equal to p', withKeys(good.signing, hex(`ed${'ff'.repeat(30)}7f`)), 'ERR_BAD_KEY'],
  ])('refuses %s', (_name, text, code) => {
    expect(parsePublicIdentity(text)).toMatchObject({ ok: false, error: { code } });
  });
});

describe('fingerprint', () => {
  it('is 8 groups of 4 hex digits, stable, and different for different identities', () => {
    expect(fingerprint(ann.publicIdentity)).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){7}$/);
    expect(fingerprint(ann.publicIdentity)).toBe(fingerprint(identityFromSeed(ann.seed).publicIdentity));
    expect(fingerprint(ann.publicIdentity)).not.toBe(fingerprint(bob.publicIdentity));
  });
});

// ChatUs's own vectors, for other implementations: pinned here, and the derivation above is checked against Node.
const IDENTITY_VECTOR = '8CknC8NAgcTDAnBOCKA6CtctF15vrZPr3JO9a9k10RXU357fFTM9Ax1fp2llpqJwGcJQfkBx-d-6CYPmUcBbQg';
const FINGERPRINT_VECTOR = '7459 485c 30d3 e67b 731c bd37 d8b5 7977';
