import { ok, type Result } from '../result.ts';
import { concatBytes, encodeFields, labelBytes, toBase64url } from './encoding.ts';
import { cryptoError, type CryptoError } from './errors.ts';
import type { InviteSecret } from './invite.ts';
import { Label } from './labels.ts';
import {
  AEAD_KEY_BYTES,
  ED25519_SEED_BYTES,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  hkdfSha256,
  sha256Digest,
} from './primitives.ts';
import type { RandomBytes } from './random.ts';
import { openText, sealText } from './sealed.ts';
import { associatedData, type Attachment, type MessageContent, type MessageHeader } from './signing.ts';

/**
 * Everything a private room needs, derived from its invite secret with HKDF-SHA256 (no salt, distinct info labels):
 * an Ed25519 key pair that proves membership to the server, a key for room messages and a key for SDP/ICE signals.
 * The room id is a hash of the authentication public key, so the server can check that whoever creates the room
 * holds the key its id names (nobody can squat a private room's id under another key), and knowing the id gives
 * neither the secret nor any key.
 */

/** Bytes of the server's join challenge. */
export const JOIN_CHALLENGE_BYTES = 32;
/** Characters of a private room id (16 bytes of hash in base64url; fits ROOM_ID_PATTERN). */
export const PRIVATE_ROOM_ID_LENGTH = 22;

/** A private room's id and keys. Everything but `roomId` and `authPublicKey` stays in the members' browsers. */
export interface PrivateRoom {
  /** The id the server knows the room by. */
  readonly roomId: string;
  /** What the server stores to check join proofs. */
  readonly authPublicKey: Uint8Array;
  /** Signs join proofs. */
  readonly authSeed: Uint8Array;
  /** Seals room messages (XChaCha20-Poly1305). */
  readonly messageKey: Uint8Array;
  /** Seals signals between a member and the host (XChaCha20-Poly1305). */
  readonly signalKey: Uint8Array;
}

/** What a join proof is bound to: the room, and the server's fresh challenge for this one connection. */
export interface JoinBinding {
  readonly room: string;
  readonly challenge: Uint8Array;
}

/** Derives a private room's id and keys from its invite secret. Deterministic: every member gets the same. */
export function derivePrivateRoom(secret: InviteSecret): PrivateRoom {
  const derive = (label: string, length: number) => hkdfSha256(secret.bytes, undefined, labelBytes(label), length);
  const authSeed = derive(Label.roomAuth, ED25519_SEED_BYTES);
  const authPublicKey = ed25519PublicKey(authSeed);
  return {
    roomId: privateRoomId(authPublicKey),
    authPublicKey,
    authSeed,
    messageKey: derive(Label.roomMessageKey, AEAD_KEY_BYTES),
    signalKey: derive(Label.roomSignalKey, AEAD_KEY_BYTES),
  };
}

/** The id of the private room whose authentication key is `authPublicKey`: base64url of SHA-256(label ‖ key)[0..16]. */
export function privateRoomId(authPublicKey: Uint8Array): string {
  return toBase64url(sha256Digest(concatBytes([labelBytes(Label.roomId), authPublicKey])).slice(0, 16));
}

/** For the server, when a private room is created: does this id belong to this authentication key? */
export function isPrivateRoomId(roomId: string, authPublicKey: Uint8Array): boolean {
  return roomId === privateRoomId(authPublicKey);
}

/**
 * A member's answer to the server's join challenge: an Ed25519 signature by the room key over
 * "ChatUs v1 join proof" ‖ room ‖ challenge (length-prefixed). The server draws a fresh random challenge for each
 * connection and accepts one proof for it, so a proof seen once (another member's, or an old one of one's own)
 * admits nobody on any other connection, and a proof for one room is no proof for another. Throws on a challenge
 * shorter than 16 bytes or a room that does not encode (caller misuse).
 */
export function signJoinChallenge(authSeed: Uint8Array, binding: JoinBinding): Uint8Array {
  if (binding.challenge.length < 16) throw new Error('join challenge must be at least 16 bytes');
  const bytes = joinProofBytes(binding);
  if (!bytes.ok) throw new Error(bytes.error.message);
  return ed25519Sign(authSeed, bytes.value);
}

/** For the server: is `proof` the room key's signature over this room and this connection's challenge? Never throws. */
export function verifyJoinProof(
  authPublicKey: Uint8Array,
  binding: JoinBinding,
  proof: Uint8Array,
): Result<true, CryptoError> {
  const bytes = joinProofBytes(binding);
  if (!bytes.ok) return bytes;
  if (binding.challenge.length < 16 || !ed25519Verify(authPublicKey, bytes.value, proof)) {
    return cryptoError('ERR_BAD_SIGNATURE', 'join proof does not match the room and challenge');
  }
  return ok(true);
}

/**
 * Seals a room message's text under the room's message key, bound to its header (and for a file announcement, to
 * its `attach`: transfer id and size). Throws when the header's room is not this room or a field is out of range
 * (caller misuse).
 */
export function sealRoomMessage(
  room: PrivateRoom,
  header: MessageHeader,
  text: string,
  random: RandomBytes,
  attach?: Attachment,
): Extract<MessageContent, { kind: 'room-sealed' }> {
  if (header.room !== room.roomId) throw new Error('header.room is not this private room');
  const ad = associatedData(header, { kind: 'room-sealed', attach });
  if (!ad.ok) throw new Error(ad.error.message);
  const sealed = sealText(room.messageKey, text, ad.value, random);
  return attach ? { kind: 'room-sealed', sealed, attach } : { kind: 'room-sealed', sealed };
}

/** Opens a sealed room message. `ERR_DECRYPT` for another room's key or any changed byte. Never throws. */
export function openRoomMessage(
  room: PrivateRoom,
  header: MessageHeader,
  content: Extract<MessageContent, { kind: 'room-sealed' }>,
): Result<string, CryptoError> {
  const ad = associatedData(header, { kind: 'room-sealed', attach: content.attach });
  if (!ad.ok) return ad;
  return openText(room.messageKey, content.sealed, ad.value);
}

function joinProofBytes(binding: JoinBinding): Result<Uint8Array, CryptoError> {
  return encodeFields([{ text: Label.joinProof }, { text: binding.room }, { bytes: binding.challenge }]);
}
