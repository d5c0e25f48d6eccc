import { describe, expect, it } from 'vitest';
import { freshRoom, type WsClient, useServerAndClients } from '../../support/ws-client.ts';

const { pool } = useServerAndClients();

const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n' } as const;
const answer = { type: 'answer', sdp: 'v=0\r\n' } as const;
const candidate = {
  type: 'candidate',
  candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMLineIndex: 0, sdpMid: '0' },
} as const;

type Joined = { client: WsClient; peerId: string };

/** A room with a host and two members, all joined. */
async function roomOfThree(): Promise<{ room: string; host: Joined; ann: Joined; bob: Joined }> {
  const room = freshRoom('sig');
  const host = await pool.joined(room, 'Host');
  const ann = await pool.joined(room, 'Ann');
  const bob = await pool.joined(room, 'Bob');
  return { room, host, ann, bob };
}

/**
 * Proves that `receiver` got no signal from `sender` so far without waiting on a clock: a marker signal sent after
 * must be the very next signal `receiver` sees (the server handles one socket's frames in order).
 */
async function expectNoSignalBefore(sender: WsClient, receiver: WsClient, receiverId: string): Promise<void> {
  const marker = { type: 'offer', sdp: 'marker' } as const;
  sender.send({ type: 'signal', to: receiverId, data: marker });
  const next = await receiver.next('signal');
  expect(next.data).toStrictEqual(marker);
}

describe('signal relay', () => {
  it.each([
    ['an offer', offer],
    ['an answer', answer],
    ['a candidate', candidate],
  ])('delivers %s from a member to the host with from stamped by the server', async (_label, data) => {
    const { host, ann } = await roomOfThree();
    ann.client.send({ type: 'signal', to: host.peerId, data });
    expect(await host.client.next('signal')).toStrictEqual({ type: 'signal', from: ann.peerId, data });
  });

  it('delivers from the host to a member, and only to that member', async () => {
    const { host, ann, bob } = await roomOfThree();
    host.client.send({ type: 'signal', to: bob.peerId, data: answer });
    expect(await bob.client.next('signal')).toStrictEqual({ type: 'signal', from: host.peerId, data: answer });
    await expectNoSignalBefore(host.client, ann.client, ann.peerId);
  });

  it('ignores a spoofed from and strips fields the protocol does not have', async () => {
    const { host, ann, bob } = await roomOfThree();
    ann.client.send({ type: 'signal', to: host.peerId, from: bob.peerId, via: 'x', data: { ...offer, from: bob.peerId, extra: 1 } });
    expect(await host.client.next('signal')).toStrictEqual({ type: 'signal', from: ann.peerId, data: offer });
  });

  it('keeps the order of one sender’s signals', async () => {
    const { host, ann } = await roomOfThree();
    // Candidates: a member's offers to its host are limited (3 at once) on their own.
    const lines = Array.from({ length: 20 }, (_, i) => `candidate:${i}`);
    for (const line of lines) ann.client.send({ type: 'signal', to: host.peerId, data: { type: 'candidate', candidate: { candidate: line } } });
    const seen: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const signal = await host.client.next('signal');
      seen.push(signal.data.type === 'candidate' ? signal.data.candidate.candidate : '?');
    }
    expect(seen).toEqual(lines);
  });

  it('refuses member-to-member signals with ERR_BAD_TARGET and delivers nothing', async () => {
    const { host, ann, bob } = await roomOfThree();
    ann.client.send({ type: 'signal', to: bob.peerId, data: offer });
    expect(await ann.client.next('error')).toMatchObject({ code: 'ERR_BAD_TARGET' });
    await expectNoSignalBefore(host.client, bob.client, bob.peerId);
  });

  it('refuses a signal to a peer of another room with ERR_BAD_TARGET, even its host', async () => {
    const { host, ann } = await roomOfThree();
    const otherRoom = freshRoom('other');
    const stranger = await pool.joined(otherRoom, 'Stranger');
    const strangerMember = await pool.joined(otherRoom, 'Member');
    ann.client.send({ type: 'signal', to: stranger.peerId, data: offer });
    expect(await ann.client.next('error')).toMatchObject({ code: 'ERR_BAD_TARGET' });
    host.client.send({ type: 'signal', to: strangerMember.peerId, data: offer });
    expect(await host.client.next('error')).toMatchObject({ code: 'ERR_BAD_TARGET' });
    await expectNoSignalBefore(strangerMember.client, stranger.client, stranger.peerId);
    await expectNoSignalBefore(stranger.client, strangerMember.client, strangerMember.peerId);
  });

  it.each([
    ['an unknown peer id', 'nobody-here'],
    ['itself', null],
  ])('refuses a signal to %s with ERR_BAD_TARGET', async (_label, to) => {
    const { host } = await roomOfThree();
    host.client.send({ type: 'signal', to: to ?? host.peerId, data: offer });
    expect(await host.client.next('error')).toMatchObject({ code: 'ERR_BAD_TARGET' });
  });

  it('routes to the new host after the old one disconnects, and no longer between the survivors as members', async () => {
    const { host, ann, bob } = await roomOfThree();
    host.client.terminate();
    await bob.client.next('roster', { where: (r) => r.hostId === ann.peerId });
    bob.client.send({ type: 'signal', to: ann.peerId, data: offer });
    expect(await ann.client.next('signal')).toStrictEqual({ type: 'signal', from: bob.peerId, data: offer });
    ann.client.send({ type: 'signal', to: bob.peerId, data: answer });
    expect(await bob.client.next('signal')).toStrictEqual({ type: 'signal', from: ann.peerId, data: answer });
  });

  it('refuses signals from a socket whose join was refused: it is in no room', async () => {
    const { room, host } = await roomOfThree();
    const late = await pool.open();
    late.send({ type: 'join', v: 1, room, name: 'ann' });
    expect(await late.next('error')).toMatchObject({ code: 'ERR_NAME_TAKEN' });
    late.send({ type: 'signal', to: host.peerId, data: offer });
    expect(await late.next('error')).toMatchObject({ code: 'ERR_NOT_JOINED' });
  });
});
