import { ackFrame, CHUNK_HEADER_BYTES, decodeBulkFrame, endFrame, EndReason } from '../../../../shared/files/bulk-frame.ts';
import { BULK_HIGH_WATER_BYTES, FILE_STALL_TIMEOUT_MS, FILE_WINDOW_CHUNKS, MAX_FILE_CHUNK_BYTES } from '../../../../shared/limits.ts';
import { RelayQueue } from '../../../../shared/files/relay-queue.ts';
import { fromBase64url, toBase64url } from '../../../../shared/crypto/encoding.ts';
import type { DataLink } from '../link.ts';

/** The host acknowledges chunks to their sender in steps of this many (or at the end). */
const ACK_STEP = Math.max(1, FILE_WINDOW_CHUNKS / 4);

/** What the hosting tab itself does in a transfer it relays: it receives every file, and it may be the sender. */
export interface LocalEnd {
  /** A chunk for this tab (it is a receiver of every transfer it relays but its own). */
  chunk(transfer: string, index: number, data: Uint8Array): void;
  /** The transfer ended for this tab (its sender cancelled or left, or the host stopped it). */
  ended(transfer: string, reason: EndReason): void;
  /** For this tab's own file: every receiver has taken the first `count` chunks. */
  acked(transfer: string, count: number): void;
}

interface Relay {
  readonly transfer: Uint8Array;
  readonly sender: string;
  readonly queue: RelayQueue<Uint8Array>;
  acked: number;
  /** When each receiver last took a chunk (or joined the transfer). */
  readonly progress: Map<string, number>;
}

/**
 * The host's side of file transfers: it takes a sender's chunks off its bulk channel, holds at most a window of them
 * per transfer (RelayQueue), hands each receiver the next only while that receiver's bulk channel has room, and
 * acknowledges to the sender what every receiver has taken, so the sender never runs ahead of the slowest. A receiver
 * that takes nothing for FILE_STALL_TIMEOUT_MS is dropped from the transfer and told.
 */
export class HostRelay {
  readonly #selfId: string;
  readonly #local: LocalEnd;
  readonly #now: () => number;
  readonly #links = new Map<string, DataLink>();
  readonly #relays = new Map<string, Relay>();
  readonly #sweep: ReturnType<typeof setInterval>;

  constructor(selfId: string, local: LocalEnd, now: () => number) {
    this.#selfId = selfId;
    this.#local = local;
    this.#now = now;
    this.#sweep = setInterval(() => this.#dropStalled(), 1000);
  }

