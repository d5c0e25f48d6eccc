import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultServerLimits } from '../../../signaling/server-limits.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { ClientPool, freshRoom } from '../../support/ws-client.ts';

/**
 * The rate limit lets real signaling through (ICE trickle, a host answering a full room at once) and stops floods.
 * The server runs with the default limits.
 */

let server: TestServer;
const pool = new ClientPool(() => server.wsUrl);
const { messageBurst } = defaultServerLimits;

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => pool.closeAll());
afterAll(async () => {
  await server.close();
});

const candidate = (i: number) => ({ type: 'candidate', candidate: { candidate: `candidate:${i} 1 udp 2122260223 127.0.0.1 ${50000 + i} typ host`, sdpMLineIndex: 0, sdpMid: '0' } });

describe('the rate limit', () => {
  it('passes a join, an offer and 20 ICE candidates sent at once', async () => {
    const room = freshRoom('trickle');
    const host = await pool.joined(room, 'Host');
    const member = await pool.open();
    member.send({ type: 'join', v: 1, room, name: 'Member' });
    // Sent before the welcome even arrives: the peer id is not needed to count frames, only to address them.
    const { peerId } = await member.next('welcome');
    member.send({ type: 'signal', to: host.peerId, data: { type: 'offer', sdp: 'v=0' } });
    for (let i = 0; i < 20; i++) member.send({ type: 'signal', to: host.peerId, data: candidate(i) });
    await host.client.next('signal', { where: (s) => s.data.type === 'candidate' && s.data.candidate.candidate.startsWith('candidate:19 ') });
    expect(host.client.received.filter((frame) => String(frame).includes(`"from":"${peerId}"`))).toHaveLength(21);
    expect(member.received.join('\n')).not.toContain('ERR_RATE_LIMITED');
  });

  it('gives a host one burst per member: answering 10 members with a full burst each passes', async () => {
    const room = freshRoom('fan-out');
    const host = await pool.joined(room, 'Host');
    const members = [];
    for (let i = 0; i < 10; i++) members.push(await pool.joined(room, `M${i}`));
    await host.client.next('roster', { where: (r) => r.members.length === 11 });
    for (const member of members) {
      host.client.send({ type: 'signal', to: member.peerId, data: { type: 'answer', sdp: 'v=0' } });
      for (let i = 1; i < messageBurst; i++) host.client.send({ type: 'signal', to: member.peerId, data: candidate(i) });
    }
    for (const member of members) {
      await member.client.next('signal', { where: (s) => s.data.type === 'candidate' && s.data.candidate.candidate.startsWith(`candidate:${messageBurst - 1} `) });
      expect(member.client.received.filter((frame) => String(frame).includes('"signal"'))).toHaveLength(messageBurst);
    }
    expect(host.client.received.join('\n')).not.toContain('ERR_RATE_LIMITED');
  });

  it('refuses a member past its burst with one ERR_RATE_LIMITED per run, and keeps it while it slows down', async () => {
    const room = freshRoom('brush');
    const host = await pool.joined(room, 'Host');
    const member = await pool.joined(room, 'Member');
    // The join took one token: this overshoots by ten, well short of the flood cut-off.
    for (let i = 0; i < messageBurst + 10; i++) member.client.send({ type: 'signal', to: host.peerId, data: candidate(i) });
    expect(await member.client.next('error')).toMatchObject({ code: 'ERR_RATE_LIMITED' });
    // The refill (20/s) lets a later signal through: the socket was not closed. Retry on a condition, not a sleep.
    const arrived = host.client.next('signal', { where: (s) => s.data.type === 'offer' && s.data.sdp === 'after' });
    const retry = setInterval(() => member.client.send({ type: 'signal', to: host.peerId, data: { type: 'offer', sdp: 'after' } }), 25);
    await arrived.finally(() => clearInterval(retry));
    expect(member.client.received.filter((frame) => String(frame).includes('ERR_RATE_LIMITED'))).toHaveLength(1);
    expect(member.client.isOpen).toBe(true);
  });

  it('closes a client that keeps sending a whole burst past the refusals with 4002', async () => {
    const room = freshRoom('flood');
    const host = await pool.joined(room, 'Host');
    const member = await pool.joined(room, 'Member');
    for (let i = 0; i < 3 * messageBurst; i++) member.client.send({ type: 'signal', to: host.peerId, data: candidate(i) });
    expect(await member.client.closed()).toMatchObject({ code: 4002 });
    expect(await host.client.next('roster', { where: (r) => r.members.length === 1 })).toMatchObject({ hostId: host.peerId });
  });
});
