import * as v from 'valibot';
import { PeerId } from './fields.ts';

/**
 * "Is typing", on the data channel. A member tells its host that it started (`active: true`) or stopped typing a room
 * message; the host tells every other member, stamping `from` with the link the frame came on. Never stored, never in
 * history or `sync`, never sealed: it says no more than that a member of the room is typing, which everyone on the
 * room's links (the host included) may know. Not sent for private messages.
 */
export const TypingFromMember = v.object({ type: v.literal('typing'), active: v.boolean() });

/** A member's typing, as the host relays it: `from` is the peer id of the link it came on. */
export const TypingFromHost = v.object({ type: v.literal('typing'), from: PeerId, active: v.boolean() });

/** A relayed typing frame, as inferred from its schema. */
export type TypingFromHost = v.InferOutput<typeof TypingFromHost>;
