import * as v from 'valibot';
import { MAX_SDP_LENGTH, MAX_TEXT_LENGTH } from '../limits.ts';
import { ok, type Result } from '../result.ts';
import { base64urlLength, fromBase64url, isBase64urlOf, toBase64url } from './encoding.ts';
import type { CryptoError } from './errors.ts';
import { PUBLIC_IDENTITY_BYTES, PUBLIC_IDENTITY_LENGTH, parsePublicIdentity } from './identity.ts';
import { INVITE_SECRET_LENGTH } from './invite.ts';
import { JOIN_CHALLENGE_BYTES } from './private-room.ts';
import {
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  ED25519_PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  isUsableEd25519PublicKey,
} from './primitives.ts';
import type { Sealed } from './sealed.ts';

/**
 * Schemas of the cryptographic fields as they travel in JSON (base64url text), for the protocol schemas to use.
 * They check length, alphabet and canonical form, and for keys that the key is usable, so a frame that parses
 * carries fields that decode. Decode them with `fromBase64url`, {@link parsePublicIdentity} or {@link decodeSealed}.
 */

/** Longest UTF-8 plaintext of a chat message: every UTF-16 unit of MAX_TEXT_LENGTH as 3 bytes, the worst case. */
export const MAX_CHAT_PLAINTEXT_BYTES = MAX_TEXT_LENGTH * 3;

/** Canonical base64url text of exactly `bytes` bytes. */
export function base64urlBytes(bytes: number) {
  return v.pipe(
    v.string(),
    v.length(base64urlLength(bytes), `must be ${base64urlLength(bytes)} characters of base64url`),
    v.check((text) => isBase64urlOf(text, bytes), 'must be canonical base64url'),
  );
}

/** A public identity (Ed25519 ‖ X25519 public keys, 86 characters). */
export const PublicIdentityText = v.pipe(
  v.string(),
  v.length(PUBLIC_IDENTITY_LENGTH, `identity must be ${PUBLIC_IDENTITY_LENGTH} characters`),
  v.check((text) => parsePublicIdentity(text).ok, 'identity is not a valid public key pair'),
);

/**
 * A public identity checked for its form only: 86 characters of canonical base64url, keys not checked. For rosters:
 * checking that both keys are usable costs about a third of a millisecond per identity, 35 ms for a roster of 100,
 * and every join sends every member a roster. The server checked each key when its owner joined (PublicIdentityText
 * in `join`), and a client decodes a roster's key where it uses one (signature checks, sealing, safety numbers), each
 * with {@link parsePublicIdentity}, which refuses a bad key there.
 */
export const PublicIdentityShape = base64urlBytes(PUBLIC_IDENTITY_BYTES);

/** An Ed25519 signature (86 characters): of a message by its author, or of a join challenge by the room key. */
export const SignatureText = base64urlBytes(SIGNATURE_BYTES);

/** A private room's authentication public key (43 characters), sent when the room is created. */
export const RoomAuthKeyText = v.pipe(
  base64urlBytes(ED25519_PUBLIC_KEY_BYTES),
  v.check((text) => {
    const bytes = fromBase64url(text, ED25519_PUBLIC_KEY_BYTES);
    return bytes.ok && isUsableEd25519PublicKey(bytes.value);
  }, 'room key is not a usable Ed25519 public key'),
);

/** The server's join challenge (43 characters). */
export const JoinChallengeText = base64urlBytes(JOIN_CHALLENGE_BYTES);

/** An invite secret as it appears after `#` (48 characters); parse it with `parseInviteSecret`. */
export const InviteSecretText = v.pipe(v.string(), v.length(INVITE_SECRET_LENGTH), v.regex(/^[A-Za-z0-9_-]*$/));

/** Sealed text on the wire: a 24-byte nonce and a ciphertext of at most `maxPlaintextBytes` plus the tag. */
export function sealedText(maxPlaintextBytes: number) {
  const maxLength = base64urlLength(maxPlaintextBytes + AEAD_TAG_BYTES);
  return v.object({
    nonce: base64urlBytes(AEAD_NONCE_BYTES),
    ciphertext: v.pipe(
      v.string(),
      v.minLength(base64urlLength(AEAD_TAG_BYTES), 'ciphertext is shorter than its tag'),
      v.maxLength(maxLength, `ciphertext must be at most ${maxLength} characters`),
      v.check((text) => fromBase64url(text).ok, 'ciphertext must be canonical base64url'),
    ),
  });
}

/** A sealed chat text (private-room message or DM) on the wire. */
export const SealedChatText = sealedText(MAX_CHAT_PLAINTEXT_BYTES);

/**
 * Longest plaintext of a sealed signal: the JSON text of one offer, answer or candidate as it would travel unsealed
 * (an SDP of MAX_SDP_LENGTH plus its JSON escapes and fields). Sealed and in base64url it still fits one signaling
 * frame (MAX_SIGNAL_FRAME_BYTES) with room to spare.
 */
export const MAX_SIGNAL_PLAINTEXT_BYTES = MAX_SDP_LENGTH + 4096;

/** A sealed signal (SDP or ICE of a private room) on the wire; the server relays it without reading it. */
export const SealedSignalText = sealedText(MAX_SIGNAL_PLAINTEXT_BYTES);

/** Sealed text on the wire, as inferred from its schema. */
export type SealedText = v.InferOutput<typeof SealedChatText>;

/** The wire form of sealed text. */
export function encodeSealed(sealed: Sealed): SealedText {
  return { nonce: toBase64url(sealed.nonce), ciphertext: toBase64url(sealed.ciphertext) };
}

/** Sealed text from its wire form. Never throws. */
export function decodeSealed(text: SealedText): Result<Sealed, CryptoError> {
  const nonce = fromBase64url(text.nonce, AEAD_NONCE_BYTES);
  if (!nonce.ok) return nonce;
  const ciphertext = fromBase64url(text.ciphertext);
  if (!ciphertext.ok) return ciphertext;
  return ok({ nonce: nonce.value, ciphertext: ciphertext.value });
}
