import * as v from 'valibot';
import { JoinChallengeText, PublicIdentityShape } from '../crypto/wire.ts';
import { MAX_FILE_BYTES_CEILING, MAX_ROOM_MEMBERS, MAX_SIGNAL_FRAME_BYTES, PROTOCOL_VERSION } from '../limits.ts';
import type { Result } from '../result.ts';
import { DisplayName, IceServer, PeerId, RoomId, WireSignalData } from './fields.ts';
import { parseFrame, type ProtocolError } from './parse.ts';

/** Server → client messages on the signaling WebSocket. */

/**
 * One person in a room, as the server announces them. The identity's form is checked here, its keys where they are
 * used (see PublicIdentityShape): a roster of 100 would otherwise cost 35 ms to parse, on every join.
 */
export const RosterEntry = v.object({ id: PeerId, name: DisplayName, identity: v.optional(PublicIdentityShape) });

/** The whole room: its members in join order and which of them hosts. */
export const RosterMessage = v.object({
  type: v.literal('roster'),
  hostId: PeerId,
  members: v.pipe(v.array(RosterEntry), v.maxLength(MAX_ROOM_MEMBERS)),
});

/**
 * The first frame on every socket, sent as soon as it opens: the protocol version and this connection's join
 * challenge (JOIN_CHALLENGE_BYTES random bytes, fresh per connection), which a private-room join signs. A client
 * joining an open room need not wait for it. A server that sends no `hello` predates private rooms (it would ignore
 * the proof and make an open room): never send it a private join.
 */
export const HelloMessage = v.object({
  type: v.literal('hello'),
  v: v.literal(PROTOCOL_VERSION),
  challenge: JoinChallengeText,
});

/** Sent once after a successful join. */
export const WelcomeMessage = v.object({
  type: v.literal('welcome'),
  v: v.literal(PROTOCOL_VERSION),
  peerId: PeerId,
  room: RoomId,
  iceServers: v.array(IceServer),
  /** Proof for a later `join` with `resume`: lets this client come back as the same peer id. */
  resumeToken: v.pipe(v.string(), v.maxLength(128)),
  /** The address people elsewhere should use, when the server knows one (PUBLIC_URL or a LAN address). */
  shareUrl: v.optional(v.pipe(v.string(), v.url())),
  /** The largest file people may send in this server's rooms (MAX_FILE_BYTES); DEFAULT_MAX_FILE_BYTES when absent. */
  maxFileBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_FILE_BYTES_CEILING))),
});

/** A signal from another peer of the room; `from` is stamped by the server. */
export const ServerSignalMessage = v.object({
  type: v.literal('signal'),
  from: PeerId,
  data: WireSignalData,
});

/** A refused request. `code` is one of the stable codes in docs/protocol.md. */
export const ErrorMessage = v.object({
  type: v.literal('error'),
  code: v.string(),
  message: v.string(),
});

/**
 * Is the page's code alive? Sent every HostWatchPolicy.pingIntervalMs to a host that joined with `answersPing`;
 * the page answers `pong` from its message handler.
 */
export const PingMessage = v.object({ type: v.literal('ping') });

/** Every message the server may send to a client. */
export const ServerMessage = v.variant('type', [HelloMessage, WelcomeMessage, RosterMessage, ServerSignalMessage, ErrorMessage, PingMessage]);

/** A server → client message, as inferred from its schema. */
export type ServerMessage = v.InferOutput<typeof ServerMessage>;
/** A roster entry, as inferred from its schema. */
export type RosterEntry = v.InferOutput<typeof RosterEntry>;
/** A roster message, as inferred from its schema. */
export type RosterMessage = v.InferOutput<typeof RosterMessage>;

/** Parses one text frame from the server. Never throws. */
export function parseServerMessage(raw: string): Result<ServerMessage, ProtocolError> {
  return parseFrame(ServerMessage, raw, MAX_SIGNAL_FRAME_BYTES);
}
/** A hello message, as inferred from its schema. */
export type HelloMessage = v.InferOutput<typeof HelloMessage>;
/** A welcome message, as inferred from its schema. */
export type WelcomeMessage = v.InferOutput<typeof WelcomeMessage>;
