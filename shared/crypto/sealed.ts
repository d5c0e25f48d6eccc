import type { Result } from '../result.ts';
import { decodeUtf8, encodeUtf8 } from './encoding.ts';
import type { CryptoError } from './errors.ts';
import { AEAD_NONCE_BYTES, aeadOpen, aeadSeal } from './primitives.ts';
import { drawRandom, type RandomBytes } from './random.ts';

/** Text sealed with XChaCha20-Poly1305 under a fresh random 24-byte nonce. */
export interface Sealed {
  /** 24 random bytes, new for every seal. */
  readonly nonce: Uint8Array;
  /** The UTF-8 plaintext encrypted, followed by the 16-byte tag. */
  readonly ciphertext: Uint8Array;
}

/**
 * Seals text under `key`, authenticating `ad` with it. The nonce is drawn from `random` every time: 192-bit random
 * nonces collide with probability about n²/2¹⁹³ after n seals under one key, negligible for any chat. Throws on
 * text that is not well-formed Unicode or a key of the wrong length (caller misuse).
 */
export function sealText(key: Uint8Array, text: string, ad: Uint8Array, random: RandomBytes): Sealed {
  const plaintext = encodeUtf8(text);
  if (!plaintext.ok) throw new Error(plaintext.error.message);
  const nonce = drawRandom(random, AEAD_NONCE_BYTES);
  return { nonce, ciphertext: aeadSeal(key, nonce, plaintext.value, ad) };
}

/** Opens what {@link sealText} sealed, with the same key and associated data. Never throws. */
export function openText(key: Uint8Array, sealed: Sealed, ad: Uint8Array): Result<string, CryptoError> {
  const plaintext = aeadOpen(key, sealed.nonce, sealed.ciphertext, ad);
  return plaintext.ok ? decodeUtf8(plaintext.value) : plaintext;
}
