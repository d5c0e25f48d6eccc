import { MAX_ROOM_MEMBERS } from '../shared/limits.ts';

/**
 * The server's defences, each with its default. docs/operations.md lists them with the settings that change them.
 */
export interface ServerLimits {
  /** Most members in one room (ERR_ROOM_FULL past it). */
  readonly roomSize: number;
  /** Most open signaling sockets in the whole process (HTTP 503 past it). */
  readonly maxConnections: number;
  /** Most open signaling sockets from one client address (HTTP 429 past it). */
  readonly maxConnectionsPerIp: number;
  /** A socket that has not joined a room after this long is closed with 4003. */
  readonly joinTimeoutMs: number;
  /** Token bucket per socket: this many messages at once (a join, an offer and a burst of ICE candidates)… */
  readonly messageBurst: number;
  /** …refilled at this many per second. */
  readonly messagesPerSecond: number;
  /** A socket whose unsent outgoing data exceeds this many bytes is a slow reader and is cut off (4004). */
  readonly maxBufferedBytes: number;
  /** On shutdown, sockets get this long to close before they are terminated. */
  readonly shutdownGraceMs: number;
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
};

/** HTTP limits of the node server (slowloris, header floods). */
export const httpLimits = {
  /** Time allowed to receive a request's headers. */
  headersTimeoutMs: 10_000,
  /** Time allowed for a whole request. */
  requestTimeoutMs: 30_000,
  /** Idle keep-alive connections close after this long. */
  keepAliveTimeoutMs: 5000,
  /** Headers beyond this count are ignored. */
  maxHeadersCount: 100,
  /** Total size of a request's headers, in bytes (431 past it). */
  maxHeaderSize: 16 * 1024,
} as const;
