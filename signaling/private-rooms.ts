import { fromBase64url } from '../shared/crypto/encoding.ts';
import { isPrivateRoomId, verifyJoinProof } from '../shared/crypto/private-room.ts';
import { ED25519_PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from '../shared/crypto/primitives.ts';
import { ErrorCode } from '../shared/errors.ts';
import type { WireSignalData } from '../shared/protocol/fields.ts';
import { err, ok, type Result } from '../shared/result.ts';

/**
 * The server's side of private rooms, as pure functions. A private room is created by its first joiner under a room
 * authentication key whose hash is the room id; the server keeps only that public key and admits whoever signs this
 * connection's fresh challenge with the matching private key. It never sees the invite secret, so it cannot join
 * its own rooms. Signals in a private room are sealed end to end; the server checks only their form, never content.
 */

/** Who may enter a room: anyone who names it (open), or whoever proves the room key (private). */
export type RoomAccess = { readonly kind: 'open' } | { readonly kind: 'private'; readonly authKey: string };

/** The access of an open room. */
export const openRoom: RoomAccess = { kind: 'open' };

/** A private join's claim as the client sent it: the room key (base64url) and its signature over the challenge. */
export interface PrivateClaim {
  readonly authKey: string;
  readonly proof: string;
}

/** Why a join was refused on account of the room's access. */
export type AccessError =
  | typeof ErrorCode.PrivateRoom
  | typeof ErrorCode.RoomNotPrivate
  | typeof ErrorCode.RoomKeyMismatch
  | typeof ErrorCode.BadProof;

/** Why a signal's form does not fit its room. */
export type SignalFormError = typeof ErrorCode.SignalNotSealed | typeof ErrorCode.SignalSealed;

/** Sentences for people, one per code, stable enough to show as they are. */
const texts: Record<AccessError | SignalFormError, string> = {
  [ErrorCode.PrivateRoom]: 'this room is private: open it with its invite link (its id alone admits nobody)',
  [ErrorCode.BadProof]:
    "the proof of membership does not match this room and this connection's challenge; sign the challenge of this connection's hello",
  [ErrorCode.RoomKeyMismatch]: 'the room key does not belong to this room id; the invite link is damaged or for another room',
  [ErrorCode.RoomNotPrivate]: 'an open room with this id is in use, so no private room can be made under it',
  [ErrorCode.SignalNotSealed]: 'signals in a private room must be sealed with the room key',
  [ErrorCode.SignalSealed]: 'signals in an open room are sent as they are, not sealed',
};

/** The sentence for a private-room refusal. */
export function privateRoomText(code: AccessError | SignalFormError): string {
  return texts[code];
}

/**
 * Checks a private join before the room is looked at: the key must be the one the room id names (so nobody can make
 * a private room under an id another key owns), and the proof must be that key's signature over the room and this
 * connection's challenge (so a proof seen on another connection admits nobody here). Returns the access to ask the
 * registry for; the registry then checks it against the room's stored access. Never throws.
 */
export function provePrivateJoin(roomId: string, claim: PrivateClaim, challenge: Uint8Array): Result<RoomAccess, AccessError> {
  const key = fromBase64url(claim.authKey, ED25519_PUBLIC_KEY_BYTES);
  if (!key.ok || !isPrivateRoomId(roomId, key.value)) return err(ErrorCode.RoomKeyMismatch);
  const proof = fromBase64url(claim.proof, SIGNATURE_BYTES);
  if (!proof.ok || !verifyJoinProof(key.value, { room: roomId, challenge }, proof.value).ok) return err(ErrorCode.BadProof);
  return ok({ kind: 'private', authKey: claim.authKey });
}

/**
 * Whether a join asking for `requested` may enter a room whose access is `stored`: open into open, and private into
 * private under the same key. The key comparison is text against text: both passed the canonical base64url schema,
 * so one key has one text. (Both keys also hash to the room id, so they differ only if SHA-256 collides; the check is
 * there so that the registry, not that argument, is what keeps a room under its key.)
 */
export function accessError(stored: RoomAccess, requested: RoomAccess): AccessError | null {
  if (stored.kind === 'open') return requested.kind === 'open' ? null : ErrorCode.RoomNotPrivate;
  if (requested.kind === 'open') return ErrorCode.PrivateRoom;
  return stored.authKey === requested.authKey ? null : ErrorCode.RoomKeyMismatch;
}

/** Whether a signal's form fits its room: sealed in a private room, plain in an open one. */
export function signalFormError(room: RoomAccess['kind'], data: WireSignalData): SignalFormError | null {
  const sealed = data.type === 'sealed';
  if (room === 'private') return sealed ? null : ErrorCode.SignalNotSealed;
  return sealed ? ErrorCode.SignalSealed : null;
}
