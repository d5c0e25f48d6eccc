import type { BackoffPolicy } from './backoff.ts';

/** Timings that decide how fast a dead peer is noticed and how retries spread. Documented in docs/protocol.md. */
export interface LivenessPolicy {
  /** A member pings its host this often over the data channel. */
  readonly pingIntervalMs: number;
  /** A link with nothing heard for this long is dead (member side: report the host; host side: drop the member). */
  readonly silenceTimeoutMs: number;
  /** A data channel that has not opened after this long is given up (and, on the member side, the host reported). */
  readonly connectTimeoutMs: number;
  /** One's own message not acknowledged after this long is shown as not delivered (it is still retried). */
  readonly failedAfterMs: number;
  /** Reconnecting to the signaling server. */
  readonly reconnect: BackoffPolicy;
  /** Re-establishing a data channel to the same host. */
  readonly relink: BackoffPolicy;
  /** After this many peer connections, a host tab hands the host role on (Chrome allows about 500 per tab). */
  readonly peerConnectionBudget: number;
  /** A passing error (a refused message, a server's complaint) stays on screen this long. */
  readonly noticeMs: number;
}

/** The defaults the web client uses. */
export const defaultLiveness: LivenessPolicy = {
  pingIntervalMs: 1000,
  silenceTimeoutMs: 4000,
  connectTimeoutMs: 10_000,
  failedAfterMs: 10_000,
  reconnect: { baseMs: 500, maxMs: 10_000 },
  relink: { baseMs: 250, maxMs: 4000 },
  peerConnectionBudget: 450,
  noticeMs: 8000,
};

/**
 * How the server watches a host (a socket that hosts at least one other member): it sends the host an
 * application-level `ping` every `pingIntervalMs`, which the page's own code answers (`pong`), and drops a host that
 * sent nothing in `maxMissedPings` intervals in a row, so the room elects the next host. A WebSocket ping would not
 * do: browsers answer those by themselves even while the page's JavaScript hangs. Documented in docs/protocol.md.
 *
 * With 250 ms × 11 a frozen, hung or unplugged host is dropped 2.75–3.0 s after its last answer, and the room has a
 * new host and flows again well within 5 s; a host whose page is busy (one long task) for up to 2.75 s keeps its role,
 * so a 2 s task leaves 0.75 s to spare. A background tab answers as fast as a visible one: the answer is a message
 * handler, not a timer, so timer throttling does not touch it. Pinging every 500 ms (6 misses: dropped after 3.0–3.5 s)
 * would halve the frames, but left too little time for re-linking within 5 s in the bench (a max of 5.0 s).
 */
export interface HostWatchPolicy {
  /** The server pings each watched host this often. */
  readonly pingIntervalMs: number;
  /** A host that sent nothing in this many ping intervals in a row is dropped. */
  readonly maxMissedPings: number;
}

/** The server's defaults. */
export const defaultHostWatch: HostWatchPolicy = {
  pingIntervalMs: 250,
  maxMissedPings: 11,
};
