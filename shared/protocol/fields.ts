import * as v from 'valibot';
import {
  MAX_CANDIDATE_LENGTH,
  MAX_NAME_LENGTH,
  MAX_SDP_LENGTH,
  NAME_PATTERN,
  PEER_ID_PATTERN,
  ROOM_ID_PATTERN,
} from '../limits.ts';
import { SealedSignalText } from '../crypto/wire.ts';

/** Schemas of the fields that several messages share. */

/** A room id as it appears in invite links and join messages. */
export const RoomId = v.pipe(v.string(), v.regex(ROOM_ID_PATTERN, 'room id must be 1–64 of A–Z a–z 0–9 _ -'));

/** A peer id assigned by the server. */
export const PeerId = v.pipe(v.string(), v.regex(PEER_ID_PATTERN, 'peer id must be 1–64 of A–Z a–z 0–9 _ -'));

/**
 * A display name: trimmed, 1..MAX_NAME_LENGTH, with no control, format or line/paragraph separator characters.
 * Format characters (zero-width spaces, bidi overrides) would let "Ann" plus an invisible character pass the
 * name-taken check and impersonate Ann; the price is that emoji joined with ZWJ are refused in names.
 */
export const DisplayName = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'name must not be empty'),
  v.maxLength(MAX_NAME_LENGTH, `name must be at most ${MAX_NAME_LENGTH} characters`),
  v.regex(NAME_PATTERN, 'name must not contain control or invisible formatting characters'),
);

/** A session description (offer or answer) as simple-peer signals it. */
const SessionDescription = v.object({
  type: v.picklist(['offer', 'answer']),
  sdp: v.pipe(v.string(), v.maxLength(MAX_SDP_LENGTH)),
});

/** One trickled ICE candidate as simple-peer signals it. */
const IceCandidate = v.object({
  type: v.literal('candidate'),
  candidate: v.object({
    candidate: v.pipe(v.string(), v.maxLength(MAX_CANDIDATE_LENGTH)),
    sdpMLineIndex: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(64)))),
    sdpMid: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(64)))),
    usernameFragment: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(256)))),
  }),
});

/** What a signal carries between a member and its host: an offer, an answer or an ICE candidate. */
export const SignalData = v.variant('type', [SessionDescription, IceCandidate]);

/** Signal payload, as inferred from its schema. */
export type SignalData = v.InferOutput<typeof SignalData>;

/**
 * A signal of a private room: one offer, answer or candidate, sealed end to end under the room's signal key (see
 * sealSignal), so the server relays it without reading it. `kind` stays in the clear so that the server's offer limit
 * still protects the host's peer connections; the receiver checks that the opened signal is of this kind and drops
 * it otherwise, so a mislabelled offer gains nothing.
 */
export const SealedSignalData = v.object({
  type: v.literal('sealed'),
  kind: v.picklist(['offer', 'answer', 'candidate']),
  sealed: SealedSignalText,
});

/** A sealed signal, as inferred from its schema. */
export type SealedSignalData = v.InferOutput<typeof SealedSignalData>;

/**
 * What the `data` of a `signal` frame carries on the signaling socket: a plain signal (open rooms) or a sealed one
 * (private rooms). The server accepts only the form that fits the room.
 */
export const WireSignalData = v.variant('type', [SignalData, SealedSignalData]);

/** Signal data on the signaling socket, as inferred from its schema. */
export type WireSignalData = v.InferOutput<typeof WireSignalData>;

/** Whether a signal on the wire is an offer (each one costs the host a peer connection), sealed or not. */
export function isOffer(data: WireSignalData): boolean {
  return data.type === 'offer' || (data.type === 'sealed' && data.kind === 'offer');
}

/** An ICE server entry the operator configured; delivered to clients in `welcome`. */
export const IceServer = v.object({
  urls: v.union([v.string(), v.array(v.string())]),
  username: v.optional(v.string()),
  credential: v.optional(v.string()),
});

/** ICE server entry, as inferred from its schema. */
export type IceServer = v.InferOutput<typeof IceServer>;