  /** The most chunks any transfer holds now (a test reads it: bounded by the window). */
  get heldChunks(): number {
    return Math.max(0, ...[...this.#relays.values()].map((relay) => relay.queue.held));
  }

  /** The largest chunk frame every open member link carries (the host's own files are cut to fit all of them). */
  get maxFrame(): number {
    const sizes = [...this.#links.values()].filter((link) => link.isOpen && link.maxBulkFrame > 0).map((link) => link.maxBulkFrame);
    return Math.min(MAX_FILE_CHUNK_BYTES, ...sizes);
  }

  /** A member's link: its bulk frames are read here. */
  addLink(peerId: string, link: DataLink): void {
    this.#links.set(peerId, link);
    link.on('bulk', (frame) => this.#fromMember(peerId, frame));
    let told = false;
    link.on('bulkLow', () => {
      // The first time is the channel's opening: transfers that began without this member are not coming to it.
      if (!told) this.#tellLate(peerId, link);
      told = true;
      for (const [id, relay] of this.#relays) if (relay.queue.pending(peerId) > 0) this.#pump(id, relay);
    });
    link.on('close', () => {
      if (this.#links.get(peerId) !== link) return;
      this.#links.delete(peerId);
      this.#gone(peerId);
    });
  }

  /** A file announcement was relayed: its chunks from `sender` go to every linked member but the sender, and here. */
  start(transfer: string, sender: string, size: number): void {
    const bytes = fromBase64url(transfer);
    if (!bytes.ok || this.#relays.has(transfer)) return;
    const receivers = [...this.#links].filter(([peer, link]) => peer !== sender && link.isOpen).map(([peer]) => peer);
    if (sender !== this.#selfId) receivers.push(this.#selfId);
    const now = this.#now();
    this.#relays.set(transfer, {
      transfer: bytes.value,
      sender,
      queue: new RelayQueue(receivers, FILE_WINDOW_CHUNKS, size),
      acked: 0,
      progress: new Map(receivers.map((peer) => [peer, now])),
    });
  }

  /** A chunk of this tab's own file; false when the relay refuses it. */
  sendOwn(transfer: string, frame: Uint8Array): boolean {
    const decoded = decodeBulkFrame(frame);
    return decoded?.kind === 'chunk' && this.#chunk(this.#selfId, transfer, decoded.index, frame);
  }

  /** This tab (`selfId`) leaves or stops a transfer: as its sender, everyone is told; as a receiver, it is dropped. */
  cancel(transfer: string): void {
    const relay = this.#relays.get(transfer);
    if (!relay) return;
    if (relay.sender === this.#selfId) this.#end(transfer, relay, EndReason.senderCancelled);
    else if (relay.queue.drop(this.#selfId)) this.#pump(transfer, relay);
  }

  close(): void {
    clearInterval(this.#sweep);
    this.#relays.clear();
    this.#links.clear();
  }

  #fromMember(peerId: string, raw: Uint8Array): void {
    const frame = decodeBulkFrame(raw);
    if (frame === null) return;
    const transfer = toBase64url(frame.transfer);
    const relay = this.#relays.get(transfer);
    if (!relay) return;
    if (frame.kind === 'chunk') {
      if (relay.sender === peerId) this.#chunk(peerId, transfer, frame.index, frame.frame);
    } else if (frame.kind === 'end') {
      if (relay.sender === peerId) this.#end(transfer, relay, EndReason.senderCancelled);
      else if (relay.queue.drop(peerId)) this.#pump(transfer, relay);
    }
  }

  #chunk(sender: string, transfer: string, index: number, frame: Uint8Array): boolean {
    const relay = this.#relays.get(transfer);
    if (!relay || relay.sender !== sender) return false;
    // A copy of exactly this frame's bytes: what is held is bounded by the window, not by the channel's buffers.
    if (relay.queue.accept(index, frame, frame.length - CHUNK_HEADER_BYTES) !== 'accepted') {
      this.#end(transfer, relay, EndReason.refused);
      return false;
    }
    this.#pump(transfer, relay);
    return true;
  }

  /** Hands every receiver what it needs while its channel has room; acknowledges progress; forgets a finished one. */
  #pump(transfer: string, relay: Relay): void {
    const { queue } = relay;
    for (const receiver of queue.receivers()) {
      const link = receiver === this.#selfId ? null : this.#links.get(receiver);
      if (receiver !== this.#selfId && !link?.isOpen) {
        queue.drop(receiver);
        continue;
      }
      for (let next = queue.peek(receiver); next !== undefined; next = queue.peek(receiver)) {
        if (link === null || link === undefined) {
          this.#local.chunk(transfer, next.index, next.chunk.subarray(CHUNK_HEADER_BYTES));
        } else {
          if (link.bulkBufferedAmount >= BULK_HIGH_WATER_BYTES) break;
          // Not open yet (it opens just after the chat channel): `bulkLow` at its opening pumps again.
          if (!link.sendBulk(next.chunk)) break;
        }
        queue.taken(receiver);
        relay.progress.set(receiver, this.#now());
      }
      // Up to date: nothing it owes counts against it until more arrives.
      if (queue.pending(receiver) === 0) relay.progress.set(receiver, this.#now());
    }
    this.#acknowledge(transfer, relay);
    if (queue.finished) this.#relays.delete(transfer);
  }

  #acknowledge(transfer: string, relay: Relay): void {
    const { released, complete } = relay.queue;
    if (released === relay.acked || (released - relay.acked < ACK_STEP && !complete)) return;
    relay.acked = released;
    if (relay.sender === this.#selfId) this.#local.acked(transfer, released);
    else this.#links.get(relay.sender)?.sendBulk(ackFrame(relay.transfer, released));
  }

  /** The transfer ends for everyone in it. */
  #end(transfer: string, relay: Relay, reason: EndReason): void {
    this.#relays.delete(transfer);
    for (const receiver of relay.queue.receivers()) this.#tell(receiver, transfer, relay, reason);
    if (reason === EndReason.refused) this.#tell(relay.sender, transfer, relay, reason);
  }

  #tell(peer: string, transfer: string, relay: Relay, reason: EndReason): void {
    if (peer === this.#selfId) this.#local.ended(transfer, reason);
    else this.#links.get(peer)?.sendBulk(endFrame(relay.transfer, reason));
  }

  #tellLate(peerId: string, link: DataLink): void {
    for (const relay of this.#relays.values()) {
      if (relay.sender !== peerId && !relay.queue.receivers().includes(peerId)) link.sendBulk(endFrame(relay.transfer, EndReason.notIncluded));
    }
  }

  #gone(peerId: string): void {
    for (const [transfer, relay] of [...this.#relays]) {
      if (relay.sender === peerId) this.#end(transfer, relay, EndReason.senderGone);
      else if (relay.queue.drop(peerId)) this.#pump(transfer, relay);
    }
  }

  #dropStalled(): void {
    const now = this.#now();
    for (const [transfer, relay] of [...this.#relays]) {
      for (const receiver of relay.queue.receivers()) {
        const since = relay.progress.get(receiver) ?? now;
        if (relay.queue.pending(receiver) === 0 || now - since < FILE_STALL_TIMEOUT_MS) continue;
        relay.queue.drop(receiver);
        this.#tell(receiver, transfer, relay, EndReason.tooSlow);
      }
      this.#pump(transfer, relay);
    }
  }
}
