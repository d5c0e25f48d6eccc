import { describe, expect, it } from 'vitest';
import { freshRoom, useServerAndClients, type WsClient } from '../../support/ws-client.ts';

// Fast settings, so that dropping takes a fraction of a second; the WebSocket heartbeat runs often too, and every
// `ws` client answers its pings by itself, as a browser does for a page whose JavaScript hangs.
const watch = { pingIntervalMs: 100, maxMissedPings: 3 };
const { pool } = useServerAndClients({ hostWatch: watch, heartbeatMs: 200 });

/** Opens a socket that joins `room` as `name`, saying that it answers pings; returns it and its peer id. */
async function joinAnswering(room: string, name: string): Promise<{ client: WsClient; peerId: string }> {
  const client = await pool.open();
  client.send({ type: 'join', v: 1, room, name, answersPing: true });
  const welcome = await client.next('welcome');
  await client.next('roster');
  return { client, peerId: welcome.peerId };
}

/** Answers the next `count` pings the client gets, each at once, as the page's code does. */
async function answerPings(client: WsClient, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await client.next('ping');
    client.send({ type: 'pong' });
  }
}

const pingsIn = (client: WsClient): number => client.received.filter((frame) => String(frame) === '{"type":"ping"}').length;

describe('the server watches hosts whose pages answer pings', () => {
  it('pings a host that has members, and keeps it while its page answers', async () => {
    const room = freshRoom('watch');
    const host = await joinAnswering(room, 'Hana');
    const ann = await joinAnswering(room, 'Ann');
    // Many times the drop limit, counted in pings rather than waited for in time.
    await answerPings(host.client, watch.maxMissedPings * 5);
    expect(host.client.isOpen).toBe(true);
    expect(pingsIn(ann.client)).toBe(0);
  });

  it('drops a host whose page stops answering, though its socket answers every WebSocket ping, and elects the next', async () => {
    const room = freshRoom('watch');
    const host = await joinAnswering(room, 'Hana');
    const ann = await joinAnswering(room, 'Ann');
    const roster = await ann.client.next('roster', { where: (r) => r.hostId === ann.peerId, timeoutMs: 10_000 });
    expect(roster.members.map((m) => m.name)).toEqual(['Ann']);
    const closed = await host.client.closed();
    expect(closed.code).toBe(1006);
    expect(pingsIn(host.client)).toBeGreaterThanOrEqual(watch.maxMissedPings);
  });

  it('counts any frame from the page as an answer', async () => {
    const room = freshRoom('watch');
    const host = await joinAnswering(room, 'Hana');
    const ann = await joinAnswering(room, 'Ann');
    // The host never sends `pong`, but it signals its member on every ping.
    for (let i = 0; i < watch.maxMissedPings * 5; i++) {
      await host.client.next('ping');
      host.client.send({ type: 'signal', to: ann.peerId, data: { type: 'candidate', candidate: { candidate: `candidate:${i}` } } });
    }
    expect(host.client.isOpen).toBe(true);
  });

  it('pings no lone host, and no host that did not say it answers (a page loaded before pings existed)', async () => {
    const lone = await joinAnswering(freshRoom('watch'), 'Lone');
    const oldRoom = freshRoom('watch');
    const old = await pool.joined(oldRoom, 'Old');
    await pool.joined(oldRoom, 'Member');
    // A watched host in the same server as the yardstick of time: it gets pinged meanwhile.
    const yardRoom = freshRoom('watch');
    const yard = await joinAnswering(yardRoom, 'Yard');
    await joinAnswering(yardRoom, 'Other');
    await answerPings(yard.client, watch.maxMissedPings * 3);
    expect(pingsIn(lone.client)).toBe(0);
    expect(pingsIn(old.client)).toBe(0);
    expect(old.client.isOpen).toBe(true);
  });

  it('stops pinging a host that hands its role on', async () => {
    const room = freshRoom('watch');
    const host = await joinAnswering(room, 'Hana');
    const ann = await joinAnswering(room, 'Ann');
    await answerPings(host.client, 2);
    host.client.send({ type: 'handover' });
    await host.client.next('roster', { where: (r) => r.hostId === ann.peerId });
    const pingsAsHost = pingsIn(host.client);
    await answerPings(ann.client, watch.maxMissedPings * 3);
    // At most a ping already on its way when the role moved.
    expect(pingsIn(host.client)).toBeLessThanOrEqual(pingsAsHost + 1);
    expect(host.client.isOpen).toBe(true);
  });

  it('takes a pong from anyone at any time without an error (before a join, from a member)', async () => {
    const early = await pool.open();
    early.send({ type: 'pong' });
    const room = freshRoom('watch');
    const { roster } = await early.join(room, 'Early');
    expect(roster.members).toHaveLength(1);
    const member = await joinAnswering(room, 'Member');
    member.client.send({ type: 'pong' });
    early.send({ type: 'leave' });
    await member.client.next('roster', { where: (r) => r.hostId === member.peerId });
    expect(early.received.concat(member.client.received).filter((frame) => String(frame).includes('"error"'))).toEqual([]);
  });
});
