import { describe, expect, it } from 'vitest';
import {
  aeadOpen,
  aeadSeal,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  hkdfSha256,
  x25519PublicKey,
  x25519SharedSecret,
} from '../../../../shared/crypto/primitives.ts';
import { counting, flipped, hex, toHex } from './fixtures.ts';

// Published test vectors, run through the wrappers the rest of shared/crypto calls.

describe('Ed25519 (RFC 8032 §7.1)', () => {
  const vectors = [
    {
      name: 'TEST 1 (empty message)',
      seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature:
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      name: 'TEST 2 (one byte)',
      seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature:
        '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
    {
      name: 'TEST 3 (two bytes)',
      seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      message: 'af82',
      signature:
        '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    },
  ];

  it.each(vectors)('$name: public key, signature and verification', (vector) => {
    const seed = hex(vector.seed);
    const message = hex(vector.message);
    expect(toHex(ed25519PublicKey(seed))).toBe(vector.publicKey);
    expect(toHex(ed25519Sign(seed, message))).toBe(vector.signature);
    expect(ed25519Verify(hex(vector.publicKey), message, hex(vector.signature))).toBe(true);
  });

  it.each(vectors)('$name: a flipped bit anywhere in the signature fails', (vector) => {
    const signature = hex(vector.signature);
    for (let i = 0; i < signature.length; i++) {
      expect(ed25519Verify(hex(vector.publicKey), hex(vector.message), flipped(signature, i))).toBe(false);
    }
  });

  it('refuses, without throwing, signatures and keys of the wrong length and a non-canonical S', () => {
    const [vector] = vectors;
    if (!vector) throw new Error('no vector');
    const publicKey = hex(vector.publicKey);
    const signature = hex(vector.signature);
    expect(ed25519Verify(publicKey, new Uint8Array(), signature.subarray(0, 63))).toBe(false);
    expect(ed25519Verify(publicKey.subarray(0, 31), new Uint8Array(), signature)).toBe(false);
    // S + L (the group order) verifies under lax rules; strict RFC 8032 requires S < L.
    const sPlusL = (BigInt(`0x${toHex(signature.slice(32).reverse())}`) + 2n ** 252n + 27742317777372353535851937790883648493n)
      .toString(16)
      .padStart(64, '0');
    const malleable = new Uint8Array([...signature.slice(0, 32), ...hex(sPlusL).reverse()]);
    expect(ed25519Verify(publicKey, new Uint8Array(), malleable)).toBe(false);
  });
});

describe('X25519 (RFC 7748)', () => {
  it.each([
    {
      name: '§5.2 vector 1',
      scalar: 'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
      u: 'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
      output: 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
    },
    {
      name: '§5.2 vector 2 (top bit of u set, masked)',
      scalar: '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
      u: 'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
      output: '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
    },
  ])('$name', ({ scalar, u, output }) => {
    const shared = x25519SharedSecret(hex(scalar), hex(u));
    expect(shared.ok && toHex(shared.value)).toBe(output);
  });

  it('§6.1 Diffie-Hellman: both public keys and the shared secret', () => {
    const alice = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bob = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const alicePublic = x25519PublicKey(alice);
    const bobPublic = x25519PublicKey(bob);
    expect(toHex(alicePublic)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bobPublic)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    const fromAlice = x25519SharedSecret(alice, bobPublic);
    const fromBob = x25519SharedSecret(bob, alicePublic);
    expect(fromAlice.ok && toHex(fromAlice.value)).toBe(shared);
    expect(fromBob.ok && toHex(fromBob.value)).toBe(shared);
  });

  it.each([
    ['zero', '00'.repeat(32)],
    ['one', `01${'00'.repeat(31)}`],
    ['a point of order 8', 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800'],
    ['too short', '09'],
  ])('refuses a public key that is %s, as a result', (_name, u) => {
    const shared = x25519SharedSecret(counting(32), hex(u));
    expect(shared).toMatchObject({ ok: false, error: { code: 'ERR_BAD_KEY' } });
  });
});

describe('HKDF-SHA256 (RFC 5869 appendix A)', () => {
  it.each([
    {
      name: 'test case 1 (basic)',
      ikm: new Uint8Array(22).fill(0x0b),
      salt: counting(13) as Uint8Array | undefined,
      info: counting(10, 0xf0),
      length: 42,
      okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    },
    {
      name: 'test case 2 (longer inputs and outputs)',
      ikm: counting(80),
      salt: counting(80, 0x60),
      info: counting(80, 0xb0),
      length: 82,
      okm:
        'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09' +
        'da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
    },
    {
      name: 'test case 3 (no salt, empty info), as every derivation here calls it',
      ikm: new Uint8Array(22).fill(0x0b),
      salt: undefined,
      info: new Uint8Array(),
      length: 42,
      okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    },
  ])('$name', ({ ikm, salt, info, length, okm }) => {
    expect(toHex(hkdfSha256(ikm, salt, info, length))).toBe(okm);
  });
});

describe('XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03 §A.3.1)', () => {
  const key = counting(32, 0x80);
  const nonce = counting(24, 0x40);
  const ad = hex('50515253c0c1c2c3c4c5c6c7');
  const plaintext = new TextEncoder().encode(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const sealed = hex(
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb' +
      '96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' +
      'c0875924c1c7987947deafd8780acf49',
  );

  it('seals to the published ciphertext and tag, and opens it', () => {
    expect(toHex(aeadSeal(key, nonce, plaintext, ad))).toBe(toHex(sealed));
    const opened = aeadOpen(key, nonce, sealed, ad);
    expect(opened.ok && toHex(opened.value)).toBe(toHex(plaintext));
  });

  it('refuses, as a result, a flipped bit in any byte of ciphertext, tag, nonce, associated data or key', () => {
    const cases: [Uint8Array, Uint8Array, Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < sealed.length; i++) cases.push([key, nonce, flipped(sealed, i), ad]);
    for (let i = 0; i < nonce.length; i++) cases.push([key, flipped(nonce, i), sealed, ad]);
    for (let i = 0; i < ad.length; i++) cases.push([key, nonce, sealed, flipped(ad, i)]);
    for (let i = 0; i < key.length; i++) cases.push([flipped(key, i), nonce, sealed, ad]);
    for (const [k, n, c, a] of cases) {
      expect(aeadOpen(k, n, c, a)).toMatchObject({ ok: false, error: { code: 'ERR_DECRYPT' } });
    }
  });

  it.each([
    ['a truncated ciphertext', key, nonce, sealed.subarray(0, sealed.length - 1)],
    ['a ciphertext shorter than a tag', key, nonce, sealed.subarray(0, 15)],
    ['a 12-byte nonce', key, nonce.subarray(0, 12), sealed],
    ['a 16-byte key', key.subarray(0, 16), nonce, sealed],
  ])('refuses %s without throwing', (_name, k, n, c) => {
    expect(aeadOpen(k, n, c, ad)).toMatchObject({ ok: false, error: { code: 'ERR_DECRYPT' } });
  });
});
