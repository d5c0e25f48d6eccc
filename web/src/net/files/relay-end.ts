import type { EndReason } from '../../../../shared/files/bulk-frame.ts';
import { SEALED_CHUNK_OVERHEAD } from '../../../../shared/files/sealed-file.ts';
import { isDirectBody, isFileBody, isSealedFileBody, type DeliveredChat } from '../../../../shared/protocol/envelope.ts';

/** What a host relay needs to know of a transfer, and of the tab that hosts it (see HostRelay). */

/** How a transfer's chunks look to the host, and who may receive them. */
export interface FileShape {
  /** Bytes each chunk carries beyond the file's data: SEALED_CHUNK_OVERHEAD for a sealed file, else 0. */
  readonly overhead: number;
  /** For a file sent to one person: their public identity (only the roster member with this key receives it). */
  readonly recipient?: string | undefined;
}

/** An open room's file: chunks are the file's bytes, for everyone. */
export const OPEN_FILE: FileShape = { overhead: 0 };

/** A file announced in the room, as a host needs it to carry a transfer over from the previous host. */
export interface KnownFile extends FileShape {
  /** The sender's peer id. */
  readonly sender: string;
  readonly size: number;
}

/** What the hosting tab itself does in a transfer it relays: it receives every file, and it may be the sender. */
export interface LocalEnd {
  /** A chunk for this tab (it is a receiver of every transfer it relays but its own). */
  chunk(transfer: string, index: number, data: Uint8Array): void;
  /** The transfer ended for this tab (its sender cancelled or left, or the host stopped it). */
  ended(transfer: string, reason: EndReason): void;
  /** For this tab's own file: every receiver has taken the first `count` chunks. */
  acked(transfer: string, count: number): void;
  /**
   * For this tab's own file (carried over from the previous host, or wanted again by a receiver that reloaded): send
   * it from chunk `index` on. False when this tab no longer has the file to send.
   */
  seek(transfer: string, index: number): boolean;
  /**
   * For this tab's own file: the bytes of file data per chunk it sends it in (under way, or among the files it keeps
   * to send again); 0 when it has not started sending it; undefined when it does not have it to send.
   */
  chunkBytesOf(transfer: string): number | undefined;
  /** A file announced in the room (its announcement is in this tab's log), or undefined. */
  known(transfer: string): KnownFile | undefined;
  /** The peer ids of everyone else in the room now. */
  roomPeers(): readonly string[];
  /** The public identity the roster gives `peer` (this tab's own too), or undefined. */
  identityOf(peer: string): string | undefined;
}

/** The transfer a chat announces (an open room's file, or a sealed one's attachment), or null for a message. */
export function announcedFile(chat: DeliveredChat): { transfer: string; size: number; shape: FileShape } | null {
  const { body } = chat;
  if (isFileBody(body)) return { transfer: body.file.transfer, size: body.file.size, shape: OPEN_FILE };
  if (!isSealedFileBody(body)) return null;
  const recipient = isDirectBody(body) ? body.recipient : undefined;
  return { transfer: body.attach.transfer, size: body.attach.size, shape: { overhead: SEALED_CHUNK_OVERHEAD, recipient } };
}
