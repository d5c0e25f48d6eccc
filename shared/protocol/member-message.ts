import * as v from 'valibot';
import { MAX_PEER_FRAME_BYTES } from '../limits.ts';
import type { Result } from '../result.ts';
import { HISTORY_LIMIT } from '../limits.ts';
import { MessageId, OutgoingChat } from './envelope.ts';
import { parseFrame, type ProtocolError } from './parse.ts';

/** Member → host messages on the data channel. */

/** Heartbeat; the host answers with `pong` carrying the same `ts`. */
export const PingMessage = v.object({ type: v.literal('ping'), ts: v.pipe(v.number(), v.minValue(0)) });

/**
 * Sent first on every new link: the ids of the recent messages the member already has, so the host sends only the
 * history it lacks (a late joiner sends none; a member after a host change, many).
 */
export const SyncMessage = v.object({
  type: v.literal('sync'),
  have: v.pipe(v.array(MessageId), v.maxLength(HISTORY_LIMIT)),
});

/** Every message a member may send to its host. */
export const MemberMessage = v.variant('type', [OutgoingChat, PingMessage, SyncMessage]);

/** A member → host message, as inferred from its schema. */
export type MemberMessage = v.InferOutput<typeof MemberMessage>;

/** Parses one data-channel frame from a member. Never throws. */
export function parseMemberMessage(raw: string): Result<MemberMessage, ProtocolError> {
  return parseFrame(MemberMessage, raw, MAX_PEER_FRAME_BYTES);
}
