import { DEFAULT_MAX_FILE_BYTES, MAX_ROOM_MEMBERS } from '../shared/limits.ts';

/**
 * The server's defences, each with its default. docs/operations.md lists them with the settings that change them.
 */
export interface ServerLimits {
  /** Most members in one room (ERR_ROOM_FULL past it); at most MAX_ROOM_MEMBERS, the most a client accepts. */
  readonly roomSize: number;
  /** Most open signaling sockets in the whole process (HTTP 503 past it). */
  readonly maxConnections: number;
  /** Most open signaling sockets from one client address (HTTP 429 past it). */
  readonly maxConnectionsPerIp: number;
  /** A socket not admitted into a room after this long (no join, or a join that failed or never finished) is closed with 4003. */
  readonly joinTimeoutMs: number;
  /**
   * Token bucket per signaling link: this many messages at once (a join, an offer and a burst of ICE candidates).
   * A member has one link (to its host); a host has one per other member, and its bucket scales with them…
   */
  readonly messageBurst: number;
  /** …refilled at this many per second. */
  readonly messagesPerSecond: number;
  /** A socket whose unsent outgoing data exceeds this many bytes is a slow reader and is terminated (1006). */
  readonly maxBufferedBytes: number;
  /** On shutdown, sockets get this long to close before they are terminated. */
  readonly shutdownGraceMs: number;
  /** The largest file people may send in a room (told to clients in `welcome`; they refuse bigger ones). */
  readonly maxFileBytes: number;
}

/** The defaults. */
export const defaultServerLimits: ServerLimits = {
  roomSize: MAX_ROOM_MEMBERS,
  maxConnections: 10_000,
  maxConnectionsPerIp: 50,
  joinTimeoutMs: 10_000,
  messageBurst: 60,
  messagesPerSecond: 20,
  maxBufferedBytes: 1024 * 1024,
  shutdownGraceMs: 5000,
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
};

/** Node's own HTTP limits (slowloris, header floods); each is a setting too. */
export interface HttpLimits {
  /** Time allowed to receive a request's headers, WebSocket upgrades included. */
  readonly headersTimeoutMs: number;
  /** Time allowed for a whole request (at least `headersTimeoutMs`: Node refuses less). */
  readonly requestTimeoutMs: number;
  /** Idle keep-alive connections close after this long. */
  readonly keepAliveTimeoutMs: number;
  /** Headers beyond this count are ignored (a WebSocket handshake from a browser has about 15). */
  readonly maxHeadersCount: number;
  /** Total size of a request line and headers, in bytes (431 past it). */
  readonly maxHeaderSize: number;
}

/** The HTTP defaults. */
export const defaultHttpLimits: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5000,
  maxHeadersCount: 100,
  maxHeaderSize: 16 * 1024,
};

/** @deprecated the old name of {@link defaultHttpLimits}. */
export const httpLimits = defaultHttpLimits;

/**
 * Limits of the transport that are part of the protocol, not settings. The frame size is MAX_SIGNAL_FRAME_BYTES
 * (shared/limits.ts); these bound what `ws` buffers for one message before it is complete.
 */
export const transportLimits = {
  /** Frames one message may be split into; ws closes with 1008 past it (ws' own default is 16,384). */
  maxFragments: 256,
  /** Received chunks ws may hold for one incomplete frame; ws closes with 1008 past it (default 262,144). */
  maxBufferedChunks: 4096,
} as const;

/**
 * Fixed limits on what one socket may get wrong and on signals: part of the protocol (docs/protocol.md), not settings.
 */
export const signalingLimits = {
  /** Protocol errors a socket may make in a quick run; the next one closes it with 4002… */
  maxViolations: 20,
  /** …while the count drains at `maxViolations` per this window (a leaky bucket): errors spread out never add up. */
  violationWindowMs: 60_000,
  /** A signal to a peer that left the room or stopped hosting it within this long is a race: dropped, not refused. */
  departureGraceMs: 30_000,
  /** Departures and demotions remembered per room for that grace (the oldest are forgotten first). */
  departuresPerRoom: 2 * MAX_ROOM_MEMBERS,
  /** Offers a member may send its host at once (each makes the host create a peer connection)… */
  offerBurst: 3,
  /** …and then per second; a member whose host changed starts with a full burst again. */
  offersPerSecond: 1,
  /** Refused offers in a row that are only answered; each further one also counts as a protocol error. */
  offerPatience: 3,
} as const;
