import { describe, expect, it } from 'vitest';
import type { RoomSession, SessionSnapshot } from '../../../web/src/net/room-session.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { chatLines, linesFrom, until } from '../../support/sessions.ts';

const net = useNetFixture();
const setup = net.start;

/** Sends `count` messages from `session`, one every `everyMs`, calling `onSent(i)` after each. */
async function stream(session: RoomSession, prefix: string, count: number, everyMs: number, onSent?: (i: number) => void): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const sent = session.send(`${prefix}${i}`);
    if (!sent.ok) throw new Error(`send ${prefix}${i} failed: ${sent.error.code}`);
    onSent?.(i);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

const expected = (name: string, prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${name}: ${prefix}${i + 1}`);

/** Every survivor has every streamed message exactly once and in each sender's order. */
async function expectComplete(survivors: RoomSession[], senders: [string, string][], count: number): Promise<void> {
  const total = senders.length * count;
  const has = (s: SessionSnapshot): boolean => senders.every(([name]) => linesFrom(s, name).length >= count);
  for (const survivor of survivors) {
    const snapshot = await until(survivor, has, 20_000);
    for (const [name, prefix] of senders) expect(linesFrom(snapshot, name)).toEqual(expected(name, prefix, count));
    const streamed = chatLines(snapshot).filter((line) => senders.some(([name]) => line.startsWith(`${name}: `)));
    expect(streamed).toHaveLength(total);
  }
}

describe('the room survives its host', () => {
  it('migrates on a clean host close mid-stream and loses nothing', async () => {
    const peers = await setup();
    const host = await peers.join('m1', 'Hana');
    const ann = await peers.join('m1', 'Ann');
    const bob = await peers.join('m1', 'Bob');
    const cat = await peers.join('m1', 'Cat');
    await Promise.all([ann, bob, cat].map((s) => until(s, (x) => x.linkedToHost)));

    await Promise.all([
      stream(ann, 'a', 40, 10, (i) => i === 15 && host.leave()),
      stream(bob, 'b', 40, 10),
    ]);
    await expectComplete([ann, bob, cat], [['Ann', 'a'], ['Bob', 'b']], 40);
    const annId = ann.snapshot().selfId;
    for (const survivor of [ann, bob, cat]) expect(survivor.snapshot().roster.hostId).toBe(annId);
    await until(ann, (s) => s.timeline.every((e) => e.kind !== 'chat' || !e.own || e.status === 'delivered'));
  });

  it('migrates when the host freezes without closing anything (crash, lost network)', async () => {
    // A long heartbeat proves that the server's host watch finds the dead host, not the heartbeat.
    const peers = await setup({ heartbeatMs: 60_000 });
    const host = net.spawn('m2', 'Hana');
    await host.next((e) => e.event === 'role' && e.role === 'host');
    const ann = await peers.join('m2', 'Ann');
    const bob = await peers.join('m2', 'Bob');
    const cat = await peers.join('m2', 'Cat');
    await Promise.all([ann, bob, cat].map((s) => until(s, (x) => x.linkedToHost)));

    await Promise.all([
      stream(ann, 'a', 60, 25, (i) => i === 10 && host.freeze()),
      stream(bob, 'b', 60, 25),
    ]);
    await expectComplete([ann, bob, cat], [['Ann', 'a'], ['Bob', 'b']], 60);
    expect(ann.snapshot().role).toBe('host');
    expect(cat.snapshot().roster.members.map((m) => m.name)).toEqual(['Ann', 'Bob', 'Cat']);
  });

  it('survives two migrations in a row', async () => {
    const peers = await setup();
    const host = await peers.join('m3', 'Hana');
    const ann = await peers.join('m3', 'Ann');
    const bob = await peers.join('m3', 'Bob');
    const cat = await peers.join('m3', 'Cat');
    await Promise.all([ann, bob, cat].map((s) => until(s, (x) => x.linkedToHost)));

    await Promise.all([
      stream(bob, 'b', 40, 10, (i) => {
        if (i === 10) host.leave();
        if (i === 25) ann.leave();
      }),
      stream(cat, 'c', 40, 10),
    ]);
    await expectComplete([bob, cat], [['Bob', 'b'], ['Cat', 'c']], 40);
    expect(bob.snapshot().role).toBe('host');
  });

  it('rejoins as the same people after the signaling server restarts, and chat goes on', async () => {
    const secret = 'a-test-secret-of-enough-length';
    const peers = await setup({ resumeSecret: secret });
    const port = net.server().port;
    const host = await peers.join('m4', 'Hana');
    const ann = await peers.join('m4', 'Ann');
    await until(ann, (s) => s.linkedToHost);
    const ids = [host.snapshot().selfId, ann.snapshot().selfId];

    await net.server().close();
    await until(ann, (s) => s.phase === 'reconnecting');
    ann.send('during the outage');
    await net.restart({ port, resumeSecret: secret });

    for (const session of [host, ann]) await until(session, (s) => s.phase === 'connected' && s.roster.members.length === 2);
    expect([host.snapshot().selfId, ann.snapshot().selfId]).toEqual(ids);
    const linked = await until(ann, (s) => s.linkedToHost || s.role === 'host');
    expect(linked.phase).toBe('connected');
    host.send('after the restart');
    for (const session of [host, ann]) {
      const snapshot = await until(session, (s) => chatLines(s).length === 2);
      expect(chatLines(snapshot).sort()).toEqual(['Ann: during the outage', 'Hana: after the restart']);
    }
  });

  it('comes back as a successor id when the restarted server cannot resume, without losing pending messages', async () => {
    const peers = await setup();
    const port = net.server().port;
    const host = await peers.join('m5', 'Hana');
    const ann = await peers.join('m5', 'Ann');
    await until(ann, (s) => s.linkedToHost);
    const oldId = ann.snapshot().selfId;

    await net.server().close();
    await until(ann, (s) => s.phase === 'reconnecting');
    await net.restart({ port });
    await until(ann, (s) => s.phase === 'connected' && s.roster.members.length === 2);
    expect(ann.snapshot().selfId).not.toBe(oldId);
    ann.send('from the successor');
    const seen = await until(host, (s) => chatLines(s).includes('Ann: from the successor'));
    expect(chatLines(seen)).toEqual(['Ann: from the successor']);
  });
});
