import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { ok, type Result } from '../result.ts';
import { concatBytes } from './encoding.ts';
import { cryptoError, type CryptoError } from './errors.ts';

/**
 * The primitives, each called in exactly one way, so that the RFC test vectors pin what the rest of shared/crypto
 * uses. All from @noble (pure JS: one code path in Node, on secure pages and on plain-http LAN pages).
 */

/** Bytes of an Ed25519 seed (RFC 8032 "private key"). */
export const ED25519_SEED_BYTES = 32;
/** Bytes of an Ed25519 public key. */
export const ED25519_PUBLIC_KEY_BYTES = 32;
/** Bytes of an Ed25519 signature. */
export const SIGNATURE_BYTES = 64;
/** Bytes of an X25519 secret or public key. */
export const X25519_KEY_BYTES = 32;
/** Bytes of an XChaCha20-Poly1305 key. */
export const AEAD_KEY_BYTES = 32;
/** Bytes of an XChaCha20-Poly1305 nonce: 192 bits, so random nonces do not collide in practice. */
export const AEAD_NONCE_BYTES = 24;
/** Bytes the Poly1305 tag adds to every ciphertext. */
export const AEAD_TAG_BYTES = 16;

/** The Ed25519 public key of a 32-byte seed (RFC 8032 §5.1.5). */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

/** A deterministic Ed25519 signature (RFC 8032 §5.1.6). Throws on a seed of the wrong length (caller misuse). */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed);
}

/**
 * Strict Ed25519 verification (RFC 8032 §5.1.7 with canonical encodings only, and small-order public keys refused,
 * as noble's `zip215: false`), so one message has one valid signature per key. Never throws.
 */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return Ed25519Key.from(publicKey)?.verify(message, signature) ?? false;
}

/** The wNAF window of a key's table of multiples: about 100 KiB, and each check then takes about 40% of the time. */
const KEY_TABLE_WINDOW = 4;

/**
 * An Ed25519 public key decoded once, for checking many signatures by one author: the point is decoded and refused
 * when of small order once, and {@link tabulate} keeps a table of its multiples (costing about three checks), after
 * which the check's costliest step, [k]A, is table look-ups and additions instead of 253 doublings.
 */
export class Ed25519Key {
  readonly publicKey: Uint8Array;
  readonly #point: typeof ed25519.Point.BASE;

  private constructor(publicKey: Uint8Array, point: typeof ed25519.Point.BASE) {
    this.publicKey = publicKey;
    this.#point = point;
  }

  /** The key, or null when it is not a canonical encoding of a point outside the small-order subgroup. */
  static from(publicKey: Uint8Array): Ed25519Key | null {
    if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return null;
    try {
      const point = ed25519.Point.fromBytes(publicKey, false);
      return point.isSmallOrder() ? null : new Ed25519Key(publicKey.slice(), point);
    } catch {
      return null;
    }
  }

  /**
   * Whether `signature` is this key's over `message`: the check of noble's `ed25519.verify` with `zip215: false`
   * (RFC 8032 §5.1.7: R a canonical point, 0 ≤ S < L, then the cofactored equation [8][S]B = [8]R + [8][k]A with
   * k = SHA-512(R ‖ A ‖ M) mod L), on the key decoded once. Never throws.
   */
  verify(message: Uint8Array, signature: Uint8Array): boolean {
    if (signature.length !== SIGNATURE_BYTES) return false;
    const { Point } = ed25519;
    try {
      const r = signature.subarray(0, SIGNATURE_BYTES / 2);
      const R = Point.fromBytes(r, false);
      // Throws for S ≥ L, the malleable form strict verification refuses.
      const SB = Point.BASE.multiplyUnsafe(bytesToNumberLE(signature.subarray(SIGNATURE_BYTES / 2)));
      const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes([r, this.publicKey, message]))));
      return R.add(this.#point.multiplyUnsafe(k)).subtract(SB).clearCofactor().is0();
    } catch {
      return false;
    }
  }

  /** Keeps a table of the key's multiples (built at the next check) for an author whose messages keep coming. */
  tabulate(): void {
    this.#point.precompute(KEY_TABLE_WINDOW);
  }
}

/** True for a canonical encoding of an Ed25519 point that is not of small order. Never throws. */
export function isUsableEd25519PublicKey(publicKey: Uint8Array): boolean {
  return Ed25519Key.from(publicKey) !== null;
}

/** The X25519 public key of a 32-byte secret (RFC 7748 §6.1). */
export function x25519PublicKey(secret: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secret);
}

/**
 * X25519(secret, public) (RFC 7748 §5). A public key of small order (which would give an all-zero secret) is
 * refused, as RFC 7748 §6.1 allows. Never throws for a bad public key.
 */
export function x25519SharedSecret(secret: Uint8Array, publicKey: Uint8Array): Result<Uint8Array, CryptoError> {
  if (publicKey.length !== X25519_KEY_BYTES) return cryptoError('ERR_BAD_KEY', 'X25519 public key must be 32 bytes');
  try {
    return ok(x25519.getSharedSecret(secret, publicKey));
  } catch {
    return cryptoError('ERR_BAD_KEY', 'X25519 public key is of small order');
  }
}

/** HKDF-SHA256 (RFC 5869). `salt` undefined means HashLen zero bytes, as the RFC says. */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number): Uint8Array {
  return hkdf(sha256, ikm, salt, info, length);
}

/** SHA-256. */
export function sha256Digest(bytes: Uint8Array): Uint8Array {
  return sha256(bytes);
}

/** SHA-512. */
export function sha512Digest(bytes: Uint8Array): Uint8Array {
  return sha512(bytes);
}

/**
 * XChaCha20-Poly1305 encryption (draft-irtf-cfrg-xchacha-03): ciphertext followed by the 16-byte tag.
 * Throws on a key or nonce of the wrong length (caller misuse).
 */
export function aeadSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  return xchacha20poly1305(key, nonce, ad).encrypt(plaintext);
}

/**
 * XChaCha20-Poly1305 decryption. Any change to the key, nonce, ciphertext, tag or associated data gives
 * `ERR_DECRYPT`; so does a nonce of the wrong length or a ciphertext shorter than a tag. Never throws.
 */
export function aeadOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  ad: Uint8Array,
): Result<Uint8Array, CryptoError> {
  if (key.length !== AEAD_KEY_BYTES || nonce.length !== AEAD_NONCE_BYTES || ciphertext.length < AEAD_TAG_BYTES) {
    return cryptoError('ERR_DECRYPT', 'sealed data has the wrong shape');
  }
  try {
    return ok(xchacha20poly1305(key, nonce, ad).decrypt(ciphertext));
  } catch {
    return cryptoError('ERR_DECRYPT', 'sealed data does not authenticate');
  }
}
