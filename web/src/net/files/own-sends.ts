import { CHUNK_HEADER_BYTES } from '../../../../shared/files/bulk-frame.ts';
import { BULK_HIGH_WATER_BYTES, FILE_WINDOW_CHUNKS, MAX_FILE_CHUNK_BYTES } from '../../../../shared/limits.ts';
import type { DataLink } from '../link.ts';
import { announceFile } from './announce-file.ts';
import type { HostRelay } from './host-relay.ts';
import { hashFile, OutgoingFile, type ChunkSeal, type ChunkSink, type SendFailure } from './outgoing-file.ts';
import type { FileShape } from './relay-end.ts';
import { isActive, type MutableView, type TransferBoard } from './transfer-board.ts';

/** One of this tab's own files, from the moment it is picked. */
export interface Sending {
  readonly view: MutableView;
  readonly blob: Blob;
  readonly id: Uint8Array;
  /** How its chunks look (sealed or not) and who receives them, once announced. */
  shape: FileShape;
  /** Seals each chunk (a private room's or one person's file); null for an open room's. */
  seal: ChunkSeal | null;
  messageId: string | undefined;
  sender: OutgoingFile | null;
  /** Bytes of file data per chunk, fixed when sending starts (0 before): a new host gets the same chunks. */
  chunkBytes: number;
  acked: number;
}

/** This tab's own files sent in full that it can send again (to a receiver that reloaded its page), newest kept. */
const SERVED_FILES = 32;

/** What OwnSends needs from its file hub: the board its views are on, and the way to the host now. */
export interface OwnSendsDeps {
  readonly board: () => TransferBoard;
  /** This tab's relay while it hosts. */
  readonly relay: () => HostRelay | null;
  /** This tab's link to the host while it is a member. */
  readonly hostLink: () => DataLink | null;
  readonly selfId: () => string | undefined;
}

/**
 * This tab's own files: sent in chunks no faster than the host acknowledges them, over its link to the host or into
 * its own relay; sent again from a chunk on when the host asks (`seek`: after a host change, or for a receiver that
 * reloaded its page, which the last SERVED_FILES files sent in full can still be sent to).
 */
export class OwnSends {
  readonly #deps: OwnSendsDeps;
  readonly #active = new Map<string, Sending>();
  /** Own files sent in full, kept to send again from a chunk on (a receiver that reloaded asks for the rest). */
  readonly #served = new Map<string, Sending>();

  constructor(deps: OwnSendsDeps) {
    this.#deps = deps;
  }

  /** The SHA-256 of a file about to be announced (see outgoing-file.ts). */
  readonly hashFile = hashFile;

  /** Hashes and announces a file picked to send (see announce-file.ts; its code loads with this class). */
  readonly announce = announceFile;

  add(sending: Sending): void {
    this.#active.set(sending.view.transfer, sending);
  }

  /** The file being sent as `transfer` (not one sent in full). */
  get(transfer: string): Sending | undefined {
    return this.#active.get(transfer);
  }

  active(): IterableIterator<Sending> {
    return this.#active.values();
  }

  /** Its view ended: a file sent in full is kept to be sent again; any other is forgotten. */
  ended(view: MutableView): void {
    const sending = this.#active.get(view.transfer);
    if (sending && view.state === 'done') this.#serve(sending);
    this.#active.delete(view.transfer);
  }

  #serve(sending: Sending): void {
    this.#served.delete(sending.view.transfer);
    this.#served.set(sending.view.transfer, sending);
    if (this.#served.size > SERVED_FILES) this.#served.delete(this.#served.keys().next().value!);
  }

  /** Fixes the chunk size of a file sent over `link`, if not fixed yet: the largest frame the link carries. */
  fixChunkBytes(sending: Sending, link: DataLink): void {
    if (sending.chunkBytes === 0) sending.chunkBytes = Math.min(link.maxBulkFrame || MAX_FILE_CHUNK_BYTES, MAX_FILE_CHUNK_BYTES) - CHUNK_HEADER_BYTES - sending.shape.overhead;
  }

