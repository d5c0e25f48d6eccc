import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freshRoom, type WsClient, useServerAndClients } from '../../support/ws-client.ts';

/**
 * Random frames from a socket that has joined a room, against a real server: whatever they are, the server answers
 * with protocol messages only (the client checks every frame against the server schema), and afterwards a pair in
 * the same room and a pair in another room still join and signal.
 */

const { pool } = useServerAndClients();

type Joined = { client: WsClient; peerId: string };

async function signalBothWays(host: Joined, member: Joined): Promise<void> {
  const up = `up-${Math.random()}`;
  member.client.send({ type: 'signal', to: host.peerId, data: { type: 'candidate', candidate: { candidate: up } } });
  await host.client.next('signal', { where: (s) => s.from === member.peerId && s.data.type === 'candidate' && s.data.candidate.candidate === up });
  const down = `down-${Math.random()}`;
  host.client.send({ type: 'signal', to: member.peerId, data: { type: 'answer', sdp: down } });
  await member.client.next('signal', { where: (s) => s.from === host.peerId && s.data.type === 'answer' && s.data.sdp === down });
}

/** Frames near the protocol: right and wrong types, real and made-up peer ids, valid and broken payloads. */
function frames(ids: () => string[]): fc.Arbitrary<string[]> {
  const value = fc.oneof(fc.constantFrom(null, 0, 1, -1, true, '', 'x'), fc.string({ maxLength: 40 }), fc.constant(undefined));
  const message = fc.record(
    {
      type: fc.oneof(fc.constantFrom('join', 'signal', 'leave', 'host-unreachable', 'handover', 'welcome', 'roster'), fc.string({ maxLength: 10 })),
      v: fc.oneof(fc.constant(1), value),
      room: fc.oneof(fc.constantFrom('fuzz-room', 'other-room'), value),
      name: fc.oneof(fc.constantFrom('Ann', 'Host', 'Member'), value),
      to: fc.oneof(fc.nat(4).map((i) => ids()[i] ?? 'nobody'), value),
      from: fc.oneof(fc.nat(4).map((i) => ids()[i] ?? 'nobody'), value),
      data: fc.oneof(
        fc.record({ type: fc.constantFrom('offer', 'answer', 'candidate', 'bye'), sdp: value, candidate: fc.oneof(value, fc.record({ candidate: value })) }),
        value,
      ),
      resume: fc.oneof(fc.record({ peerId: fc.nat(4).map((i) => ids()[i] ?? 'x'), token: value }), value),
    },
    { requiredKeys: ['type'] },
  );
  return fc.array(fc.oneof({ weight: 4, arbitrary: message.map((m) => JSON.stringify(m)) }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }), {
    minLength: 1,
    maxLength: 30,
  });
}

describe('random frames against a real server', () => {
  it('never break the room they were sent in, nor any other', async () => {
    let known: string[] = [];
    await fc.assert(
      fc.asyncProperty(frames(() => known), async (sent) => {
        const room = freshRoom('fuzz');
        const host = await pool.joined(room, 'Host');
        const member = await pool.joined(room, 'Member');
        const fuzzer = await pool.joined(room, 'Fuzzer');
        known = [host.peerId, member.peerId, fuzzer.peerId];
        for (const frame of sent) fuzzer.client.sendRaw(frame);
        // The fuzzer may have left, closed, or handed nothing over (only the host may): the others still signal.
        // A candidate: random offers may have used up the fuzzer's offer allowance.
        fuzzer.client.send({ type: 'signal', to: host.peerId, data: { type: 'candidate', candidate: { candidate: 'marker' } } });
        // Once the marker is through (frames are handled in order) or the fuzzer is gone, every frame was handled.
        const marker = host.client.next('signal', { where: (s) => s.data.type === 'candidate' && s.data.candidate.candidate === 'marker' });
        marker.catch(() => undefined); // when the fuzzer closed first, this wait is abandoned
        await Promise.race([marker, fuzzer.client.closed()]);
        await signalBothWays(host, member);
        const other = freshRoom('other');
        await signalBothWays(await pool.joined(other, 'A'), await pool.joined(other, 'B'));
        expect(host.client.isOpen && member.client.isOpen).toBe(true);
        pool.closeAll();
      }),
      { numRuns: 40 },
    );
  });
});
