import { randomBytes } from '@noble/hashes/utils.js';

/**
 * A source of cryptographically secure random bytes, injected so that every function here runs unchanged in Node,
 * on a secure page and on a plain-http LAN page (which has `crypto.getRandomValues` but no WebCrypto), and so
 * that tests can pin it. Must return a fresh array of exactly `length` bytes.
 */
export type RandomBytes = (length: number) => Uint8Array;

/**
 * The platform's CSPRNG: `crypto.getRandomValues` (browsers, secure or not; Node 20's global `crypto`).
 * Throws if the platform has none. Pass it where a function takes a {@link RandomBytes}.
 */
export const systemRandom: RandomBytes = (length) => randomBytes(length);

/** Draws `length` bytes and checks the source kept its contract; a source that did not is caller misuse. */
export function drawRandom(random: RandomBytes, length: number): Uint8Array {
  const bytes = random(length);
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new Error(`random source returned ${bytes.length} bytes, not ${length}`);
  }
  return bytes;
}
