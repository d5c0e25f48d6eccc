import { fromBase64url, toBase64url } from '../../../shared/crypto/encoding.ts';
import { JOIN_CHALLENGE_BYTES, signJoinChallenge, type PrivateRoom } from '../../../shared/crypto/private-room.ts';
import type { RandomBytes } from '../../../shared/crypto/random.ts';
import { openSignal, sealSignal } from '../../../shared/crypto/sealed-signal.ts';
import { decodeSealed, encodeSealed } from '../../../shared/crypto/wire.ts';
import * as v from 'valibot';
import { SignalData, type WireSignalData } from '../../../shared/protocol/fields.ts';
import { PROTOCOL_VERSION } from '../../../shared/limits.ts';
import type { ClientMessage, PrivateJoinProof } from '../../../shared/protocol/client-message.ts';
import type { WelcomeMessage } from '../../../shared/protocol/server-message.ts';

/**
 * How a room's signals and join look on the signaling socket. An open room sends SDP and ICE as they are and joins
 * at once. A private room seals every signal under the room's signal key, bound to the sender, the receiver and the
 * room (so the server can neither read the peers' addresses and fingerprints nor answer in their place), and proves
 * membership by signing the connection's `hello` challenge with the room's authentication key.
 */
export interface SignalCodec {
  /** Whether the join must wait for the server's `hello` (its challenge is signed). */
  readonly needsChallenge: boolean;
  /** Extra fields of the join for a connection whose challenge is `challenge` (base64url); null when it is unusable. */
  joinFields(challenge: string | null): JoinExtras | null;
  /** A signal from `from` (this tab) to `to` as it goes on the wire. */
  seal(from: string, to: string, data: SignalData): WireSignalData;
  /** A signal from the wire, or null when it is not one this room's peers could have sent. */
  open(from: string, to: string, data: WireSignalData): SignalData | null;
}

/** What a join carries besides room, name, identity and resume. */
export interface JoinExtras {
  readonly private?: v.InferOutput<typeof PrivateJoinProof>;
}

/** Signals of an open room: plain; a sealed one was never meant for it. */
export const openRoomSignals: SignalCodec = {
  needsChallenge: false,
  joinFields: () => ({}),
  seal: (_from, _to, data) => data,
  open: (_from, _to, data) => (data.type === 'sealed' ? null : data),
};

/** Signals of the private room `room`, sealed with fresh nonces from `random`. */
export function privateRoomSignals(room: PrivateRoom, random: RandomBytes): SignalCodec {
  const route = (from: string, to: string) => ({ room: room.roomId, from, to });
  return {
    needsChallenge: true,
    joinFields(challenge) {
      const bytes = challenge === null ? null : fromBase64url(challenge, JOIN_CHALLENGE_BYTES);
      if (!bytes?.ok) return null;
      const proof = signJoinChallenge(room.authSeed, { room: room.roomId, challenge: bytes.value });
      return { private: { authKey: toBase64url(room.authPublicKey), proof: toBase64url(proof) } };
    },
    seal(from, to, data) {
      const sealed = sealSignal(room, route(from, to), JSON.stringify(data), random);
      return { type: 'sealed', kind: data.type, sealed: encodeSealed(sealed) };
    },
    open(from, to, data) {
      // A plain signal in a private room came from no member: the server relays only sealed ones.
      if (data.type !== 'sealed') return null;
      const sealed = decodeSealed(data.sealed);
      if (!sealed.ok) return null;
      const text = openSignal(room, route(from, to), sealed.value);
      if (!text.ok) return null;
      let value: unknown;
      try {
        value = JSON.parse(text.value);
      } catch {
        return null;
      }
      // The kind the server saw must be what was sealed: an answer must not pass for an offer, or the reverse.
      const parsed = v.safeParse(SignalData, value);
      return parsed.success && parsed.output.type === data.kind ? parsed.output : null;
    },
  };
}

/**
 * The join for a room as a person: a resume of `previous` (the last welcome) if there was one, with `extras`. It says
 * that this client answers the server's `ping` (RoomSession does, from its message handler).
 */
export function joinMessage(
  base: { readonly room: string; readonly name: string; readonly identity: string },
  previous: WelcomeMessage | null,
  extras: JoinExtras,
): ClientMessage {
  return {
    type: 'join',
    v: PROTOCOL_VERSION,
    ...base,
    answersPing: true,
    ...(previous ? { resume: { peerId: previous.peerId, token: previous.resumeToken } } : {}),
    ...extras,
  };
}
