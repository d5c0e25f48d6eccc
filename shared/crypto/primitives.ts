import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { ok, type Result } from '../result.ts';
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
 * Strict Ed25519 verification (RFC 8032 §5.1.7 with canonical encodings only, and small-order public keys refused:
 * noble's `zip215: false`), so one message has one valid signature per key. Never throws.
 */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** True for a canonical encoding of an Ed25519 point that is not of small order. Never throws. */
export function isUsableEd25519PublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
  try {
    return !ed25519.Point.fromBytes(publicKey, false).isSmallOrder();
  } catch {
    return false;
  }
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