  startMember(sending: Sending, link: DataLink, from: number): void {
    this.fixChunkBytes(sending, link);
    const sink = {
      room: (sent: number) => sent - sending.acked < FILE_WINDOW_CHUNKS && link.bulkBufferedAmount < BULK_HIGH_WATER_BYTES,
      send: (frame: Uint8Array) => link.sendBulk(frame),
    };
    // A chunk the link refuses is a link going down (a host change under way), not a failure: the transfer pauses, and
    // goes on over the next link (or fails when no host takes it on in time).
    this.#start(sending, sink, from, () => true);
  }

  startHost(sending: Sending, from: number): void {
    const relay = this.#deps.relay()!;
    if (sending.chunkBytes === 0) {
      sending.chunkBytes = relay.maxFrame - CHUNK_HEADER_BYTES - sending.shape.overhead;
      relay.start(sending.view.transfer, this.#deps.selfId() ?? '', sending.view.file.size, sending.shape);
    }
    const sink = {
      room: (sent: number) => sent - sending.acked < FILE_WINDOW_CHUNKS,
      send: (frame: Uint8Array) => relay.sendOwn(sending.view.transfer, frame),
    };
    this.#start(sending, sink, from, () => this.#deps.relay() !== relay);
  }

  /** `linkLost`: whether a chunk the sink refused means the way to the host is going (pause) rather than a refusal. */
  #start(sending: Sending, sink: ChunkSink, from: number, linkLost: () => boolean): void {
    sending.sender?.stop();
    sending.acked = from;
    this.#deps.board().flowing(sending.view);
    const failed = (why: SendFailure) => {
      if (!isActive(sending.view)) return;
      if (why === 'unsent' && linkLost()) return this.#deps.board().pause(sending.view);
      this.#deps.board().finish(sending.view, 'failed', why === 'unreadable' ? 'unreadable' : 'not-sent');
    };
    sending.sender = new OutgoingFile(sending.blob, sending.id, sending.chunkBytes, sink, failed, from, sending.seal);
    sending.sender.pump();
  }

  /**
   * The host asks for this tab's file from chunk `index` on (after a host change, or again for a reloaded receiver).
   * False when this tab no longer has it to send (not among the last SERVED_FILES sent, or sent before a reload).
   */
  seek(transfer: string, index: number): boolean {
    if (!this.chunkBytesOf(transfer)) return false;
    const sending = (this.#active.get(transfer) ?? this.#served.get(transfer))!;
    const hostLink = this.#deps.hostLink();
    if (this.#deps.relay()) this.startHost(sending, index);
    else if (hostLink) this.startMember(sending, hostLink, index);
    return true;
  }

  /**
   * The chunk size this tab sends `transfer` in, for a host that asks whether it can send it (again): 0 while it has not
   * started sending it, undefined when it does not have it (not among the last SERVED_FILES sent, or sent before a
   * reload). The same test as `seek`.
   */
  chunkBytesOf(transfer: string): number | undefined {
    const sending = this.#active.get(transfer) ?? this.#served.get(transfer);
    if (!sending || (!isActive(sending.view) && sending.view.state !== 'done')) return undefined;
    return sending.chunkBytes;
  }

  /** The host says every receiver took the first `count` chunks of one of these files. */
  acked(transfer: string, count: number): void {
    const sending = this.#active.get(transfer) ?? this.#served.get(transfer);
    if (!sending?.sender || (sending.view.state !== 'sending' && sending.view.state !== 'done')) return;
    sending.acked = Math.max(sending.acked, Math.min(count, sending.sender.sent));
    // Sent again to a receiver that reloaded: it stays "sent" here.
    if (sending.view.state === 'done') return sending.sender.pump();
    sending.view.bytes = Math.min(sending.view.file.size, sending.acked * sending.chunkBytes);
    if (sending.sender.allSent && sending.acked === sending.sender.sent) this.#deps.board().finish(sending.view, 'done', 'sent');
    else {
      this.#deps.board().progress(sending.view);
      sending.sender.pump();
    }
  }
}
