/**
 * Every explicit limit of ChatUs in one place. docs/protocol.md lists them with the same names; change both together.
 */

/** Wire protocol version carried by every data-channel envelope and the join message. */
export const PROTOCOL_VERSION = 1;

/** Longest display name, in UTF-16 code units after trimming. */
export const MAX_NAME_LENGTH = 32;

/** Characters a name may hold: none of control (Cc), format (Cf: zero-width, bidi) or line/paragraph separators. */
export const NAME_PATTERN = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;

/**
 * Longest room title, in characters (code points) after cleaning. The title travels only in invite links (their
 * fragment), never to the server: each page cleans what it reads (web/src/app/room-title.ts).
 */
export const MAX_ROOM_TITLE_LENGTH = 60;

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

/**
 * Largest data-channel message a peer accepts, in UTF-16 code units. A chat envelope at MAX_TEXT_LENGTH fits with
 * room, and so does a `sync` of HISTORY_LIMIT message keys of the longest allowed peer and message ids.
 */
export const MAX_PEER_FRAME_BYTES = 32 * 1024;

/**
 * Latest time a message may carry (ms since 1970): the largest a JavaScript Date can hold, so that every time a
 * parser lets through can be shown.
 */
export const MAX_TIMESTAMP = 8.64e15;

/** A message shown with a time further ahead of the receiver's clock than this is shown at the receiver's time. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * A message that arrives after a later one of the same author is placed before it only if that later one arrived
 * less than this long ago (a re-send after a host change); otherwise it goes at the end, never above older history.
 */
export const REORDER_WINDOW_MS = 30_000;

/** Most authors a timeline remembers the highest sequence number of (oldest forgotten first). */
export const MAX_TRACKED_AUTHORS = 10_000;

/**
 * Most members in one room, host included. What bounds it is the host tab: it holds one peer connection per member
 * (browsers cap them; see LivenessPolicy.peerConnectionBudget) and checks the signature of every message it relays
 * (milliseconds each in pure JS), and every roster names every member.
 */
export const MAX_ROOM_MEMBERS = 100;

/** Longest explanation in a host's `reject` frame. */
export const MAX_REJECT_MESSAGE_LENGTH = 200;

/** Most message ids in one acknowledgement frame. */
export const MAX_ACK_IDS = 200;

/**
 * The budget of one data channel, frames of every kind together, at the host (per member) and at a member (for its
 * host): a burst, then a rate. The burst covers a member re-sending its recent messages to a new host at once
 * (HISTORY_LIMIT of them) and a host handing a late joiner its history.
 */
export const LINK_FRAME_BURST = 400;
/** …refilled at this many frames a second (far above anyone typing, far below a flood). */
export const LINK_FRAMES_PER_SECOND = 50;

/** `sync` requests a member may send its host at once (each costs the host up to HISTORY_LIMIT frames)… */
export const LINK_SYNC_BURST = 2;
/** …then one every this many seconds. */
export const LINK_SYNC_INTERVAL_S = 10;

/** Offers one member may make to a host at once (each costs the host a peer connection of its ~500)… */
export const OFFER_BURST = 3;
/** …then one every this many seconds. */
export const OFFER_INTERVAL_S = 5;

/** A link whose outgoing queue holds more than this many bytes is a member that does not read: it is dropped. */
export const MAX_LINK_BUFFERED_BYTES = 1024 * 1024;

/** Messages of history a host keeps and hands to late joiners. */
export const HISTORY_LIMIT = 200;

/**
 * Direct-message key pairs (one X25519 agreement each, milliseconds in pure JS) a tab keeps, least recently used
 * dropped first: more than a room's members, so a room never pays for one twice while its people stay.
 */
export const MAX_DIRECT_CHANNELS = 128;

/**
 * Files (docs/protocol.md, "Files"). A chunk is one binary frame on a link's bulk channel: at most this many bytes of
 * file data (less when the channel's maximum message size is smaller), whatever the browser would allow.
 */
export const MAX_FILE_CHUNK_BYTES = 64 * 1024;

/** Chunks of one transfer a sender may have unacknowledged by the host, and so the most a host holds of one transfer. */
export const FILE_WINDOW_CHUNKS = 16;

/** A bulk channel is written to only while less than this is queued on it (Chrome closes a channel past 16 MiB). */
export const BULK_HIGH_WATER_BYTES = 1024 * 1024;

/** `bufferedamountlow` fires when a bulk channel's queue falls to this; writing resumes. */
export const BULK_LOW_WATER_BYTES = 256 * 1024;

/** A receiver that takes nothing of a transfer for this long while the host holds a full window for it is dropped. */
export const FILE_STALL_TIMEOUT_MS = 15_000;

/**
 * After a host change, a transfer waits this long to carry on: members hold a paused transfer this long for a new
 * host, and a new host waits this long for the sender (or, with the sender there, for a receiver) to ask for it.
 */
export const FILE_RESUME_TIMEOUT_MS = 20_000;

/**
 * A new host holds a carried-over transfer back (its sender waits) until every member has linked to it, or this long,
 * so that receivers that link last still find it where they left it.
 */
export const FILE_RESUME_GATHER_MS = 2000;

/**
 * How far back (in chunks, 4 MiB at 64 KiB) a receiver that links late or again may send a transfer's sender, once
 * per transfer; one further behind is told it is not included.
 */
export const FILE_REWIND_CHUNKS = 64;

/**
 * A transfer waiting for its sender ends ("the sender left") once the sender has been out of the roster this long: a
 * roster without it for a moment (its socket reconnecting) does not end it.
 */
export const FILE_SENDER_GONE_MS = 3000;

/** Ended transfers a host remembers, to answer a late `want` or `resume` with how the transfer ended. */
export const FILE_ENDED_MEMORY = 256;

/** The largest file an operator allows unless configured otherwise (`MAX_FILE_BYTES`); 1 GiB. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024 * 1024;

/** The largest file size any server may announce (and a file body may carry): 64 GiB. */
export const MAX_FILE_BYTES_CEILING = 64 * 1024 * 1024 * 1024;

/** Longest file name in a file announcement, in UTF-16 code units. */
export const MAX_FILE_NAME_LENGTH = 255;

/** Longest media type in a file announcement. */
export const MAX_FILE_TYPE_LENGTH = 127;

/** A person who keeps typing sends at most one `typing` frame this often (a message sent starts afresh). */
export const TYPING_INTERVAL_MS = 3000;

/** Someone's "is typing" shows this long after their last `typing` frame, unless they send or stop first. */
export const TYPING_EXPIRY_MS = 5000;

/**
 * `typing` frames a host takes from one member at once… (an honest page sends a start every 3 s at most and a stop
 * only after a start: two frames every 3 s at most)
 */
export const TYPING_BURST = 4;
/** …then this many a second; the rest are dropped without a word (typing is a courtesy, never worth a `reject`). */
export const TYPING_FRAMES_PER_SECOND = 1;
