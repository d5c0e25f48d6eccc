import { randomUUID } from 'node:crypto';
import * as polyfill from 'node-datachannel/polyfill';
import WebSocket from 'ws';
import type { RoomSessionDeps } from '../../web/src/net/room-session.ts';
import type { WebRtcImplementation } from '../../web/src/net/peer-link.ts';

/**
 * node-datachannel's W3C polyfill, shimmed for simple-peer: simple-peer assigns to `offer.sdp`, which is read-only
 * on the polyfill's descriptions, so offers and answers are handed out as plain objects (checked with node-datachannel 0.33).
 */
class ShimmedPeerConnection extends polyfill.RTCPeerConnection {
  override async createOffer(): Promise<RTCSessionDescriptionInit> {
    const offer = await super.createOffer();
    return { type: offer.type, sdp: offer.sdp };
  }

  override async createAnswer(): Promise<RTCSessionDescriptionInit> {
    const answer = await super.createAnswer();
    return { type: answer.type, sdp: answer.sdp };
  }
}

/** The WebRTC implementation Node peers use in tests and benchmarks. */
export const nodeWebRtc = {
  RTCPeerConnection: ShimmedPeerConnection,
  RTCSessionDescription: polyfill.RTCSessionDescription,
  RTCIceCandidate: polyfill.RTCIceCandidate,
} as unknown as WebRtcImplementation;

/** Session dependencies for a Node peer: `ws` sockets, node-datachannel bound to loopback. */
export function nodeSessionDeps(): RoomSessionDeps {
  return {
    createSocket: (url) => new WebSocket(url) as never,
    wrtc: nodeWebRtc,
    extraRtcConfig: { bindAddress: '127.0.0.1' },
    randomId: () => randomUUID(),
    now: () => Date.now(),
  };
}
