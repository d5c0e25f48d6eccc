import { fromBase64url, toBase64url } from '../../shared/crypto/encoding.ts';
import { createInviteSecret, formatInviteSecret } from '../../shared/crypto/invite.ts';
import { JOIN_CHALLENGE_BYTES, derivePrivateRoom, signJoinChallenge, type PrivateRoom } from '../../shared/crypto/private-room.ts';
import { systemRandom } from '../../shared/crypto/random.ts';
import { sealSignal, type SignalRoute } from '../../shared/crypto/sealed-signal.ts';
import { encodeSealed } from '../../shared/crypto/wire.ts';
import type { SealedSignalData } from '../../shared/protocol/fields.ts';
import type { ServerMessageOf, WsClient } from './ws-client.ts';

/**
 * What a browser does for a private room, done with the shared crypto so that tests speak the protocol exactly as the
 * client will: make an invite secret, derive the room, read the connection's challenge from `hello`, sign it, seal
 * signals.
 */

/** A private room as its members hold it, with the invite secret as the link carries it (after `#`). */
export interface PrivateRoomKeys {
  readonly secretText: string;
  readonly room: PrivateRoom;
}

/** A new private room with a fresh random invite secret. */
export function newPrivateRoom(): PrivateRoomKeys {
  const secret = createInviteSecret(systemRandom);
  return { secretText: formatInviteSecret(secret), room: derivePrivateRoom(secret) };
}

/** The join challenge of `client`'s connection, from the `hello` the server sent first. */
export async function challengeOf(client: WsClient): Promise<Uint8Array> {
  const hello = await client.next('hello');
  const bytes = fromBase64url(hello.challenge, JOIN_CHALLENGE_BYTES);
  if (!bytes.ok) throw new Error(`hello carried a challenge that does not decode: ${hello.challenge}`);
  return bytes.value;
}

/** The `private` field of a join: the room key and its signature over `roomId` and `challenge`. */
export function proofFor(keys: PrivateRoomKeys, challenge: Uint8Array, roomId = keys.room.roomId): { authKey: string; proof: string } {
  return {
    authKey: toBase64url(keys.room.authPublicKey),
    proof: toBase64url(signJoinChallenge(keys.room.authSeed, { room: roomId, challenge })),
  };
}

/** A private `join` frame for `client`'s connection (it waits for the connection's `hello`). */
export async function privateJoinFrame(client: WsClient, keys: PrivateRoomKeys, name: string, extra: Record<string, unknown> = {}) {
  const challenge = await challengeOf(client);
  return { type: 'join', v: 1, room: keys.room.roomId, name, private: proofFor(keys, challenge), ...extra };
}

/** Joins the private room on `client` with a proof for its connection; resolves with the welcome and roster. */
export async function joinPrivate(
  client: WsClient,
  keys: PrivateRoomKeys,
  name: string,
): Promise<{ welcome: ServerMessageOf<'welcome'>; roster: ServerMessageOf<'roster'> }> {
  client.send(await privateJoinFrame(client, keys, name));
  const welcome = await client.next('welcome');
  const roster = await client.next('roster');
  return { welcome, roster };
}

/** A signal sealed for `route` as a private room's member sends it. */
export function sealedSignal(keys: PrivateRoomKeys, route: SignalRoute, payload: unknown, kind: SealedSignalData['kind']): SealedSignalData {
  return { type: 'sealed', kind, sealed: encodeSealed(sealSignal(keys.room, route, JSON.stringify(payload), systemRandom)) };
}
