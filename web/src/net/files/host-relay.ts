import { CHUNK_HEADER_BYTES, decodeBulkFrame, endFrame, EndReason } from '../../../../shared/files/bulk-frame.ts';
import { ackFrame, askFrame, seekFrame } from '../../../../shared/files/relay-frames.ts';
import {
  BULK_HIGH_WATER_BYTES,
  FILE_RESUME_GATHER_MS,
  FILE_RESUME_TIMEOUT_MS,
  FILE_REWIND_CHUNKS,
  FILE_SENDER_GONE_MS,
  FILE_STALL_TIMEOUT_MS,
  FILE_WINDOW_CHUNKS,
  MAX_FILE_CHUNK_BYTES,
} from '../../../../shared/limits.ts';
import { fromBase64url, toBase64url } from '../../../../shared/crypto/encoding.ts';
import type { DataLink } from '../link.ts';
import { OPEN_FILE, type FileShape, type LocalEnd } from './relay-end.ts';
import { newRelay, type Relay } from './relay-state.ts';
import { EndedTransfers } from './ended-transfers.ts';

/** The host acknowledges chunks to their sender in steps of this many (or at the end). */
const ACK_STEP = Math.max(1, FILE_WINDOW_CHUNKS / 4);

/**
 * The host's side of file transfers: it takes a sender's chunks off its bulk channel, holds at most a window of them
 * per transfer (a RelayQueue), hands each receiver the next only while that receiver's bulk channel has room, and
 * acknowledges to the sender what every receiver has taken, so the sender never runs ahead of the slowest. A receiver
 * that takes nothing for FILE_STALL_TIMEOUT_MS is dropped from the transfer and told.
 *
 * After a host change it carries transfers over: each receiver says where it stands (`want`), the sender says it can
 * go on (`resume`, unasked or when asked: `ask`), and the host asks the sender for what the furthest-behind receiver
 * lacks (`seek`). A receiver that asks later, at most a window behind, sends the sender back again; one further behind
 * is told it is not included.
 */
export class HostRelay {
  readonly #selfId: string;
  readonly #local: LocalEnd;
  readonly #now: () => number;
  readonly #links = new Map<string, DataLink>();
  readonly #relays = new Map<string, Relay>();
  /** Members whose bulk channel to this host is open. */
  readonly #bulkOpen = new Set<string>();
  readonly #ended = new EndedTransfers();
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

