import { describe, expect, it } from 'vitest';
import { signalingLimits } from '../../../signaling/server-limits.ts';
import { freshRoom, type WsClient, useServerAndClients } from '../../support/ws-client.ts';

/**
 * Each offer makes the host's tab create a peer connection, so a member's offers to its host are limited on their own
 * (3 at once, then 1 a second), on a clock the test moves: nothing here waits for time to pass.
 */

const clock = { now: 3_000_000 };
const { pool } = useServerAndClients({ now: () => clock.now });
const { offerBurst, offerPatience, maxViolations } = signalingLimits;

type Joined = { client: WsClient; peerId: string };

const offer = (label: string) => ({ type: 'offer', sdp: label }) as const;
const candidate = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host' } } as const;

async function roomOfThree(): Promise<{ host: Joined; flooder: Joined; honest: Joined }> {
  const room = freshRoom('offers');
  const host = await pool.joined(room, 'Host');
  const flooder = await pool.joined(room, 'Flooder');
  const honest = await pool.joined(room, 'Honest');
  return { host, flooder, honest };
}

/** The offers `host` has received from `from`, by sdp; complete once a later candidate from `from` has arrived. */
async function offersFrom(host: Joined, from: Joined): Promise<string[]> {
  from.client.send({ type: 'signal', to: host.peerId, data: candidate });
  await host.client.next('signal', { where: (s) => s.from === from.peerId && s.data.type === 'candidate' });
  return host.client.received
    .map((frame) => JSON.parse(String(frame)) as { type: string; from?: string; data?: { type: string; sdp?: string } })
    .filter((m) => m.type === 'signal' && m.from === from.peerId && m.data?.type === 'offer')
    .map((m) => m.data?.sdp ?? '');
}

function tooManyOffers(client: WsClient): number {
  return client.received.filter((frame) => String(frame).includes('"ERR_TOO_MANY_OFFERS"')).length;
}

describe('offers from a member to its host', () => {
  it(`pass ${offerBurst} at once and refuse the rest with ERR_TOO_MANY_OFFERS, while another member still links`, async () => {
    const { host, flooder, honest } = await roomOfThree();
    for (let i = 0; i < 10; i++) flooder.client.send({ type: 'signal', to: host.peerId, data: offer(`flood ${i}`) });
    for (let i = 0; i < 10 - offerBurst; i++) await flooder.client.next('error', { where: (e) => e.code === 'ERR_TOO_MANY_OFFERS' });
    honest.client.send({ type: 'signal', to: host.peerId, data: offer('honest') });
    expect(await host.client.next('signal', { where: (s) => s.from === honest.peerId })).toMatchObject({ data: offer('honest') });
    host.client.send({ type: 'signal', to: honest.peerId, data: { type: 'answer', sdp: 'welcome' } });
    expect(await honest.client.next('signal')).toMatchObject({ from: host.peerId, data: { type: 'answer', sdp: 'welcome' } });
    expect(await offersFrom(host, flooder)).toEqual(['flood 0', 'flood 1', 'flood 2']);
    expect(tooManyOffers(honest.client)).toBe(0);
    expect(flooder.client.isOpen).toBe(true);
  });

  it('let one more through a second later', async () => {
    const { host, flooder } = await roomOfThree();
    for (let i = 0; i < offerBurst + 1; i++) flooder.client.send({ type: 'signal', to: host.peerId, data: offer(`first ${i}`) });
    await flooder.client.next('error', { where: (e) => e.code === 'ERR_TOO_MANY_OFFERS' });
    clock.now += 1000;
    flooder.client.send({ type: 'signal', to: host.peerId, data: offer('a second later') });
    expect(await host.client.next('signal', { where: (s) => s.data.type === 'offer' && s.data.sdp === 'a second later' })).toBeTruthy();
  });

  it('close a member that goes on offering with 4002, once its refusals pass the patience', async () => {
    const { host, flooder, honest } = await roomOfThree();
    // Past the burst, the first refusals are only answered; the 21st that counts closes the socket.
    const enough = offerBurst + offerPatience + maxViolations + 1;
    for (let i = 0; i < enough; i++) flooder.client.send({ type: 'signal', to: host.peerId, data: offer(`flood ${i}`) });
    expect(await flooder.client.closed()).toMatchObject({ code: 4002 });
    expect(tooManyOffers(flooder.client)).toBe(enough - offerBurst);
    honest.client.send({ type: 'signal', to: host.peerId, data: offer('honest') });
    expect(await host.client.next('signal', { where: (s) => s.from === honest.peerId })).toMatchObject({ data: offer('honest') });
  });

  it.each([
    ['handed the role over', (host: Joined) => host.client.send({ type: 'handover' })],
    ['left', (host: Joined) => host.client.terminate()],
  ])('never refuse the offer a member makes at once to a new host, after the old one %s', async (_how, demote) => {
    const { host, flooder: first, honest } = await roomOfThree();
    for (let i = 0; i < offerBurst + 1; i++) honest.client.send({ type: 'signal', to: host.peerId, data: offer(`old ${i}`) });
    await honest.client.next('error', { where: (e) => e.code === 'ERR_TOO_MANY_OFFERS' });
    demote(host);
    await honest.client.next('roster', { where: (r) => r.hostId === first.peerId });
    for (let i = 0; i < offerBurst; i++) honest.client.send({ type: 'signal', to: first.peerId, data: offer(`new ${i}`) });
    const seen = await offersFrom(first, honest);
    expect(seen).toEqual(['new 0', 'new 1', 'new 2']);
    expect(tooManyOffers(honest.client)).toBe(1);
  });

  it('leave answers and candidates alone: only offers are limited', async () => {
    const { host, honest } = await roomOfThree();
    for (let i = 0; i < 10; i++) host.client.send({ type: 'signal', to: honest.peerId, data: { type: 'answer', sdp: `answer ${i}` } });
    await honest.client.next('signal', { where: (s) => s.data.type === 'answer' && s.data.sdp === 'answer 9' });
    for (let i = 0; i < 10; i++) honest.client.send({ type: 'signal', to: host.peerId, data: candidate });
    for (let i = 0; i < 10; i++) await host.client.next('signal', { where: (s) => s.from === honest.peerId });
    expect(tooManyOffers(host.client) + tooManyOffers(honest.client)).toBe(0);
  });
});
