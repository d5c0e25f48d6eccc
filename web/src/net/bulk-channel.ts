import { BULK_LOW_WATER_BYTES, MAX_FILE_CHUNK_BYTES } from '../../../shared/limits.ts';

/**
 * The second data channel of a PeerLink, for file data only. simple-peer makes one in-band channel; this one is
 * pre-negotiated (`negotiated: true`, a fixed id on both sides), so it needs no extra offer or answer and opens with
 * the SCTP association. Chat never waits behind a chunk: each channel is its own SCTP stream with its own queue.
 */

/** The stream id both sides give the bulk channel; simple-peer's own channel takes 0 or 1. */
const BULK_CHANNEL_ID = 7;

/** What the bulk channel tells its link. */
export interface BulkChannelEvents {
  frame(data: Uint8Array): void;
  low(): void;
}

/** The bulk channel of one peer connection. */
export class BulkChannel {
  readonly #channel: RTCDataChannel;
  readonly #peer: RTCPeerConnection;

  constructor(peer: RTCPeerConnection, events: BulkChannelEvents) {
    this.#peer = peer;
    this.#channel = peer.createDataChannel('chatus-bulk', { negotiated: true, id: BULK_CHANNEL_ID, ordered: true });
    this.#channel.binaryType = 'arraybuffer';
    this.#channel.bufferedAmountLowThreshold = BULK_LOW_WATER_BYTES;
    this.#channel.onopen = () => events.low();
    this.#channel.onbufferedamountlow = () => events.low();
    this.#channel.onmessage = (event: MessageEvent<unknown>) => {
      if (event.data instanceof ArrayBuffer) events.frame(new Uint8Array(event.data));
      else if (ArrayBuffer.isView(event.data)) events.frame(new Uint8Array(event.data.buffer, event.data.byteOffset, event.data.byteLength));
    };
  }

  get isOpen(): boolean {
    return this.#channel.readyState === 'open';
  }

  get bufferedAmount(): number {
    return this.#channel.bufferedAmount;
  }

  /** The channel's maximum message size (the SCTP transport's), at most MAX_FILE_CHUNK_BYTES. */
  get maxFrame(): number {
    const max = this.#peer.sctp?.maxMessageSize;
    return typeof max === 'number' && max >= 16 * 1024 ? Math.min(max, MAX_FILE_CHUNK_BYTES) : 16 * 1024;
  }

  send(frame: Uint8Array): boolean {
    if (!this.isOpen) return false;
    try {
      this.#channel.send(frame as Uint8Array<ArrayBuffer>);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.#channel.onmessage = null;
    this.#channel.onbufferedamountlow = null;
    this.#channel.onopen = null;
    try {
      this.#channel.close();
    } catch {
      // Already closed with its connection.
    }
  }
}
