import { ok, type Result } from '../result.ts';
import { bytesEqual, concatBytes, fromBase64url, labelBytes, toBase64url } from './encoding.ts';
import type { CryptoError } from './errors.ts';
import { Label } from './labels.ts';
import { sha256Digest } from './primitives.ts';
import { drawRandom, type RandomBytes } from './random.ts';

/**
 * The secret of a private room, as it travels in the invite link's fragment (`https://host/#<secret>`, never sent
 * to the server by browsers). 36 bytes as 48 characters of base64url: a version byte (1), the 32 random bytes of the
 * secret (256 bits), and a 3-byte checksum, SHA-256("ChatUs v1 invite checksum" ‖ version ‖ secret)[0..3], so a
 * truncated or mistyped link is recognised (a random edit slips through with probability 2⁻²⁴) instead of
 * silently opening a different, empty room.
 */

/** Bytes of an invite secret's random part. */
export const INVITE_SECRET_BYTES = 32;
/** Characters of an invite secret in a link (without `#`). */
export const INVITE_SECRET_LENGTH = 48;
/** The current format's version byte. */
export const INVITE_VERSION = 1;
/** What people are told about any invite secret that does not parse. */
export const INVALID_INVITE_MESSAGE = 'This invite link is not valid';

const CHECKSUM_BYTES = 3;

/** A private room's secret: whoever holds it can join, read and write the room. */
export interface InviteSecret {
  readonly bytes: Uint8Array;
}

/** Why an invite secret was refused; `message` is always {@link INVALID_INVITE_MESSAGE}. */
export interface InviteError extends CryptoError {
  readonly code: 'ERR_BAD_INVITE';
  /** For tests and logs: which check failed. */
  readonly reason: 'length' | 'encoding' | 'version' | 'checksum';
}

/** A new invite secret from 32 bytes of `random`. */
export function createInviteSecret(random: RandomBytes): InviteSecret {
  return { bytes: drawRandom(random, INVITE_SECRET_BYTES) };
}

/** The link form of a secret: 48 base64url characters, to be put after `#`. */
export function formatInviteSecret(secret: InviteSecret): string {
  if (secret.bytes.length !== INVITE_SECRET_BYTES) throw new Error(`invite secret must be ${INVITE_SECRET_BYTES} bytes`);
  return toBase64url(concatBytes([new Uint8Array([INVITE_VERSION]), secret.bytes, checksum(INVITE_VERSION, secret.bytes)]));
}

/**
 * Reads a secret from a link fragment (with or without its leading `#`). Refuses a wrong length (truncated or
 * padded), characters outside base64url, an unknown version and a checksum that does not match (edited). Never
 * throws.
 */
export function parseInviteSecret(fragment: string): Result<InviteSecret, InviteError> {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (text.length !== INVITE_SECRET_LENGTH) return refuse('length');
  const bytes = fromBase64url(text);
  if (!bytes.ok) return refuse('encoding');
  const version = bytes.value[0] ?? 0;
  if (version !== INVITE_VERSION) return refuse('version');
  const secret = bytes.value.slice(1, 1 + INVITE_SECRET_BYTES);
  if (!bytesEqual(bytes.value.slice(1 + INVITE_SECRET_BYTES), checksum(version, secret))) return refuse('checksum');
  return ok({ bytes: secret });
}

function checksum(version: number, secret: Uint8Array): Uint8Array {
  const input = concatBytes([labelBytes(Label.inviteChecksum), new Uint8Array([version]), secret]);
  return sha256Digest(input).slice(0, CHECKSUM_BYTES);
}

function refuse(reason: InviteError['reason']): Result<never, InviteError> {
  return { ok: false, error: { code: 'ERR_BAD_INVITE', reason, message: INVALID_INVITE_MESSAGE } };
}
