import type { PartialStore } from './files/partial-store.ts';
import type { Identity } from '../../../shared/crypto/identity.ts';
import type { PrivateRoom } from '../../../shared/crypto/private-room.ts';
import type { RandomBytes } from '../../../shared/crypto/random.ts';
import type { LivenessPolicy } from '../../../shared/liveness.ts';
import type { Roster } from '../../../shared/roster.ts';
import type { TimelineEntry } from '../../../shared/timeline.ts';
import type { LinkFactory, WebRtcImplementation } from './link.ts';
import type { KeyStatus } from './room-identities.ts';
import type { TransferView } from './files/transfer-view.ts';
import type { TrustStore } from './trust-store.ts';
import type { WebSocketFactory } from './signaling-client.ts';

/**
 * Where the session is, as a person would put it: `reconnecting` means the signaling socket is being re-established
 * (chat over an open data channel goes on meanwhile).
 */
export type SessionPhase = 'connecting' | 'connected' | 'reconnecting' | 'left' | 'failed';

/**
 * A failure a person should read, as data: a stable code (docs/protocol.md) and what its words need. The page words it
 * (app/session-error-text.ts) in the language it shows, so nothing here is English but what came from elsewhere.
 */
export interface SessionError {
  readonly code: string;
  /**
   * Words from elsewhere, shown as they came: the server's or the host's reason, a WebRTC error, a close code. For
   * ERR_NO_KEYS, the name of whom the message was for.
   */
  readonly detail?: string;
  /** ERR_TOO_LONG: the most characters a message may have; ERR_TOO_LARGE: the largest file the server allows. */
  readonly limit?: number;
  /** ERR_TOO_LARGE: the file's size. */
  readonly size?: number;
}

/** Everything the UI shows about a room, at one moment. */
export interface SessionSnapshot {
  readonly phase: SessionPhase;
  readonly room: string;
  readonly name: string;
  readonly selfId: string | null;
  readonly roster: Roster;
  readonly role: 'host' | 'member' | null;
  /** For members: whether the data channel to the host is open. Hosts are always linked to themselves. */
  readonly linkedToHost: boolean;
  /** The log's lines; the same array from one snapshot to the next while they did not change (RoomLog.entries). */
  readonly timeline: readonly TimelineEntry[];
  readonly error: SessionError | null;
  /** The server's address for people elsewhere, when it knows one. */
  readonly shareUrl: string | undefined;
  /** This person's public identity. */
  readonly identity: string;
  /** How each roster member's keys stand, by peer id. */
  readonly keyStatus: ReadonlyMap<string, KeyStatus>;
  /** File transfers this tab takes part in, by transfer id (web/src/net/files). */
  readonly files: ReadonlyMap<string, TransferView>;
  /** The names of the others typing a room message now, in roster order (none when this person turned typing off). */
  readonly typing: readonly string[];
}

/** What the session reports. */
export interface RoomSessionEvents extends Record<string, unknown> {
  change: SessionSnapshot;
}

/** What a session needs from its surroundings; browsers and Node supply different ones. */
export interface RoomSessionDeps {
  readonly createSocket: WebSocketFactory;
  /** Makes data-channel links; real WebRTC (PeerLink) unless a test supplies in-memory links. */
  readonly createLink?: LinkFactory | undefined;
  /** A WebRTC implementation for Node; browsers leave it out. */
  readonly wrtc?: WebRtcImplementation | undefined;
  /** Extra RTCConfiguration keys (Node libraries' bind address, for example). */
  readonly extraRtcConfig?: Record<string, unknown> | undefined;
  /** A fresh unique id (message ids, system line ids). */
  readonly randomId: () => string;
  readonly now: () => number;
  /** [0, 1), for backoff jitter. */
  readonly random?: (() => number) | undefined;
  /** Random bytes for nonces; `crypto.getRandomValues` when left out. */
  readonly randomBytes?: RandomBytes | undefined;
  /** This person's long-term keys; a new identity for this session when left out. */
  readonly identity?: Identity | undefined;
  /** What this browser remembers of people's keys; in memory when left out. */
  readonly trust?: TrustStore | undefined;
  /** Timings; the defaults suit people, tests shorten them. */
  readonly liveness?: LivenessPolicy | undefined;
  /** Where parts of files being received are kept, to resume after a page reload (default: this page's memory). */
  readonly partials?: PartialStore | undefined;
}

/** Which room, as whom, through which server. */
export interface RoomSessionOptions {
  /** The signaling WebSocket URL (ws://host:port/ws). */
  readonly url: string;
  readonly room: string;
  readonly name: string;
  /**
   * Set for a private room (its `roomId` must be `room`): every room message this person writes is sealed with its
   * message key, and received ones are opened with it (one that does not open, or comes unsealed, is refused).
   */
  readonly privateRoom?: PrivateRoom | undefined;
}

/** Who a direct message is for: their peer id now, their public identity and their name. */
export interface DirectTarget {
  readonly peerId: string;
  readonly identity: string;
  readonly name: string;
}
