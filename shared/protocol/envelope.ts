import * as v from 'valibot';
import { MAX_TEXT_LENGTH, PROTOCOL_VERSION } from '../limits.ts';
import { DisplayName, PeerId } from './fields.ts';

/**
 * The chat envelope: what one person said, with everything a receiver needs to de-duplicate (`id`) and keep the
 * sender's order (`seq`). The trust work will add a signature; private messages will carry ciphertext in `body`.
 */

/** A sender-unique message id (a UUID from the sender). */
export const MessageId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'message id must be 8–64 of A–Z a–z 0–9 _ -'));

/** The text a person typed. Rendered as text, never as HTML. */
export const ChatBody = v.object({
  text: v.pipe(
    v.string(),
    v.minLength(1, 'message must not be empty'),
    v.maxLength(MAX_TEXT_LENGTH, `message must be at most ${MAX_TEXT_LENGTH} characters`),
  ),
});

/** Fields every chat envelope has, whoever sends it. */
const chatFields = {
  v: v.literal(PROTOCOL_VERSION),
  type: v.literal('chat'),
  id: MessageId,
  from: PeerId,
  seq: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER)),
  ts: v.pipe(v.number(), v.integer(), v.minValue(0)),
  body: ChatBody,
};

/** A chat message as its author sends it to the host. */
export const OutgoingChat = v.object(chatFields);

/** A chat message as the host delivers it: the author's envelope plus the author's name from the roster. */
export const DeliveredChat = v.object({ ...chatFields, name: DisplayName });

/** An authored chat message, as inferred from its schema. */
export type OutgoingChat = v.InferOutput<typeof OutgoingChat>;
/** A delivered chat message, as inferred from its schema. */
export type DeliveredChat = v.InferOutput<typeof DeliveredChat>;
