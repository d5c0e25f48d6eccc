import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../support/memory-link.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { chatLines, fastLiveness, linesFrom, SessionPool, until } from '../../support/sessions.ts';

/**
 * The room session's logic (roles, re-linking, failures, hand-over) over in-memory links and a real signaling
 * server: no WebRTC, so each case takes milliseconds and runs the same way every time.
 */
let server: TestServer;
let network: MemoryNetwork;
let pool: SessionPool;

beforeEach(async () => {
  server = await startTestServer();
  network = new MemoryNetwork();
  pool = new SessionPool(() => server.wsUrl, fastLiveness, { createLink: network.createLink });
});

afterEach(async () => {
  pool.leaveAll();
  await server.close();
});

describe('room session logic over in-memory links', () => {
  it('relays among three people, each line once and in order', async () => {
    const host = await pool.join('m1', 'Hana');
    const [ann, bob] = await Promise.all([pool.join('m1', 'Ann'), pool.join('m1', 'Bob')]);
    await Promise.all([until(ann, (s) => s.linkedToHost), until(bob, (s) => s.linkedToHost)]);
    for (let i = 1; i <= 3; i++) for (const [who, session] of [['a', ann], ['b', bob], ['h', host]] as const) session.send(`${who}${i}`);
    const all = await Promise.all([host, ann, bob].map((s) => until(s, (snap) => chatLines(snap).length === 9)));
    for (const snapshot of all) expect(linesFrom(snapshot, 'Ann')).toEqual(['Ann: a1', 'Ann: a2', 'Ann: a3']);
  });

  it('keeps re-linking when links cannot be made, tells the person after a few failures, and recovers', async () => {
    await pool.join('m2', 'Hana');
    network.failNext(5);
    const ann = await pool.join('m2', 'Ann');
    const told = await until(ann, (s) => s.error?.code === 'ERR_LINK_FAILED');
    // What failed, in the link's own words: the page says the rest (still trying; reload if it goes on).
    expect(told.error?.detail).toMatch(/^ERR_/);
    const linked = await until(ann, (s) => s.linkedToHost && s.error === null);
    expect(linked.role).toBe('member');
  });

  it('a host that cannot make links says so and hands its role on', async () => {
    let hostCanLink = true;
    const hostPool = new SessionPool(() => server.wsUrl, fastLiveness, {
      createLink: (options) => {
        if (!hostCanLink) throw new Error('Cannot create so many PeerConnections');
        return network.createLink(options);
      },
    });
    try {
      const host = await hostPool.join('m3', 'Hana');
      const ann = await pool.join('m3', 'Ann');
      await until(ann, (s) => s.linkedToHost);
      hostCanLink = false;
      const bob = await pool.join('m3', 'Bob');
      const said = await until(host, (s) => s.error?.code === 'ERR_NO_LINKS');
      expect(said.error?.detail).toMatch(/PeerConnections/);
      const hanaId = host.snapshot().selfId;
      const linked = await until(bob, (s) => s.linkedToHost && s.roster.hostId !== hanaId);
      expect(linked.roster.hostId).toBe(ann.snapshot().selfId);
    } finally {
      hostPool.leaveAll();
    }
  });

  it('settles a pending join when the person leaves first', async () => {
    const ann = pool.open('m4', 'Ann');
    const joining = ann.join();
    ann.leave();
    await expect(joining).rejects.toMatchObject({ code: 'ERR_LEFT' });
  });

  it("shows a host's refusal, then clears it", async () => {
    const host = await pool.join('m5', 'Hana');
    const ann = await pool.join('m5', 'Ann');
    await until(ann, (s) => s.linkedToHost);
    const hostEnd = network.links.find((link) => !link.initiator && link.isOpen)!;
    hostEnd.send(JSON.stringify({ type: 'reject', code: 'ERR_RATE_LIMITED', message: 'slow down' }));
    await until(ann, (s) => s.error?.code === 'ERR_HOST_REFUSED' && s.error.detail === 'ERR_RATE_LIMITED: slow down');
    await until(ann, (s) => s.error === null, fastLiveness.noticeMs * 4);
    expect(host.snapshot().role).toBe('host');
  });

  it('hands the host role over again each time a worn-out tab gets it back', async () => {
    const worn = new SessionPool(() => server.wsUrl, { ...fastLiveness, peerConnectionBudget: 1 }, { createLink: network.createLink });
    try {
      const hana = await worn.join('m6', 'Hana');
      const ann = await pool.join('m6', 'Ann');
      await until(ann, (s) => s.role === 'host');
      const bob = await pool.join('m6', 'Bob');
      await until(bob, (s) => s.linkedToHost);
      // Ann leaves: the server elects the member present longest, Hana, whose tab is still worn out.
      ann.leave();
      await until(bob, (s) => s.roster.hostId === bob.snapshot().selfId, 10_000);
      await until(hana, (s) => s.role === 'member' && s.linkedToHost);
    } finally {
      worn.leaveAll();
    }
  });

  it('a host change loses nothing (the host leaves with messages in flight)', async () => {
    const host = await pool.join('m7', 'Hana');
    const [ann, bob] = await Promise.all([pool.join('m7', 'Ann'), pool.join('m7', 'Bob')]);
    await Promise.all([until(ann, (s) => s.linkedToHost), until(bob, (s) => s.linkedToHost)]);
    for (let i = 1; i <= 10; i++) {
      ann.send(`a${i}`);
      if (i === 5) host.leave();
    }
    const seen = await until(bob, (s) => linesFrom(s, 'Ann').length === 10, 10_000);
    expect(linesFrom(seen, 'Ann')).toEqual(Array.from({ length: 10 }, (_, i) => `Ann: a${i + 1}`));
  });
});
