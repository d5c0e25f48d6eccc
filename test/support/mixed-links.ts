import type { SignalData } from '../../shared/protocol/fields.ts';
import { Emitter } from '../../web/src/net/emitter.ts';
import type { DataLink, LinkEvents, LinkFactory, LinkOptions } from '../../web/src/net/link.ts';
import { createPeerLink } from '../../web/src/net/peer-link.ts';
import type { MemoryNetwork } from './memory-link.ts';

/**
 * Links for a room whose peers are partly in this process, on in-memory links, and partly in other processes, on
 * real WebRTC (node-datachannel). A member here offers an in-memory link; a host here answers each offer with the kind
 * it names: an in-memory one (`memory:` SDP from a member here) or a real one (a member elsewhere). Both travel through
 * the real signaling server, so roster, offers, limits and host changes are the server's own; only the data channels
 * of the members here are simulated. `real` makes the real links (simple-peer over the session's `wrtc`).
 */
export function mixedLinks(network: MemoryNetwork, real: LinkFactory = createPeerLink): LinkFactory {
  return (options) => (options.initiator ? network.createLink(options) : new AnsweringLink(options, network, real));
}

const forwarded = ['signal', 'open', 'message', 'close', 'error', 'bulk', 'bulkLow'] as const;

/** A host's end that becomes an in-memory or a real link when the member's offer says which. */
class AnsweringLink extends Emitter<LinkEvents> implements DataLink {
  readonly #options: LinkOptions;
  readonly #network: MemoryNetwork;
  readonly #real: LinkFactory;
  #inner: DataLink | null = null;
  #closed = false;

  constructor(options: LinkOptions, network: MemoryNetwork, real: LinkFactory) {
    super();
    this.#options = options;
    this.#network = network;
    this.#real = real;
  }

  get isOpen(): boolean {
    return this.#inner?.isOpen ?? false;
  }

  get bufferedAmount(): number {
    return this.#inner?.bufferedAmount ?? 0;
  }

  get bulkBufferedAmount(): number {
    return this.#inner?.bulkBufferedAmount ?? 0;
  }

  get maxBulkFrame(): number {
    return this.#inner?.maxBulkFrame ?? 0;
  }

  signal(data: SignalData): void {
    if (this.#closed) return;
    if (this.#inner === null) {
      // A host's link starts with the member's offer; nothing else can come first.
      if (data.type !== 'offer') return;
      const inner = data.sdp.startsWith('memory:') ? this.#network.createLink(this.#options) : this.#real(this.#options);
      this.#inner = inner;
      for (const type of forwarded) inner.on(type, (payload) => this.emit(type, payload as never));
    }
    this.#inner.signal(data);
  }

  send(text: string): boolean {
    return this.#inner?.send(text) ?? false;
  }

  sendBulk(frame: Uint8Array): boolean {
    return this.#inner?.sendBulk(frame) ?? false;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#inner) this.#inner.close();
    else this.emit('close', undefined);
  }
}
