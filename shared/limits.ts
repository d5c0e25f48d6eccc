/**
 * Every explicit limit of ChatUs in one place. docs/protocol.md lists them with the same names; change both together.
 */

/** Wire protocol version carried by every data-channel envelope and the join message. */
export const PROTOCOL_VERSION = 1;

/** Longest display name, in UTF-16 code units after trimming. */
export const MAX_NAME_LENGTH = 32;

/** Characters a name may hold: none of control (Cc), format (Cf: zero-width, bidi) or line/paragraph separators. */
export const NAME_PATTERN = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;

/** Longest chat message text, in UTF-16 code units. */
export const MAX_TEXT_LENGTH = 2000;

/** Room ids: 1–64 characters of [A-Za-z0-9_-]. */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Peer ids the server assigns: 1–64 characters of [A-Za-z0-9_-]. */
export const PEER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Largest signaling frame the server accepts, in bytes (ws `maxPayload`). */
export const MAX_SIGNAL_FRAME_BYTES = 64 * 1024;

/** Largest SDP accepted inside a signal. */
export const MAX_SDP_LENGTH = 32 * 1024;

/** Largest ICE candidate line accepted inside a signal. */
export const MAX_CANDIDATE_LENGTH = 1024;

/** Largest data-channel message a peer accepts, in bytes. A chat envelope at MAX_TEXT_LENGTH fits with room. */
export const MAX_PEER_FRAME_BYTES = 16 * 1024;

/** Most members in one room, host included. */
export const MAX_ROOM_MEMBERS = 32;

/** Most message ids in one acknowledgement frame. */
export const MAX_ACK_IDS = 200;

/** Messages of history a host keeps and hands to late joiners. */
export const HISTORY_LIMIT = 200;
