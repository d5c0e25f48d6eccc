import { describe, expect, it } from 'vitest';
import { defaultServerLimits } from '../../../signaling/server-limits.ts';
import { freshRoom, useServerAndClients, type WsClient } from '../../support/ws-client.ts';

/**
 * A socket's rate-limit state is made only at need (not for a first frame, which a new throttle always passes) and
 * dropped when it is back to a new one's (at a heartbeat, once the bucket is full): neither may change what passes.
 * The limits' clock stands still unless the test moves it; the heartbeat (which also drops resting state) runs on
 * real time, every 500 ms.
 */
const clock = { now: 1_000_000 };
const { pool } = useServerAndClients({ now: () => clock.now, heartbeatMs: 500 });
const { messageBurst } = defaultServerLimits;

const candidate = (i: number) => ({ type: 'candidate', candidate: { candidate: `candidate:${i} 1 udp 2122260223 127.0.0.1 ${50000 + i} typ host`, sdpMLineIndex: 0, sdpMid: '0' } });
const signalsFrom = (client: WsClient, peerId: string): number => client.received.filter((frame) => String(frame).includes(`"from":"${peerId}"`)).length;
const refusals = (client: WsClient): number => client.received.filter((frame) => String(frame).includes('ERR_RATE_LIMITED')).length;

/** Sends `count` candidates from `member` to `host`; resolves once the `passing`-th has reached the host. */
async function burst(member: { client: WsClient }, host: { client: WsClient; peerId: string }, count: number, passing: number, first = 0): Promise<void> {
  for (let i = first; i < first + count; i++) member.client.send({ type: 'signal', to: host.peerId, data: candidate(i) });
  const last = `candidate:${first + passing - 1} `;
  await host.client.next('signal', { where: (s) => s.data.type === 'candidate' && s.data.candidate.candidate.startsWith(last) });
}

/** Resolves after the client's socket has answered `count` more WebSocket pings (heartbeats). */
function heartbeats(client: WsClient, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onPing = (): void => {
      if (++seen < count) return;
      client.socket.off('ping', onPing);
      resolve();
    };
    client.socket.on('ping', onPing);
  });
}

describe('the rate limit made at need and dropped at rest', () => {
  it('counts the join: on a stopped clock, exactly a burst less one signal passes after it', async () => {
    const room = freshRoom('first-frame');
    const host = await pool.joined(room, 'Host');
    const member = await pool.joined(room, 'Member');
    await burst(member, host, messageBurst, messageBurst - 1);
    await member.client.next('error', { where: (e) => e.code === 'ERR_RATE_LIMITED' });
    expect(signalsFrom(host.client, member.peerId)).toBe(messageBurst - 1);
    expect(refusals(member.client)).toBe(1);
  });

  it('limits a socket whose full bucket was dropped exactly as the full bucket would', async () => {
    const room = freshRoom('rested');
    const host = await pool.joined(room, 'Host');
    const member = await pool.joined(room, 'Member');
    await burst(member, host, 5, 5);
    // An hour later the bucket is full; the next heartbeats find it resting and drop it.
    clock.now += 3_600_000;
    await heartbeats(member.client, 2);
    await burst(member, host, messageBurst + 1, messageBurst, 5);
    await member.client.next('error', { where: (e) => e.code === 'ERR_RATE_LIMITED' });
    expect(signalsFrom(host.client, member.peerId)).toBe(5 + messageBurst);
    expect(refusals(member.client)).toBe(1);
    expect(member.client.isOpen).toBe(true);
  });
});
