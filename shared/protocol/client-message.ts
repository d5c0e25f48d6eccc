import * as v from 'valibot';
import { MAX_SIGNAL_FRAME_BYTES, PROTOCOL_VERSION } from '../limits.ts';
import type { Result } from '../result.ts';
import { PublicIdentityText } from '../crypto/wire.ts';
import { DisplayName, PeerId, RoomId, SignalData } from './fields.ts';
import { parseFrame, type ProtocolError } from './parse.ts';

/** Client → server messages on the signaling WebSocket. */

/** A claim to come back as the peer id a previous `welcome` gave, proven by its resume token. */
export const ResumeClaim = v.object({
  peerId: PeerId,
  token: v.pipe(v.string(), v.maxLength(128)),
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
});

/** A member says its data channel to the host went silent; the server checks the host's socket at once. */
export const HostUnreachableMessage = v.object({ type: v.literal('host-unreachable') });

/** The host asks to pass the host role on (its tab is near the browser's peer-connection limit). */
export const HandoverMessage = v.object({ type: v.literal('handover') });

/** Forward an offer, answer or candidate to one peer of the same room (member ↔ host only). */
export const SignalMessage = v.object({
  type: v.literal('signal'),
  to: PeerId,
  data: SignalData,
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
]);

/** A client → server message, as inferred from its schema. */
export type ClientMessage = v.InferOutput<typeof ClientMessage>;

/** Parses one text frame from a client. Never throws. */
export function parseClientMessage(raw: string): Result<ClientMessage, ProtocolError> {
  return parseFrame(ClientMessage, raw, MAX_SIGNAL_FRAME_BYTES);
}