  /** A member's link: its bulk frames are read here (`earlier`: those that came before, in order). */
  addLink(peerId: string, link: DataLink, earlier: readonly Uint8Array[] = []): void {
    this.#links.set(peerId, link);
    // Handed over already open (its opening, which tells the bulk channel opened, has passed).
    if (link.isOpen) this.#bulkOpen.add(peerId);
    link.on('bulk', (frame) => this.#fromMember(peerId, frame));
    link.on('bulkLow', () => {
      if (!this.#bulkOpen.has(peerId)) {
        this.#bulkOpen.add(peerId);
        for (const [id, relay] of this.#relays) this.#startCarriedOver(id, relay);
      }
      for (const [id, relay] of this.#relays) if (relay.queue.pending(peerId) > 0) this.#pump(id, relay);
    });
    link.on('close', () => {
      if (this.#links.get(peerId) !== link) return;
      this.#links.delete(peerId);
      this.#bulkOpen.delete(peerId);
      this.#gone(peerId);
    });
    for (const frame of earlier) this.#fromMember(peerId, frame);
  }

  /**
   * A file announcement was relayed: its chunks from `sender` go to every linked member but the sender, and here; a
   * file for one person goes to that person only (this tab relays it without a copy when it is not theirs).
   */
  start(transfer: string, sender: string, size: number, shape: FileShape = OPEN_FILE): void {
    const bytes = fromBase64url(transfer);
    if (!bytes.ok || this.#relays.has(transfer)) return;
    const receivers = [...this.#links].filter(([peer, link]) => peer !== sender && link.isOpen).map(([peer]) => peer);
    if (sender !== this.#selfId) receivers.push(this.#selfId);
    this.#relays.set(transfer, newRelay(this.#now(), bytes.value, sender, size, shape, receivers.filter((peer) => this.#mayReceive(shape, peer)), true));
  }

  /** Whether `peer` may receive a file of this shape: anyone for a room's file, the recipient's key for one person's. */
  #mayReceive(shape: FileShape, peer: string): boolean {
    return shape.recipient === undefined || this.#local.identityOf(peer) === shape.recipient;
  }

  /** A chunk of this tab's own file; false when the relay refuses it. */
  sendOwn(transfer: string, frame: Uint8Array): boolean {
    const decoded = decodeBulkFrame(frame);
    return decoded?.kind === 'chunk' && this.#chunk(this.#selfId, transfer, decoded.index, frame);
  }

  /** This tab received `transfer` up to chunk `index` under the previous host: it wants the rest. */
  wantOwn(transfer: string, index: number): void {
    this.#want(this.#selfId, transfer, index);
  }

  /** This tab was sending `transfer` (in chunks of `chunkBytes`) under the previous host: it can go on. */
  resumeOwn(transfer: string, chunkBytes: number): void {
    this.#resume(this.#selfId, transfer, chunkBytes);
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
    if (frame.kind === 'want') return this.#want(peerId, transfer, frame.index);
    if (frame.kind === 'resume') return this.#resume(peerId, transfer, frame.chunkBytes);
    const relay = this.#relays.get(transfer);
    if (!relay) return;
    if (frame.kind === 'chunk') {
      if (relay.sender === peerId) this.#chunk(peerId, transfer, frame.index, frame.frame);
    } else if (frame.kind === 'end') {
      if (relay.sender === peerId) this.#end(transfer, relay, frame.reason === EndReason.notKept ? EndReason.notKept : EndReason.senderCancelled);
      else if (relay.queue.drop(peerId)) this.#pump(transfer, relay);
    }
  }

  /** A receiver holds `transfer` up to chunk `index` and wants the rest (after a host change, or as a late joiner). */
  #want(peer: string, transfer: string, index: number): void {
    const relay = this.#relays.get(transfer) ?? this.#carryOver(transfer, peer, 'receiver');
    if (!relay) return this.#catchUpOrEnd(peer, transfer, index);
    // Each receiver may send the sender back once per transfer (a member that linked late, or linked again).
    const mayRewind = relay.chunkBytes > 0 && relay.queue.released - index <= FILE_REWIND_CHUNKS && !relay.rewoundFor.has(peer);
    if (peer === relay.sender) return;
    if (!this.#mayReceive(relay.shape, peer)) return this.#tellEnd(peer, transfer, EndReason.notIncluded);
    relay.since = this.#now();
    if (!relay.queue.addReceiver(peer, index)) {
      // Behind what is held: the sender goes back for it, if it is at most a window behind and the chunk size is known;
      // further behind (a receiver that reloaded its page), it catches up once the others have the file.
      if (!mayRewind && relay.chunkBytes > 0) return void relay.catchUps.set(peer, index);
      if (!mayRewind) return this.#tellEnd(peer, transfer, EndReason.notIncluded);
      relay.rewoundFor.add(peer);
      this.#seek(transfer, relay, index);
      relay.queue.addReceiver(peer, index);
    }
    relay.catchUps.delete(peer);
    relay.progress.set(peer, this.#now());
    this.#startCarriedOver(transfer, relay);
    this.#pump(transfer, relay);
  }

  /** The sender of `transfer` can go on sending it after a host change, in chunks of `chunkBytes` bytes. */
  #resume(peer: string, transfer: string, chunkBytes: number): void {
    const relay = this.#relays.get(transfer) ?? this.#carryOver(transfer, peer, 'sender');
    // Said again while sending (its link was replaced before the old one's close was read, or it said it twice): it
    // waits to be told where from, as after a lost link.
    if (relay?.sender === peer && relay.senderReady) this.#senderLost(relay);
    if (!relay || relay.sender !== peer) {
      // A sender whose last acknowledgement was lost with its link: every receiver has the file.
      const ended = this.#ended.get(transfer);
      return this.#tellEnd(peer, transfer, ended === undefined ? EndReason.refused : (ended.reason ?? EndReason.nobodyLeft));
    }
    if (chunkBytes < 1 || chunkBytes > MAX_FILE_CHUNK_BYTES - CHUNK_HEADER_BYTES - relay.shape.overhead) return this.#end(transfer, relay, EndReason.refused);
    relay.senderReady = true;
    relay.chunkBytes = chunkBytes;
    relay.since = this.#now();
    this.#startCarriedOver(transfer, relay);
  }

  /**
   * A carried-over transfer starts (the sender is told where from) once the sender and a receiver are here and every
   * member has linked, or FILE_RESUME_GATHER_MS after it was taken on; a receiver that comes later sends it back.
   */
  #startCarriedOver(transfer: string, relay: Relay): void {
    if (relay.flowing || relay.queue.receivers().length === 0) return;
    if (!relay.senderReady) return this.#ask(transfer, relay);
    const everyoneLinked = this.#local.roomPeers().every((peer) => peer === relay.sender || this.#bulkOpen.has(peer));
    if (everyoneLinked || this.#now() - relay.createdAt >= FILE_RESUME_GATHER_MS) this.#seek(transfer, relay, relay.queue.lowestWanted);
  }

  /**
   * A carried-over transfer wanted by a receiver, no word from its sender: the sender is asked once its bulk channel
   * is open (it resumes one under way unasked, not one that completed before). This tab answers for itself.
   */
  #ask(transfer: string, relay: Relay): void {
    if (relay.asked || (relay.sender !== this.#selfId && !this.#bulkOpen.has(relay.sender))) return;
    relay.asked = true;
    if (relay.sender !== this.#selfId) return void this.#links.get(relay.sender)?.sendBulk(askFrame(relay.transfer, relay.queue.lowestWanted));
    const chunkBytes = this.#local.chunkBytesOf(transfer);
    if (chunkBytes === undefined) this.#end(transfer, relay, EndReason.notKept);
    else if (chunkBytes > 0) this.#resume(this.#selfId, transfer, chunkBytes);
  }

  /** A transfer under way when the previous host left, known from its announcement: taken on, waiting for both ends. */
  #carryOver(transfer: string, asker: string, as: 'sender' | 'receiver'): Relay | undefined {
    const known = this.#local.known(transfer);
    const bytes = fromBase64url(transfer);
    if (!known || !bytes.ok || this.#ended.get(transfer)) return undefined;
    // Only for its sender, or one who may receive it: a stray frame must not leave a relay that waits for nobody.
    if (as === 'sender' ? asker !== known.sender : asker === known.sender || !this.#mayReceive(known, asker)) return undefined;
    const relay = newRelay(this.#now(), bytes.value, known.sender, known.size, known, [], false);
    this.#relays.set(transfer, relay);
    return relay;
  }

  /** The sender goes to chunk `index`; what it sent before reading this is dropped when it comes. */
  #seek(transfer: string, relay: Relay, index: number): void {
    relay.queue.restart(index, index * relay.chunkBytes);
    relay.acked = index;
    relay.flowing = true;
    relay.seeking = true;
    relay.lastChunkAt = this.#now();
    if (relay.sender !== this.#selfId) this.#links.get(relay.sender)?.sendBulk(seekFrame(relay.transfer, index));
    else if (!this.#local.seek(transfer, index)) this.#end(transfer, relay, EndReason.notKept);
  }

  #chunk(sender: string, transfer: string, index: number, frame: Uint8Array): boolean {
    const relay = this.#relays.get(transfer);
    if (!relay || relay.sender !== sender) return false;
    // Taken already (sent before the sender read a seek to where it stood): dropped, not refused.
    if (index < relay.queue.expected) return true;
    if (relay.seeking) {
      if (index !== relay.queue.expected) return true;
      relay.seeking = false;
    }
    // Of the file's bytes: a sealed chunk's tag is not (the queue counts bytes against the announced size).
    const dataBytes = frame.length - CHUNK_HEADER_BYTES - relay.shape.overhead;
    if (relay.chunkBytes === 0) relay.chunkBytes = dataBytes;
    // A copy of exactly this frame's bytes: what is held is bounded by the window, not by the channel's buffers.
    relay.lastChunkAt = this.#now();
    if (dataBytes < 1 || relay.queue.accept(index, frame, dataBytes) !== 'accepted') {
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
      // Gone (its close dropped it already, or it never was linked). One not open yet is written to once it opens.
      if (link === undefined) {
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
    if (!relay.senderReady) return;
    this.#acknowledge(transfer, relay);
    if (!queue.finished) return;
    this.#forget(transfer, relay, null);
    if (relay.catchUps.size > 0) this.#catchUp(transfer, relay.catchUps);
  }

  /**
   * A receiver asks for a transfer this host does not relay now: one completed here is sent again from its index (a
   * receiver that reloaded its page) if its sender is still in the room, else `senderGone`; any other, how it ended.
   */
  #catchUpOrEnd(peer: string, transfer: string, index: number): void {
    const ended = this.#ended.get(transfer);
    const known = this.#local.known(transfer);
    const senderHere = known !== undefined && (known.sender === this.#selfId || this.#local.roomPeers().includes(known.sender));
    if (ended?.reason !== null) return this.#tellEnd(peer, transfer, ended?.reason ?? EndReason.notIncluded);
    if (!senderHere) return this.#tellEnd(peer, transfer, EndReason.senderGone);
    if (!this.#ended.mayCatchUp(transfer, this.#local.identityOf(peer) ?? peer)) return this.#tellEnd(peer, transfer, EndReason.notIncluded);
    this.#catchUp(transfer, new Map([[peer, index]]));
  }

  /** Sends a completed transfer again to the receivers that `wants` (each from its own index), and to them only. */
  #catchUp(transfer: string, wants: ReadonlyMap<string, number>): void {
    const known = this.#local.known(transfer);
    const chunkBytes = this.#ended.get(transfer)?.chunkBytes ?? 0;
    const bytes = fromBase64url(transfer);
    const receivers = [...wants].filter(([peer]) => known !== undefined && this.#mayReceive(known, peer));
    if (!known || !bytes.ok || chunkBytes === 0 || receivers.length === 0) return;
    const relay = newRelay(this.#now(), bytes.value, known.sender, known.size, known, [], true);
    relay.chunkBytes = chunkBytes;
    for (const [peer, index] of receivers) relay.queue.addReceiver(peer, index);
    this.#ended.reopen(transfer);
    this.#relays.set(transfer, relay);
    this.#seek(transfer, relay, relay.queue.lowestWanted);
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
    this.#forget(transfer, relay, reason);
    for (const receiver of [...relay.queue.receivers(), ...relay.catchUps.keys()]) this.#tell(receiver, relay.transfer, reason);
    if (reason === EndReason.refused || reason === EndReason.nobodyLeft) this.#tell(relay.sender, relay.transfer, reason);
  }

  /** The relay is done with; a late `want` or `resume` for it is answered with how it ended (null: it completed). */
  #forget(transfer: string, relay: Relay, reason: EndReason | null): void {
    this.#relays.delete(transfer);
    this.#ended.record(transfer, { reason, chunkBytes: relay.chunkBytes });
  }

  #tellEnd(peer: string, transfer: string, reason: EndReason): void {
    const bytes = fromBase64url(transfer);
    if (bytes.ok) this.#tell(peer, bytes.value, reason);
  }

  #tell(peer: string, transfer: Uint8Array, reason: EndReason): void {
    if (peer === this.#selfId) this.#local.ended(toBase64url(transfer), reason);
    else this.#links.get(peer)?.sendBulk(endFrame(transfer, reason));
  }

  #gone(peerId: string): void {
    for (const [transfer, relay] of [...this.#relays]) {
      if (relay.sender === peerId) this.#senderLost(relay);
      else if (relay.queue.drop(peerId)) this.#pump(transfer, relay);
    }
  }

  /** The sender's link closed (or it said `resume` again): it waits for its `resume`, as a carried-over one does. */
  #senderLost(relay: Relay): void {
    relay.senderReady = false;
    relay.asked = false;
    relay.flowing = false;
    relay.seeking = false;
    relay.since = this.#now();
  }

  #dropStalled(): void {
    const now = this.#now();
    for (const [transfer, relay] of [...this.#relays]) {
      if (this.#abandoned(relay, now)) {
        this.#end(transfer, relay, relay.senderReady ? EndReason.nobodyLeft : EndReason.senderGone);
        continue;
      }
      // Asked to send (or send again) and silent, with nothing held: a sender that no longer has the file, or lost it.
      if (relay.flowing && relay.queue.held === 0 && now - relay.lastChunkAt >= FILE_RESUME_TIMEOUT_MS) {
        this.#end(transfer, relay, EndReason.senderGone);
        continue;
      }
      this.#startCarriedOver(transfer, relay);
      for (const receiver of relay.queue.receivers()) {
        const since = relay.progress.get(receiver) ?? now;
        if (relay.queue.pending(receiver) === 0 || now - since < FILE_STALL_TIMEOUT_MS) continue;
        relay.queue.drop(receiver);
        this.#tell(receiver, relay.transfer, EndReason.tooSlow);
      }
      this.#pump(transfer, relay);
    }
  }

  /**
   * A transfer waiting for its sender, who has been out of the room for FILE_SENDER_GONE_MS or did not come back in
   * FILE_RESUME_TIMEOUT_MS; or one that nobody asked for in that time.
   */
  #abandoned(relay: Relay, now: number): boolean {
    if (relay.senderReady || relay.sender === this.#selfId || this.#local.roomPeers().includes(relay.sender)) relay.senderMissingSince = null;
    else if (now - (relay.senderMissingSince ??= now) >= FILE_SENDER_GONE_MS) return true;
    if (now - relay.since < FILE_RESUME_TIMEOUT_MS) return false;
    return !relay.senderReady || relay.queue.receivers().length === 0;
  }
}
