import type SimplePeer from 'simple-peer';
import type { IceServer, SignalData } from '../../../shared/protocol/fields.ts';

/**
 * What the host and member roles need of a data channel to one peer, apart from how it is made: PeerLink (real
 * WebRTC through simple-peer) in browsers and Node, an in-memory pair in fast tests of the session logic.
 */

/** A WebRTC implementation: the browser's globals, or a Node library's. */
export type WebRtcImplementation = NonNullable<SimplePeer.Options['wrtc']>;

/** How to make one link. */
export interface LinkOptions {
  /** The member makes the offer; the host answers. */
  readonly initiator: boolean;
  /** STUN/TURN servers the operator configured; empty means host candidates only. */
  readonly iceServers: readonly IceServer[];
  /** Omit in browsers; Node passes its WebRTC library here. */
  readonly wrtc?: WebRtcImplementation | undefined;
  /** Extra RTCConfiguration keys for the implementation (for example a Node library's bind address). */
  readonly extraConfig?: Record<string, unknown> | undefined;
}

/** A failure of a link, with a stable code (simple-peer's `ERR_ICE_CONNECTION_FAILURE`, …). */
export interface LinkError {
  readonly code: string;
  readonly message: string;
}

/** What a link reports. */
export interface LinkEvents extends Record<string, unknown> {
  /** A local offer, answer or candidate to pass to the other side through signaling. */
  signal: SignalData;
  /** The data channel is open. */
  open: undefined;
  /** One text frame from the other side. */
  message: string;
  /** The link is gone (closed by either side or failed); emitted once. */
  close: undefined;
  /** Something failed; `close` follows. */
  error: LinkError;
  /** One binary frame on the bulk channel (file data; docs/protocol.md, "Files"). */
  bulk: Uint8Array;
  /** The bulk channel opened, or its queue fell to BULK_LOW_WATER_BYTES (`bufferedamountlow`): write more. */
  bulkLow: undefined;
}

/** One reliable, ordered data channel to one peer, and beside it a reliable, ordered bulk channel for file data. */
export interface DataLink {
  /** Whether the data channel is open. */
  readonly isOpen: boolean;
  /** Bytes queued on the data channel and not yet sent. */
  readonly bufferedAmount: number;
  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof LinkEvents>(type: K, listener: (payload: LinkEvents[K]) => void): () => void;
  /** Feeds a signal from the other side. */
  signal(data: SignalData): void;
  /** Sends one text frame; returns false when the channel is not open (the frame is not sent). */
  send(text: string): boolean;
  /** Bytes queued on the bulk channel and not yet sent. */
  readonly bulkBufferedAmount: number;
  /** The largest binary frame the bulk channel carries: the channel's maximum message size, at most 64 KiB. */
  readonly maxBulkFrame: number;
  /**
   * Sends one binary frame on the second channel, reserved for bulk data so that chat is never queued behind it;
   * false when that channel is not open (the frame is not sent; `bulkLow` follows its opening).
   */
  sendBulk(frame: Uint8Array): boolean;
  /** Closes the link; `close` is emitted once. */
  close(): void;
}

/** Makes a link. May throw (a browser out of peer connections): callers recover. */
export type LinkFactory = (options: LinkOptions) => DataLink;
