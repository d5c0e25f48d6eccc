import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionSnapshot } from '../../../web/src/net/room-session.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { chatLines, linesFrom, SessionPool, until } from '../../support/sessions.ts';

let server: TestServer;
let pool: SessionPool;

beforeEach(async () => {
  server = await startTestServer();
  pool = new SessionPool(() => server.wsUrl);
});

afterEach(async () => {
  pool.leaveAll();
  await server.close();
});

describe('room session over real WebRTC (Node peers)', () => {
  it('relays through the host to every member, acknowledges, and keeps per-sender order', async () => {
    const host = await pool.join('r1', 'Hana');
    const [ann, bob] = await Promise.all([pool.join('r1', 'Ann'), pool.join('r1', 'Bob')]);
    await until(ann, (s) => s.linkedToHost);
    await until(bob, (s) => s.linkedToHost);
    expect(host.snapshot().role).toBe('host');
    expect(ann.snapshot().role).toBe('member');

    for (let i = 1; i <= 5; i++) {
      expect(ann.send(`a${i}`).ok).toBe(true);
      expect(bob.send(`b${i}`).ok).toBe(true);
      expect(host.send(`h${i}`).ok).toBe(true);
    }
    const all = (s: SessionSnapshot): boolean => chatLines(s).length === 15;
    const snapshots = await Promise.all([until(host, all), until(ann, all), until(bob, all)]);
    for (const snapshot of snapshots) {
      expect(new Set(chatLines(snapshot)).size).toBe(15);
      for (const [name, prefix] of [['Ann', 'a'], ['Bob', 'b'], ['Hana', 'h']] as const) {
        expect(linesFrom(snapshot, name)).toEqual([1, 2, 3, 4, 5].map((i) => `${name}: ${prefix}${i}`));
      }
    }
    const annDone = await until(ann, (s) => s.timeline.every((e) => e.kind !== 'chat' || !e.own || e.status === 'delivered'));
    expect(annDone.timeline.filter((e) => e.kind === 'chat' && e.own)).toHaveLength(5);
  });

  it('refuses a taken name with the server reason', async () => {
    await pool.join('r2', 'Zoe');
    await expect(pool.join('r2', 'zoe')).rejects.toMatchObject({ code: 'ERR_NAME_TAKEN' });
  });

  it('gives a late joiner the history, once', async () => {
    const host = await pool.join('r3', 'Hana');
    for (let i = 1; i <= 3; i++) host.send(`m${i}`);
    const late = await pool.join('r3', 'Late');
    const snapshot = await until(late, (s) => chatLines(s).length === 3);
    expect(chatLines(snapshot)).toEqual(['Hana: m1', 'Hana: m2', 'Hana: m3']);
    late.send('hi');
    await until(late, (s) => chatLines(s).length === 4);
    expect(chatLines(late.snapshot())).toEqual(['Hana: m1', 'Hana: m2', 'Hana: m3', 'Late: hi']);
  });

  it('shows a message as pending while no host can take it, then delivers it when one links', async () => {
    const host = await pool.join('r4', 'Hana');
    const ann = await pool.join('r4', 'Ann');
    await until(ann, (s) => s.linkedToHost);
    host.leave();
    // Ann is now alone and hosts; before the roster says so, her message waits in the outbox.
    const sent = ann.send('while alone');
    expect(sent.ok).toBe(true);
    await until(ann, (s) => s.role === 'host');
    const bob = await pool.join('r4', 'Bob');
    const seen = await until(bob, (s) => chatLines(s).includes('Ann: while alone'));
    expect(chatLines(seen).filter((line) => line === 'Ann: while alone')).toHaveLength(1);
  });
});
