import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { defaultHostWatch, defaultLiveness } from '../../../shared/liveness.ts';
import type { RoomSession } from '../../../web/src/net/room-session.ts';
import type { WebSocketLike } from '../../../web/src/net/signaling-client.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { chatLines, linesFrom, until } from '../../support/sessions.ts';

const net = useNetFixture();

/** Every host id the session's rosters name from now on. */
function hostsSeen(session: RoomSession): Set<string | null> {
  const seen = new Set([session.snapshot().roster.hostId]);
  session.on('change', (snapshot) => seen.add(snapshot.roster.hostId));
  return seen;
}

/** Hosts the server dropped for not answering its pings. */
async function silentHostsCut(): Promise<number> {
  const text = await net.server().server.metrics.render();
  return Number(/chatus_connections_cut_total\{reason="host_silent"\} (\d+)/.exec(text)?.[1] ?? 0);
}

/**
 * A `ws` socket whose page stops hearing the server's `ping` (as a page whose JavaScript hangs), while the socket
 * itself still answers WebSocket pings, as a browser's network stack does for a hung page.
 */
function deafToPings(url: string): WebSocketLike {
  const socket = new WebSocket(url);
  const setter = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')!.set!;
  Object.defineProperty(socket, 'onmessage', {
    set(handler: ((event: { data: unknown }) => void) | null) {
      setter.call(socket, handler && ((event: { data: unknown }) => event.data !== '{"type":"ping"}' && handler(event)));
    },
  });
  return socket as unknown as WebSocketLike;
}

/** The most the default host watch lets a dead host stay, and a generous allowance for electing and re-linking. */
const dropBoundMs = (defaultHostWatch.maxMissedPings + 1) * defaultHostWatch.pingIntervalMs;
const relinkAllowanceMs = 3000;

describe('a host that stops answering', () => {
  it('keeps a host whose event loop is blocked for 2 s, and loses nothing sent meanwhile', async () => {
    await net.start();
    const pool = net.pool(defaultLiveness);
    const host = net.spawn('l1', 'Hana', 'default');
    await host.next((e) => e.event === 'role' && e.role === 'host');
    const [ann, bob] = [await pool.join('l1', 'Ann'), await pool.join('l1', 'Bob')];
    await Promise.all([ann, bob].map((s) => until(s, (x) => x.linkedToHost)));
    const hosts = hostsSeen(ann);

    host.block(2000);
    await host.next((e) => e.event === 'busy');
    for (let i = 1; i <= 5; i++) {
      ann.send(`a${i}`);
      bob.send(`b${i}`);
    }
    await host.next((e) => e.event === 'idle');
    ann.send('a6');
    const atBob = await until(bob, (s) => linesFrom(s, 'Ann').length === 6);
    const atAnn = await until(ann, (s) => linesFrom(s, 'Bob').length === 5);
    expect(linesFrom(atBob, 'Ann')).toEqual(['Ann: a1', 'Ann: a2', 'Ann: a3', 'Ann: a4', 'Ann: a5', 'Ann: a6']);
    expect(linesFrom(atAnn, 'Bob')).toEqual(['Bob: b1', 'Bob: b2', 'Bob: b3', 'Bob: b4', 'Bob: b5']);
    expect([...hosts]).toEqual([atBob.roster.hostId]);
    expect(atBob.roster.members.map((m) => m.name)).toEqual(['Hana', 'Ann', 'Bob']);
    expect(await silentHostsCut()).toBe(0);
  });

  it('replaces a frozen host (SIGSTOP) within the watch bound, and chat flows again', async () => {
    // A long heartbeat and members with the default timings: only the host watch can find the frozen host that soon.
    await net.start({ heartbeatMs: 60_000 });
    const pool = net.pool(defaultLiveness);
    const host = net.spawn('l2', 'Hana', 'default');
    await host.next((e) => e.event === 'role' && e.role === 'host');
    const [ann, bob, cat] = [await pool.join('l2', 'Ann'), await pool.join('l2', 'Bob'), await pool.join('l2', 'Cat')];
    await Promise.all([ann, bob, cat].map((s) => until(s, (x) => x.linkedToHost)));

    const frozenAt = Date.now();
    host.freeze();
    bob.send('are you there?');
    await until(ann, (s) => s.role === 'host', 20_000);
    const replacedAfter = Date.now() - frozenAt;
    const seen = await until(cat, (s) => chatLines(s).includes('Bob: are you there?'), 20_000);
    expect(seen.roster.members.map((m) => m.name)).toEqual(['Ann', 'Bob', 'Cat']);
    expect(replacedAfter).toBeLessThan(dropBoundMs + relinkAllowanceMs);
    expect(await silentHostsCut()).toBe(1);
  });

  it('replaces a host whose page stops answering pings although its socket answers WebSocket pings', async () => {
    // The heartbeat pings every socket often: the deaf host's socket answers it, and that must not keep it.
    await net.start({ heartbeatMs: 250 });
    const deaf = net.pool(defaultLiveness, { createSocket: deafToPings });
    const pool = net.pool(defaultLiveness);
    const hana = await deaf.join('l3', 'Hana');
    const [ann, bob] = [await pool.join('l3', 'Ann'), await pool.join('l3', 'Bob')];
    await Promise.all([ann, bob].map((s) => until(s, (x) => x.linkedToHost)));

    const after = await until(ann, (s) => s.role === 'host', 20_000);
    expect(after.roster.members.map((m) => m.name).slice(0, 2)).toEqual(['Ann', 'Bob']);
    expect(await silentHostsCut()).toBeGreaterThanOrEqual(1);
    // Its page still runs: it comes back as a member of the new host, and chat flows.
    await until(hana, (s) => s.role === 'member' && s.linkedToHost, 20_000);
    await until(bob, (s) => s.linkedToHost && s.roster.hostId === after.selfId, 20_000);
    bob.send('hello again');
    await until(hana, (s) => chatLines(s).includes('Bob: hello again'));
  });
});
