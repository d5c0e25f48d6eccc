import SimplePeer from 'simple-peer';
import * as v from 'valibot';
import type { IceServer } from '../../../shared/protocol/fields.ts';
import { SignalData } from '../../../shared/protocol/fields.ts';
import { Emitter } from './emitter.ts';

/**
 * The one module that imports simple-peer. A PeerLink is one reliable, ordered data channel to one peer. It takes a
 * WebRTC implementation, so the same host and member code runs in browsers and, for tests and benchmarks, in Node.
 */

/** A WebRTC implementation: the browser's globals, or a Node library's. */
export type WebRtcImplementation = NonNullable<SimplePeer.Options['wrtc']>;

/** How to make one link. */
export interface PeerLinkOptions {
  /** The member makes the offer; the host answers. */
  readonly initiator: boolean;
  /** STUN/TURN servers the operator configured; empty means host candidates only. */
  readonly iceServers: readonly IceServer[];
  /** Omit in browsers; Node passes its WebRTC library here. */
  readonly wrtc?: WebRtcImplementation | undefined;
  /** Extra RTCConfiguration keys for the implementation (for example a Node library's bind address). */
  readonly extraConfig?: Record<string, unknown> | undefined;
}

/** A failure of the link, with simple-peer's stable code (`ERR_ICE_CONNECTION_FAILURE`, …). */
export interface PeerLinkError {
  readonly code: string;
  readonly message: string;
}

/** What a link reports. */
export interface PeerLinkEvents extends Record<string, unknown> {
  /** A local offer, answer or candidate to pass to the other side through signaling. */
  signal: SignalData;
  /** The data channel is open. */
  open: undefined;
  /** One text frame from the other side. */
  message: string;
  /** The link is gone (closed by either side or failed); emitted once. */
  close: undefined;
  /** Something failed; `close` follows. */
  error: PeerLinkError;
}

/** One data channel to one peer. */
export class PeerLink extends Emitter<PeerLinkEvents> {
  readonly #peer: SimplePeer.Instance;
  readonly #decoder = new TextDecoder();
  #open = false;
  #closed = false;

  constructor(options: PeerLinkOptions) {
    super();
    this.#peer = new SimplePeer({
      initiator: options.initiator,
      trickle: true,
      // Always our own config: simple-peer's default lists public STUN servers.
      config: { iceServers: options.iceServers.map((server) => ({ ...server }) as RTCIceServer), ...options.extraConfig },
      ...(options.wrtc ? { wrtc: options.wrtc } : {}),
    });
    this.#peer.on('signal', (data: unknown) => {
      // simple-peer also emits renegotiation requests, which a data-only link never needs.
      if (v.is(SignalData, data)) this.emit('signal', data);
    });
    this.#peer.on('connect', () => this.#opened());
    this.#peer.on('data', (data: Uint8Array | string) => {
      // simple-peer can deliver data before it fires 'connect' (the channel opened first on the other side); the
      // link is open then, and replies sent before 'open' would otherwise be dropped.
      this.#opened();
      this.emit('message', typeof data === 'string' ? data : this.#decoder.decode(data));
    });
    this.#peer.on('error', (error: Error & { code?: string }) => {
      this.emit('error', { code: error.code ?? 'ERR_PEER', message: error.message });
    });
    this.#peer.on('close', () => this.#finish());
  }

  /** Whether the data channel is open. */
  get isOpen(): boolean {
    return this.#open && !this.#closed;
  }

  /** Bytes queued on the data channel and not yet sent. */
  get bufferedAmount(): number {
    return this.#peer.bufferSize;
  }

  #opened(): void {
    if (this.#open || this.#closed) return;
    this.#open = true;
    this.emit('open', undefined);
  }

  /** Feeds a signal from the other side. */
  signal(data: SignalData): void {
    if (!this.#closed) this.#peer.signal(data as SimplePeer.SignalData);
  }

  /** Sends one text frame; returns false when the channel is not open (the frame is not sent). */
  send(text: string): boolean {
    if (!this.isOpen) return false;
    try {
      this.#peer.send(text);
      return true;
    } catch {
      // The channel closed between the check and the send; `close` follows.
      return false;
    }
  }

  /** Closes the link; `close` is emitted once. */
  close(): void {
    this.#peer.destroy();
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#open = false;
    // simple-peer 9.11.1 leaves its ICE-complete timer running after destroy, which holds a Node process open.
    const timer = (this.#peer as unknown as { _iceCompleteTimer?: ReturnType<typeof setTimeout> })._iceCompleteTimer;
    if (timer !== undefined) clearTimeout(timer);
    this.emit('close', undefined);
    this.removeAllListeners();
  }
}
