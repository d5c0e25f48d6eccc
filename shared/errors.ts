/**
 * Stable error codes sent in `{type:'error', code, message}` replies and WebSocket close codes. Listed in
 * docs/protocol.md; never renumber or reuse one.
 */
export const ErrorCode = {
  /** The frame was not valid JSON, not text, or did not match any message schema. */
  BadMessage: 'ERR_BAD_MESSAGE',
  /** The frame exceeded MAX_SIGNAL_FRAME_BYTES. */
  TooLarge: 'ERR_TOO_LARGE',
  /** The name is already used in the room (compared case-insensitively). */
  NameTaken: 'ERR_NAME_TAKEN',
  /** The room holds MAX_ROOM_MEMBERS already. */
  RoomFull: 'ERR_ROOM_FULL',
  /** A room-scoped message arrived before a successful join. */
  NotJoined: 'ERR_NOT_JOINED',
  /** A second join on a socket that already joined. */
  AlreadyJoined: 'ERR_ALREADY_JOINED',
  /** The socket sent more messages than its rate limit allows; the message was dropped. */
  RateLimited: 'ERR_RATE_LIMITED',
  /**
   * A signal addressed to a peer that is not in the sender's room, or not allowed (member to member). A target that
   * just left or changed role is not refused: the signal is dropped (a race, not abuse).
   */
  BadTarget: 'ERR_BAD_TARGET',
  /** A chat whose signature does not check out, or whose author key is not the sender's in the roster. */
  BadSignature: 'ERR_BAD_SIGNATURE',
  /**
   * An offer from a member to its host past the offer limit (3 at once, then 1 a second, a fresh allowance for each
   * new host); the offer was dropped. Not a protocol error unless the member goes on offering.
   */
  TooManyOffers: 'ERR_TOO_MANY_OFFERS',
  /** The server could not complete the request (its room registry failed); nothing changed: retry with backoff. */
  Unavailable: 'ERR_UNAVAILABLE',
  /**
   * A join without a proof of membership (`private`) to a private room: knowing a private room's id is not enough,
   * only its invite link admits.
   */
  PrivateRoom: 'ERR_PRIVATE_ROOM',
  /**
   * A private join whose proof is not the room key's signature over this room and this connection's challenge: a
   * wrong secret, or a proof made for another connection (replayed) or another room.
   */
  BadProof: 'ERR_BAD_PROOF',
  /** A private join whose room key is not the one the room id names (a damaged link, or a room id from elsewhere). */
  RoomKeyMismatch: 'ERR_ROOM_KEY_MISMATCH',
  /** A private join to the id of an open room that already has members. */
  RoomNotPrivate: 'ERR_ROOM_NOT_PRIVATE',
  /** A plain (unsealed) offer, answer or candidate in a private room, where signals must be sealed with the room key. */
  SignalNotSealed: 'ERR_SIGNAL_NOT_SEALED',
  /** A sealed signal in an open room, whose members hold no key to open it. */
  SignalSealed: 'ERR_SIGNAL_SEALED',
} as const;

/** One of the stable error codes. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** WebSocket close codes (4000–4999 are for applications, RFC 6455 §7.4.2). */
export const CloseCode = {
  /** Normal close after a `leave`. */
  Normal: 1000,
  /** The server is shutting down (SIGTERM/SIGINT); reconnect with backoff, to this server or another. */
  GoingAway: 1001,
  /** Sent by the server's WebSocket library: a text frame that is not valid UTF-8. */
  InvalidPayload: 1007,
  /** Sent by the server's WebSocket library: one message split into too many fragments, or sent in too many pieces. */
  PolicyViolation: 1008,
  /** Sent by the server's WebSocket library: a message over MAX_SIGNAL_FRAME_BYTES. */
  MessageTooBig: 1009,
  /** A binary frame was received; the protocol is text only. */
  BinaryFrame: 4000,
  /** The same peer id resumed on a newer socket; this one is no longer used. */
  Superseded: 4001,
  /**
   * The socket was not admitted into a room within the join timeout (JOIN_TIMEOUT_MS, 10 s by default): no join, a
   * refused one not retried, or one the room registry never finished.
   */
  JoinTimeout: 4003,
  /**
   * Repeated protocol abuse: more than 20 invalid messages in a quick run (the count drains at 20 a minute), or a
   * whole burst of messages past the rate limit.
   * (A client that does not read what it is sent is not closed but dropped: it sees 1006.)
   */
  ProtocolViolation: 4002,
} as const;
