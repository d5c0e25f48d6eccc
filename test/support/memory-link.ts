import type { SignalData } from '../../shared/protocol/fields.ts';
import { Emitter } from '../../web/src/net/emitter.ts';
import type { DataLink, LinkEvents, LinkFactory } from '../../web/src/net/link.ts';

/**
 * In-memory data-channel links for fast, deterministic tests of the host, member and session logic. They pair
 * through the same signals real links exchange (an offer naming the initiator, an answer), so they travel through a
 * real signaling server or through a test's hands. Frames are delivered in order on the next microtask.
 */
export class MemoryNetwork {
  readonly #offered = new Map<string, MemoryLink>();
  #next = 0;
  #failures = 0;
  /** Every link this network made, oldest first. */
  readonly links: MemoryLink[] = [];

  /** The factory to hand a session or role; throws while failures are queued (a browser out of connections). */
  readonly createLink: LinkFactory = (options) => {
    if (this.#failures > 0) {
      this.#failures -= 1;
      throw new Error('Cannot create so many PeerConnections');
    }
    const link = new MemoryLink(this, `m${++this.#next}`, options.initiator);
    this.links.push(link);
    return link;
  };

  /** A member's end and a host's end of one link, paired and open. */
  async openPair(): Promise<{ readonly member: MemoryLink; readonly host: MemoryLink }> {
    const member = this.createLink({ initiator: true, iceServers: [] }) as MemoryLink;
    const host = this.createLink({ initiator: false, iceServers: [] }) as MemoryLink;
    member.on('signal', (data) => host.signal(data));
    host.on('signal', (data) => member.signal(data));
    await new Promise<void>((resolve) => {
      const check = () => (member.isOpen && host.isOpen ? resolve() : setTimeout(check, 0));
      check();
    });
    return { member, host };
  }

  /** The next `count` link creations throw. */
  failNext(count: number): void {
    this.#failures = count;
  }

  /** @internal */
  offer(link: MemoryLink): void {
    this.#offered.set(link.id, link);
  }

  /** @internal */
  take(id: string): MemoryLink | undefined {
    const link = this.#offered.get(id);
    this.#offered.delete(id);
    return link;
  }
}

/** One end of an in-memory link. */
export class MemoryLink extends Emitter<LinkEvents> implements DataLink {
  readonly id: string;
  /** Whether this end made the offer (a member's end; a host's ends answer). */
  readonly initiator: boolean;
  readonly #network: MemoryNetwork;
  #peer: MemoryLink | null = null;
  #open = false;
  #closed = false;
  /** While set, frames sent to this end pile up unread (a member that does not drain) and count as buffered there. */
  #stalled = false;
  #unread: string[] = [];
  /** Frames this end sent, in order (what a test inspects). */
  readonly sent: string[] = [];
  /** Bulk frames sent to this end and not read yet (while stalled). */
  #unreadBulk: Uint8Array[] = [];
  /** Bulk frames this end sent, in order. */
  readonly sentBulk: Uint8Array[] = [];
  /** The largest bulk frame, as a channel's maximum message size would say. */
  maxBulkFrame = 64 * 1024;

  constructor(network: MemoryNetwork, id: string, initiator: boolean) {
    super();
    this.id = id;
    this.initiator = initiator;
    this.#network = network;
    if (initiator) {
      network.offer(this);
      queueMicrotask(() => this.#signalOut({ type: 'offer', sdp: `memory:${id}` }));
    }
  }

  get isOpen(): boolean {
    return this.#open && !this.#closed;
  }

  /** What the other end has not read of this end's frames. */
  get bufferedAmount(): number {
    const peer = this.#peer;
    return peer ? peer.#unread.reduce((sum, frame) => sum + frame.length, 0) : 0;
  }

  signal(data: SignalData): void {
    if (this.#closed) return;
    if (data.type === 'offer') {
      const initiator = this.#network.take(data.sdp.replace(/^memory:/, ''));
      if (!initiator) return;
      this.#peer = initiator;
      initiator.#peer = this;
      queueMicrotask(() => this.#signalOut({ type: 'answer', sdp: `memory:${initiator.id}` }));
    } else if (data.type === 'answer' && this.#peer && !this.#open) {
      const peer = this.#peer;
      this.#opened();
      peer.#opened();
    }
  }

  send(text: string): boolean {
    if (!this.isOpen || !this.#peer) return false;
    this.sent.push(text);
    const peer = this.#peer;
    peer.#unread.push(text);
    if (!peer.#stalled) queueMicrotask(() => peer.#drain());
    return true;
  }

  /** What the other end has not read of this end's bulk frames. */
  get bulkBufferedAmount(): number {
    const peer = this.#peer;
    return peer ? peer.#unreadBulk.reduce((sum, frame) => sum + frame.length, 0) : 0;
  }

  sendBulk(frame: Uint8Array): boolean {
    if (!this.isOpen || !this.#peer) return false;
    this.sentBulk.push(frame);
    const peer = this.#peer;
    peer.#unreadBulk.push(frame.slice());
    if (!peer.#stalled) queueMicrotask(() => peer.#drain());
    return true;
  }

  /** Reads again what piled up while stalled, and tells the sender its queue drained. */
  resume(): void {
    this.#stalled = false;
    queueMicrotask(() => this.#drain());
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#open = false;
    const peer = this.#peer;
    this.emit('close', undefined);
    this.removeAllListeners();
    if (peer) queueMicrotask(() => peer.close());
  }

  /** Stops reading: frames sent to this end stay queued (and count in the other end's `bufferedAmount`). */
  stall(): void {
    this.#stalled = true;
  }

  /** Fails the link as a real one does: `error`, then `close`. */
  fail(code = 'ERR_ICE_CONNECTION_FAILURE'): void {
    this.emit('error', { code, message: 'the connection failed' });
    this.close();
  }

  #opened(): void {
    if (this.#open || this.#closed) return;
    this.#open = true;
    this.emit('open', undefined);
    this.emit('bulkLow', undefined);
  }

  #drain(): void {
    while (this.#unread.length > 0 && !this.#stalled && !this.#closed) {
      const frame = this.#unread.shift()!;
      this.emit('message', frame);
    }
    const hadBulk = this.#unreadBulk.length > 0;
    while (this.#unreadBulk.length > 0 && !this.#stalled && !this.#closed) this.emit('bulk', this.#unreadBulk.shift()!);
    // As `bufferedamountlow` on the sending end once its queue is read.
    if (hadBulk && !this.#closed) this.#peer?.emit('bulkLow', undefined);
  }

  #signalOut(data: SignalData): void {
    if (!this.#closed) this.emit('signal', data);
  }
}
