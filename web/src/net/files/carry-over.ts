import type { IncomingFile } from './incoming-file.ts';
import type { OwnSends, Sending } from './own-sends.ts';
import type { TransferBoard } from './transfer-board.ts';

/** How transfers under way say they go on to a (new) host: its relay (this tab hosts) or its link (a member). */
export interface CarryOverWay {
  /** This tab sends it, and has begun: it can go on (the host says where from). */
  resume(sending: Sending): void;
  /** This tab receives it: it holds every chunk before `incoming.chunks`. */
  want(transfer: string, incoming: IncomingFile): void;
}

/**
 * The host left or changed: transfers under way wait for the next one (TransferBoard.pause). One the former host
 * was sending waits too: a host that was only replaced (a page busy too long) comes back as a member and goes on;
 * one that left the room is found gone by the next host, which says so ("the sender left").
 */
export function pauseActive(board: TransferBoard, sends: OwnSends | null): void {
  for (const view of board.active()) {
    sends?.get(view.transfer)?.sender?.stop();
    board.pause(view);
  }
}

/** Every transfer under way goes on: as its sender once it has started sending (`resume`), else as a receiver (`want`). */
export function carryOver(board: TransferBoard, sends: OwnSends | null, receiving: ReadonlyMap<string, IncomingFile>, to: CarryOverWay): void {
  for (const view of board.active()) {
    const sending = sends?.get(view.transfer);
    const incoming = receiving.get(view.transfer);
    if (sending && sending.chunkBytes > 0) {
      sending.sender?.stop();
      board.flowing(view);
      to.resume(sending);
    } else if (incoming) {
      board.flowing(view);
      to.want(view.transfer, incoming);
    }
  }
}
