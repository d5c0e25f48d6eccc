import { describe, expect, it } from 'vitest';
import { signalingLimits } from '../../../signaling/server-limits.ts';
import { freshRoom, type WsClient, useServerAndClients } from '../../support/ws-client.ts';

/**
 * Ordinary races are not abuse: signals that cross a roster change (the target just left or lost the host role) are
 * dropped without an answer, and the protocol-error count drains over time, so churn alone never cuts a socket.
 */

const candidate = (i: number) => ({
  type: 'candidate',
  candidate: { candidate: `candidate:${i} 1 udp 2122260223 127.0.0.1 ${50000 + i} typ host`, sdpMLineIndex: 0, sdpMid: '0' },
});
const offer = { type: 'offer', sdp: 'v=0' } as const;

type Joined = { client: WsClient; peerId: string };

/**
 * `a` signals `b` and `b` signals back; resolves once `a` has the reply. Everything the server had to say to `a`
 * about earlier frames was written to `a`'s socket before that reply, so afterwards `a.received` is complete.
 */
async function roundTrip(a: Joined, b: Joined, label: string): Promise<void> {
  a.client.send({ type: 'signal', to: b.peerId, data: { type: 'offer', sdp: `ping ${label}` } });
  await b.client.next('signal', { where: (s) => s.from === a.peerId && s.data.type === 'offer' && s.data.sdp === `ping ${label}` });
  b.client.send({ type: 'signal', to: a.peerId, data: { type: 'answer', sdp: `pong ${label}` } });
  await a.client.next('signal', { where: (s) => s.from === b.peerId && s.data.type === 'answer' && s.data.sdp === `pong ${label}` });
}

function errorsOf(client: WsClient): string[] {
  return client.received.map(String).filter((frame) => frame.includes('"type":"error"'));
}

