import * as v from 'valibot';
import { MAX_PEER_FRAME_BYTES, MAX_TIMESTAMP } from '../limits.ts';
import type { Result } from '../result.ts';
import { DeliveredChat, OutgoingChat } from './envelope.ts';
import { parseFrame, type ProtocolError } from './parse.ts';
import { SyncMessage } from './sync.ts';
import { TypingFromMember } from './typing.ts';

/** Member → host messages on the data channel. */

/** The time a heartbeat carries (the sender's clock, echoed back). */
export const HeartbeatTime = v.pipe(v.number(), v.minValue(0), v.maxValue(MAX_TIMESTAMP));

/** Heartbeat; the host answers with `pong` carrying the same `ts`. */
export const PingMessage = v.object({ type: v.literal('ping'), ts: HeartbeatTime });

/**
 * Someone else's signed message that this member holds and the host lacks (after a host change). The signature
 * proves its author; so a message is not lost when its author left before the others got it.
 */
export const ForwardMessage = v.object({ type: v.literal('forward'), chat: DeliveredChat });

/** Every message a member may send to its host. */
export const MemberMessage = v.variant('type', [OutgoingChat, ForwardMessage, PingMessage, SyncMessage, TypingFromMember]);

/** A member → host message, as inferred from its schema. */
export type MemberMessage = v.InferOutput<typeof MemberMessage>;

/** Parses one data-channel frame from a member. Never throws. */
export function parseMemberMessage(raw: string): Result<MemberMessage, ProtocolError> {
  return parseFrame(MemberMessage, raw, MAX_PEER_FRAME_BYTES);
}
