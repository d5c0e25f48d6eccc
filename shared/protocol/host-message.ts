import * as v from 'valibot';
import { MAX_ACK_IDS, MAX_PEER_FRAME_BYTES, MAX_REJECT_MESSAGE_LENGTH } from '../limits.ts';
import type { Result } from '../result.ts';
import { DeliveredChat, MessageId } from './envelope.ts';
import { parseFrame, type ProtocolError } from './parse.ts';
import { HeartbeatTime } from './member-message.ts';
import { SyncMessage } from './sync.ts';
import { TypingFromHost } from './typing.ts';

/** Host → member messages on the data channel. */

/**
 * The host received the member's chat messages `ids` and has passed them on. Acknowledgements are batched (every
 * data-channel send costs the host a native call, and a burst of messages would otherwise cost twice as many).
 */
export const AckMessage = v.object({
  type: v.literal('ack'),
  ids: v.pipe(v.array(MessageId), v.minLength(1), v.maxLength(MAX_ACK_IDS)),
});

/** The host refused one of the member's frames; `code` is one of the stable codes. */
export const RejectMessage = v.object({
  type: v.literal('reject'),
  code: v.pipe(v.string(), v.regex(/^ERR_[A-Z_]{1,40}$/, 'code must be ERR_ and capitals')),
  message: v.pipe(v.string(), v.maxLength(MAX_REJECT_MESSAGE_LENGTH)),
});

/** Heartbeat answer, echoing the ping's `ts`. */
export const PongMessage = v.object({ type: v.literal('pong'), ts: HeartbeatTime });

/** Every message a host may send to a member. */
export const HostMessage = v.variant('type', [DeliveredChat, AckMessage, RejectMessage, PongMessage, SyncMessage, TypingFromHost]);

/** A host → member message, as inferred from its schema. */
export type HostMessage = v.InferOutput<typeof HostMessage>;

/** Parses one data-channel frame from the host. Never throws. */
export function parseHostMessage(raw: string): Result<HostMessage, ProtocolError> {
  return parseFrame(HostMessage, raw, MAX_PEER_FRAME_BYTES);
}
/** An acknowledgement, as inferred from its schema. */
export type AckMessage = v.InferOutput<typeof AckMessage>;