async function lateSignalCount(httpUrl: string): Promise<number> {
  const text = await (await fetch(new URL('metrics', httpUrl))).text();
  return Number(/^chatus_late_signals_total (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

describe('signals that cross a roster change', () => {
  const { pool, server } = useServerAndClients();

  async function roomOfThree(): Promise<{ host: Joined; ann: Joined; bob: Joined }> {
    const room = freshRoom('race');
    const host = await pool.joined(room, 'Host');
    const ann = await pool.joined(room, 'Ann');
    const bob = await pool.joined(room, 'Bob');
    await host.client.next('roster', { where: (r) => r.members.length === 3 });
    return { host, ann, bob };
  }

  it('a host trickling 30 candidates to a member who just left gets no error, is not cut, and still signals', async () => {
    const { host, ann, bob } = await roomOfThree();
    const before = await lateSignalCount(server().httpUrl);
    ann.client.send({ type: 'leave' });
    await host.client.next('roster', { where: (r) => !r.members.some((m) => m.id === ann.peerId) });
    for (let i = 0; i < 30; i++) host.client.send({ type: 'signal', to: ann.peerId, data: candidate(i) });
    await roundTrip(host, bob, 'after');
    expect(errorsOf(host.client)).toEqual([]);
    expect(host.client.isOpen).toBe(true);
    expect((await lateSignalCount(server().httpUrl)) - before).toBe(30);
  });

  it.each([
    ['left', (host: Joined) => host.client.terminate()],
    ['handed the role over', (host: Joined) => host.client.send({ type: 'handover' })],
  ])('a member trickling 30 candidates to a host that just %s gets no error and links to the new host', async (_how, demote) => {
    const { host, ann, bob } = await roomOfThree();
    demote(host);
    await bob.client.next('roster', { where: (r) => r.hostId === ann.peerId });
    for (let i = 0; i < 30; i++) bob.client.send({ type: 'signal', to: host.peerId, data: candidate(i) });
    await roundTrip(bob, ann, 'new host');
    expect(errorsOf(bob.client)).toEqual([]);
  });

  it('a demoted host still trickling 30 candidates to its members gets no error, and links to the new host', async () => {
    const { host, ann, bob } = await roomOfThree();
    host.client.send({ type: 'handover' });
    await host.client.next('roster', { where: (r) => r.hostId === ann.peerId });
    for (let i = 0; i < 30; i++) host.client.send({ type: 'signal', to: bob.peerId, data: candidate(i) });
    await roundTrip(host, ann, 'as member');
    expect(errorsOf(host.client)).toEqual([]);
  });

  it('still refuses a member signaling another member who never changed role, and one who was never there', async () => {
    const { ann, bob } = await roomOfThree();
    ann.client.send({ type: 'signal', to: bob.peerId, data: offer });
    expect(await ann.client.next('error')).toMatchObject({ code: 'ERR_BAD_TARGET' });
    ann.client.send({ type: 'signal', to: 'never-here', data: offer });
    expect(await ann.client.next('error')).toMatchObject({ code: 'ERR_BAD_TARGET' });
  });

  it('gives a stranger no grace for a peer who left another room', async () => {
    const { host, ann } = await roomOfThree();
    const stranger = await pool.joined(freshRoom('elsewhere'), 'Stranger');
    ann.client.send({ type: 'leave' });
    await host.client.next('roster', { where: (r) => r.members.length === 2 });
    stranger.client.send({ type: 'signal', to: ann.peerId, data: offer });
    expect(await stranger.client.next('error')).toMatchObject({ code: 'ERR_BAD_TARGET' });
  });
});

describe('with a clock the test moves', () => {
  const clock = { now: 1_000_000 };
  const { pool } = useServerAndClients({ now: () => clock.now });
  const { maxViolations, violationWindowMs, departureGraceMs } = signalingLimits;

  async function hostAndMember(): Promise<{ room: string; host: Joined; member: Joined }> {
    const room = freshRoom('clock');
    const host = await pool.joined(room, 'Host');
    const member = await pool.joined(room, 'Member');
    return { room, host, member };
  }

  /** Sends `count` frames that are not JSON and waits for their `count` error answers. */
  async function violate(client: WsClient, count: number): Promise<void> {
    for (let i = 0; i < count; i++) client.sendRaw('{');
    for (let i = 0; i < count; i++) await client.next('error', { where: (e) => e.code === 'ERR_BAD_MESSAGE' });
  }

  it('drops a signal to a member who left within the grace, and refuses one once the grace is over', async () => {
    const { room, host, member } = await hostAndMember();
    const bob = await pool.joined(room, 'Bob');
    member.client.send({ type: 'leave' });
    await host.client.next('roster', { where: (r) => r.members.length === 2 });
    host.client.send({ type: 'signal', to: member.peerId, data: candidate(1) });
    await roundTrip(host, bob, 'within the grace');
    expect(errorsOf(host.client)).toEqual([]);
    clock.now += departureGraceMs;
    host.client.send({ type: 'signal', to: member.peerId, data: candidate(2) });
    expect(await host.client.next('error')).toMatchObject({ code: 'ERR_BAD_TARGET' });
  });

  it(`forgets violations over time: ${maxViolations - 5}, a window later as many again, and the socket still signals`, async () => {
    const { host, member } = await hostAndMember();
    await violate(member.client, maxViolations - 5);
    clock.now += violationWindowMs;
    await violate(member.client, maxViolations - 5);
    await roundTrip(member, host, 'still here');
    expect(member.client.isOpen).toBe(true);
  });

  it(`closes with 4002 when as many come in one quick run (the ${maxViolations + 1}st)`, async () => {
    const { member } = await hostAndMember();
    await violate(member.client, maxViolations - 5);
    for (let i = 0; i < maxViolations - 5; i++) member.client.sendRaw('{');
    expect(await member.client.closed()).toMatchObject({ code: 4002 });
    expect(errorsOf(member.client)).toHaveLength(maxViolations + 1);
  });

  it(`closes with 4002 after ${maxViolations + 5} violations at once, as before`, async () => {
    const { host, member } = await hostAndMember();
    for (let i = 0; i < maxViolations + 5; i++) member.client.sendRaw('{');
    expect(await member.client.closed()).toMatchObject({ code: 4002 });
    expect(await host.client.next('roster', { where: (r) => r.members.length === 1 })).toMatchObject({ hostId: host.peerId });
  });
});
