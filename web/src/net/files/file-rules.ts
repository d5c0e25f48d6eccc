import { EndReason } from '../../../../shared/files/bulk-frame.ts';
import type { SessionError } from '../session-types.ts';
import type { TransferDetail } from './transfer-view.ts';

/** Why a file cannot be sent, before anything is read or sent; null when it can. */
export function refuseFile(size: number, maxBytes: number, connected: boolean): SessionError | null {
  if (!connected) return { code: 'ERR_NOT_CONNECTED' };
  if (size === 0) return { code: 'ERR_EMPTY' };
  if (size > maxBytes) return { code: 'ERR_TOO_LARGE', size, limit: maxBytes };
  return null;
}

/** How a transfer ended for this tab, by the reason the host gave; `detail: 'sender'`: cancelled by its sender. */
export function describeEnd(reason: EndReason, direction: 'send' | 'receive'): { state: 'done' | 'cancelled' | 'failed'; detail: TransferDetail } {
  switch (reason) {
    case EndReason.senderCancelled:
      return { state: 'cancelled', detail: 'sender' };
    case EndReason.receiverCancelled:
      return { state: 'cancelled', detail: 'host' };
    case EndReason.tooSlow:
      return { state: 'failed', detail: 'too-slow' };
    case EndReason.senderGone:
      return { state: 'failed', detail: direction === 'send' ? 'link-lost' : 'sender-left' };
    case EndReason.nobodyLeft:
      return { state: 'done', detail: 'nobody-left' };
    case EndReason.notIncluded:
      return { state: 'failed', detail: 'not-linked' };
    case EndReason.notKept:
      return { state: 'failed', detail: 'not-kept' };
    case EndReason.refused:
      return { state: 'failed', detail: direction === 'send' ? 'host-refused' : 'host-stopped' };
  }
}
