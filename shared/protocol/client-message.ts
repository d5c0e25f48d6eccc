import * as v from 'valibot';
import { MAX_SIGNAL_FRAME_BYTES, PROTOCOL_VERSION } from '../limits.ts';
import type { Result } from '../result.ts';
import { PublicIdentityText, RoomAuthKeyText, SignatureText } from '../crypto/wire.ts';
import { DisplayName, PeerId, RoomId, WireSignalData } from './fields.ts';
import { byType, parseFrame, type ProtocolError } from './parse.ts';

/** Client → server messages on the signaling WebSocket. */

/** A claim to come back as the peer id a previous `welcome` gave, proven by its resume token. */
export const ResumeClaim = v.object({
  peerId: PeerId,
  token: v.pipe(v.string(), v.maxLength(128)),
});

/**
 * Membership of a private room, proven to the server: the room's authentication public key and its signature over
 * the room and this connection's challenge (from `hello`; see signJoinChallenge). The first joiner creates the room
 * under this key, which must be the one the room id names; everyone after proves against the stored key.
 */
export const PrivateJoinProof = v.object({
  authKey: RoomAuthKeyText,
  proof: SignatureText,
});

/**
 * Enter a room under a name. The first member of a room becomes its host. With `resume`, a client that lost its
 * socket comes back as the same person: same peer id, and same place in the roster if it is still there.
 */
export const JoinMessage = v.object({
  type: v.literal('join'),
  v: v.literal(PROTOCOL_VERSION),
  room: RoomId,
  name: DisplayName,
  resume: v.optional(ResumeClaim),
  /** The person's public identity (keys), shown to the room in the roster. */
  identity: v.optional(PublicIdentityText),
  /** Present for a private room (and only then). Send it only after `hello`, whose challenge it signs. */
  private: v.optional(PrivateJoinProof),
  /**
   * This client answers the server's application-level `ping` with `pong` from its own code. Only such a client is
   * pinged that way; one without it (a tab loaded before the server learnt `ping`) is watched as before.
   */
  answersPing: v.optional(v.literal(true)),
});

/** A member says its data channel to the host went silent; the server checks the host's socket at once. */
export const HostUnreachableMessage = v.object({ type: v.literal('host-unreachable') });

/** The answer to the server's `ping`, sent by the page's own code (see HostWatchPolicy). */
export const PongMessage = v.object({ type: v.literal('pong') });

/** The host asks to pass the host role on (its tab is near the browser's peer-connection limit). */
export const HandoverMessage = v.object({ type: v.literal('handover') });

/** Forward an offer, answer or candidate to one peer of the same room (member ↔ host only). */
export const SignalMessage = v.object({
  type: v.literal('signal'),
  to: PeerId,
  data: WireSignalData,
});

/** Leave the room; the server closes the socket after it. */
export const LeaveMessage = v.object({ type: v.literal('leave') });

/** Every message a client may send to the server. */
export const ClientMessage = v.variant('type', [
  JoinMessage,
  SignalMessage,
  LeaveMessage,
  HostUnreachableMessage,
  HandoverMessage,
  PongMessage,
]);

/** A client → server message, as inferred from its schema. */
export type ClientMessage = v.InferOutput<typeof ClientMessage>;

/** The schema of a client message, picked by its `type` (the server parses every frame of every socket). */
const clientMessageSchema = byType(ClientMessage);

/** Parses one text frame from a client. Never throws. */
export function parseClientMessage(raw: string): Result<ClientMessage, ProtocolError> {
  return parseFrame(clientMessageSchema, raw, MAX_SIGNAL_FRAME_BYTES);
}
