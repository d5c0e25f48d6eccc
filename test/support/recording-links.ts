import type { DataLink, LinkFactory } from '../../web/src/net/link.ts';
import { createPeerLink } from '../../web/src/net/peer-link.ts';

/**
 * Real links (PeerLink) that also write down every frame they carry, both ways, into `frames`: what anyone reading
 * that tab's data channels would see. `bulkOut`, when given, rewrites every bulk frame this tab sends (a test
 * double that damages file data on its way through).
 */
export function recordingLinks(frames: string[], bulkOut?: (frame: Uint8Array) => Uint8Array): LinkFactory {
  return (options) => {
    const link = createPeerLink(options);
    link.on('message', (frame) => void frames.push(frame));
    const recording: DataLink = {
      get isOpen() {
        return link.isOpen;
      },
      get bufferedAmount() {
        return link.bufferedAmount;
      },
      on: (type, listener) => link.on(type, listener),
      signal: (data) => link.signal(data),
      send: (text) => {
        frames.push(text);
        return link.send(text);
      },
      get bulkBufferedAmount() {
        return link.bulkBufferedAmount;
      },
      get maxBulkFrame() {
        return link.maxBulkFrame;
      },
      sendBulk: (frame) => link.sendBulk(bulkOut ? bulkOut(frame) : frame),
      close: () => link.close(),
    };
    return recording;
  };
}
