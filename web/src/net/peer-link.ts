import SimplePeer from 'simple-peer';
import * as v from 'valibot';
import { SignalData } from '../../../shared/protocol/fields.ts';
import { BulkChannel } from './bulk-channel.ts';
import { Emitter } from './emitter.ts';
import type { DataLink, LinkEvents, LinkFactory, LinkOptions } from './link.ts';

/**
 * The one module that imports simple-peer. A PeerLink is one reliable, ordered data channel to one peer. It takes a
 * WebRTC implementation, so the same host and member code runs in browsers and, for tests and benchmarks, in Node.
 */

export type { WebRtcImplementation } from './link.ts';

/** One data channel to one peer, over real WebRTC. */
export class PeerLink extends Emitter<LinkEvents> implements DataLink {
  readonly #peer: SimplePeer.Instance;
  readonly #decoder = new TextDecoder();
  /** The second channel, for file data; null when the implementation could not make one (no files on this link). */
  readonly #bulk: BulkChannel | null;
  #open = false;
  #closed = false;

  constructor(options: LinkOptions) {
    super();
    this.#peer = new SimplePeer({
      initiator: options.initiator,
      trickle: true,
      // Always our own config: simple-peer's default lists public STUN servers.
      config: { iceServers: options.iceServers.map((server) => ({ ...server }) as RTCIceServer), ...options.extraConfig },
      ...(options.wrtc ? { wrtc: options.wrtc } : {}),
    });
    this.#bulk = makeBulk(this.#peer, {
      frame: (data) => this.emit('bulk', data),
      low: () => this.emit('bulkLow', undefined),
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

  /** Bytes queued on the bulk channel and not yet sent. */
  get bulkBufferedAmount(): number {
    return this.#bulk?.bufferedAmount ?? 0;
  }

  /** The largest frame the bulk channel carries. */
  get maxBulkFrame(): number {
    return this.#bulk?.maxFrame ?? 0;
  }

  /** Sends one binary frame on the bulk channel; false when it is not open. */
  sendBulk(frame: Uint8Array): boolean {
    return !this.#closed && (this.#bulk?.send(frame) ?? false);
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
    this.#bulk?.close();
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

/** The bulk channel on simple-peer's peer connection, or null when that cannot be made. */
function makeBulk(peer: SimplePeer.Instance, events: ConstructorParameters<typeof BulkChannel>[1]): BulkChannel | null {
  const connection = (peer as unknown as { _pc?: RTCPeerConnection })._pc;
  if (connection === undefined) return null;
  try {
    return new BulkChannel(connection, events);
  } catch {
    return null;
  }
}

/** The link factory of real WebRTC. */
export const createPeerLink: LinkFactory = (options) => new PeerLink(options);
