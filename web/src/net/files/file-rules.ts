import { EndReason } from '../../../../shared/files/bulk-frame.ts';
import type { SessionError } from '../session-types.ts';

/** A size as people read it: bytes, KiB, MiB or GiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** Why a file cannot be sent, before anything is read or sent; null when it can. */
export function refuseFile(size: number, maxBytes: number, connected: boolean): SessionError | null {
  if (!connected) return { code: 'ERR_NOT_CONNECTED', message: 'not connected to the room' };
  if (size === 0) return { code: 'ERR_EMPTY', message: 'the file is empty' };
  if (size > maxBytes) {
    return { code: 'ERR_TOO_LARGE', message: `the file is ${formatBytes(size)}; this server allows files up to ${formatBytes(maxBytes)}` };
  }
  return null;
}

/** How a transfer ended for this tab, by the reason the host gave; `detail: 'sender'` means "by the sender's name". */
export function describeEnd(reason: EndReason, direction: 'send' | 'receive'): { state: 'done' | 'cancelled' | 'failed'; detail: string } {
  switch (reason) {
    case EndReason.senderCancelled:
      return { state: 'cancelled', detail: 'sender' };
    case EndReason.receiverCancelled:
      return { state: 'cancelled', detail: 'the host' };
    case EndReason.tooSlow:
      return { state: 'failed', detail: 'your connection was too slow, so the host dropped you from this transfer' };
    case EndReason.senderGone:
      if (direction === 'send') return { state: 'failed', detail: 'your link to the host was lost, so the host stopped the transfer' };
      return { state: 'failed', detail: 'the sender left before the file was complete' };
    case EndReason.nobodyLeft:
      return { state: 'done', detail: 'no one was left waiting for the rest' };
    case EndReason.notIncluded:
      return { state: 'failed', detail: 'it was sent before you were linked to the host, so it is not here' };
    case EndReason.refused:
      return { state: 'failed', detail: direction === 'send' ? 'the host refused the transfer' : 'the host stopped the transfer' };
  }
}
