import { ok, type Result } from '../result.ts';
import { bytesEqual, concatBytes, fromBase64url, labelBytes, toBase64url } from './encoding.ts';
import { cryptoError, type CryptoError } from './errors.ts';
import { Label } from './labels.ts';
import {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SEED_BYTES,
  X25519_KEY_BYTES,
  ed25519PublicKey,
  hkdfSha256,
  isUsableEd25519PublicKey,
  sha256Digest,
  x25519PublicKey,
} from './primitives.ts';
import { drawRandom, type RandomBytes } from './random.ts';

/**
 * A browser profile's long-term identity: an Ed25519 key that signs and an X25519 key that agrees on DM keys.
 * Both come from one 32-byte seed through HKDF with distinct labels, so a profile stores one secret and never
 * uses one key with two algorithms.
 */

/** Bytes of the identity seed a profile stores. */
export const IDENTITY_SEED_BYTES = 32;
/** Bytes of a public identity: the Ed25519 public key, then the X25519 public key. */
export const PUBLIC_IDENTITY_BYTES = ED25519_PUBLIC_KEY_BYTES + X25519_KEY_BYTES;
/** Characters of a public identity in base64url (64 bytes). */
export const PUBLIC_IDENTITY_LENGTH = 86;

/** The public half of an identity: what the roster shows and what safety numbers are made of. */
export interface PublicIdentity {
  /** Ed25519 public key: verifies the person's signatures. */
  readonly signing: Uint8Array;
  /** X25519 public key: the other half of every DM key with this person. */
  readonly agreement: Uint8Array;
}

/** A whole identity. The seed is the only part a profile needs to store; the rest is derived from it. */
export interface Identity {
  readonly seed: Uint8Array;
  readonly signingSeed: Uint8Array;
  readonly agreementSecret: Uint8Array;
  readonly publicIdentity: PublicIdentity;
}

/** A new identity from 32 bytes of `random` (e.g. {@link systemRandom}). */
export function generateIdentity(random: RandomBytes): Identity {
  return identityFromSeed(drawRandom(random, IDENTITY_SEED_BYTES));
}

/** The identity a stored seed stands for; the same seed always gives the same keys. Throws on a wrong length. */
export function identityFromSeed(seed: Uint8Array): Identity {
  if (seed.length !== IDENTITY_SEED_BYTES) throw new Error(`identity seed must be ${IDENTITY_SEED_BYTES} bytes`);
  const signingSeed = hkdfSha256(seed, undefined, labelBytes(Label.identitySigning), ED25519_SEED_BYTES);
  const agreementSecret = hkdfSha256(seed, undefined, labelBytes(Label.identityAgreement), X25519_KEY_BYTES);
  const publicIdentity = { signing: ed25519PublicKey(signingSeed), agreement: x25519PublicKey(agreementSecret) };
  return { seed, signingSeed, agreementSecret, publicIdentity };
}

/** The 64 bytes of a public identity: Ed25519 public key, then X25519 public key. */
export function publicIdentityBytes(identity: PublicIdentity): Uint8Array {
  return concatBytes([identity.signing, identity.agreement]);
}

/** The wire form of a public identity: 86 characters of base64url. */
export function encodePublicIdentity(identity: PublicIdentity): string {
  return toBase64url(publicIdentityBytes(identity));
}

/**
 * Reads a public identity from its wire form. Refuses anything but 86 canonical base64url characters, an Ed25519
 * key that is not a valid point or is of small order, and an X25519 key that is not canonical (high bit set, or
 * not below 2²⁵⁵−19), so that one key has one text form. An X25519 key of small order is refused later, when a
 * DM key is agreed with it. Never throws.
 */
export function parsePublicIdentity(text: string): Result<PublicIdentity, CryptoError> {
  const bytes = fromBase64url(text, PUBLIC_IDENTITY_BYTES);
  if (!bytes.ok) return bytes;
  const signing = bytes.value.slice(0, ED25519_PUBLIC_KEY_BYTES);
  const agreement = bytes.value.slice(ED25519_PUBLIC_KEY_BYTES);
  if (!isUsableEd25519PublicKey(signing)) return cryptoError('ERR_BAD_KEY', 'not a usable Ed25519 public key');
  if (!isCanonicalX25519(agreement)) return cryptoError('ERR_BAD_KEY', 'not a canonical X25519 public key');
  return ok({ signing, agreement });
}

/** True when both keys of two public identities are the same. */
export function sameIdentity(a: PublicIdentity, b: PublicIdentity): boolean {
  return bytesEqual(a.signing, b.signing) && bytesEqual(a.agreement, b.agreement);
}

/**
 * A short, stable name for a public identity, for lists and logs: the first 128 bits of
 * SHA-256(label ‖ identity) as 8 groups of 4 hex digits. To verify a person, compare safety numbers instead.
 */
export function fingerprint(identity: PublicIdentity): string {
  const digest = sha256Digest(concatBytes([labelBytes(Label.fingerprint), publicIdentityBytes(identity)]));
  const hex = Array.from(digest.slice(0, 16), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return hex.match(/.{4}/g)?.join(' ') ?? hex;
}

/** Little-endian u < 2²⁵⁵ − 19 (RFC 7748 §5: the top bit is masked, so it must be clear for one encoding). */
function isCanonicalX25519(u: Uint8Array): boolean {
  if (u.length !== X25519_KEY_BYTES || ((u[31] ?? 0) & 0x80) !== 0) return false;
  // The only values ≥ p below 2²⁵⁵ are p … p+18: 0x7f ff … ff then a low byte ≥ 0xed.
  const allHigh = u.subarray(1, 31).every((byte) => byte === 0xff) && u[31] === 0x7f;
  return !(allHigh && (u[0] ?? 0) >= 0xed);
}
