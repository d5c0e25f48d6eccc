import { concatBytes, labelBytes } from './encoding.ts';
import { publicIdentityBytes, type PublicIdentity } from './identity.ts';
import { Label } from './labels.ts';
import { sha512Digest } from './primitives.ts';

/**
 * Safety numbers, after Signal's numeric fingerprints: each person's public identity is stretched by an iterated
 * hash into 30 digits, and the two halves are shown in sorted order, so both screens show the same 60 digits
 * whichever side computes them. A key change changes that person's half.
 *
 * Why this design: it needs no interaction (unlike Matrix's SAS, which runs a commitment exchange and shows 7 emoji
 * or 3×4 digits per session), it stays the same until a key changes, so it can be compared once over any channel
 * (read aloud, a photo, a paper), and people know its shape from Signal. Each half is 30 digits ≈ 99.7 bits;
 * the 5200 SHA-512 rounds (Signal's count) make every trial key an attacker generates to match a half cost 5200
 * hashes more. Where Signal appends a phone number, there is no stable identifier here, so a fixed label takes its
 * place; the hashed key is the whole 64-byte identity, so the X25519 key is covered too.
 */

/** Version of the construction, hashed first (two bytes, big-endian); bump it when anything here changes. */
export const SAFETY_NUMBER_VERSION = 0;
/** SHA-512 rounds per half (Signal's count). */
export const SAFETY_NUMBER_ITERATIONS = 5200;
/** Digits in a safety number. */
export const SAFETY_NUMBER_DIGITS = 60;

/** A safety number: 60 digits, and the same as 12 groups of 5 for display. */
export interface SafetyNumber {
  readonly digits: string;
  readonly groups: readonly string[];
}

/** The safety number of two people. `safetyNumber(a, b)` and `safetyNumber(b, a)` are equal. */
export function safetyNumber(a: PublicIdentity, b: PublicIdentity): SafetyNumber {
  const halves = [safetyNumberHalf(a), safetyNumberHalf(b)].sort();
  const digits = halves.join('');
  return { digits, groups: digits.match(/\d{5}/g) ?? [] };
}

/**
 * One person's 30 digits: H₀ = version ‖ identity ‖ label, Hᵢ₊₁ = SHA-512(Hᵢ ‖ identity) for 5200 rounds, then
 * the first 30 bytes as six 5-byte big-endian integers, each mod 100000 and written as 5 digits.
 */
export function safetyNumberHalf(identity: PublicIdentity): string {
  const key = publicIdentityBytes(identity);
  const version = new Uint8Array([SAFETY_NUMBER_VERSION >> 8, SAFETY_NUMBER_VERSION & 0xff]);
  let hash = concatBytes([version, key, labelBytes(Label.safetyNumber)]);
  for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) hash = sha512Digest(concatBytes([hash, key]));
  let digits = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 256 + (hash[chunk * 5 + i] ?? 0);
    digits += String(value % 100000).padStart(5, '0');
  }
  return digits;
}
