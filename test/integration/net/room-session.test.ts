import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RoomSession, type SessionSnapshot } from '../../../web/src/net/room-session.ts';
import { nodeSessionDeps } from '../../support/node-webrtc.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

let server: TestServer;
const sessions: RoomSession[] = [];

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  for (const session of sessions.splice(0)) session.leave();
  await server.close();
});

function open(room: string, name: string): RoomSession {
  const session = new RoomSession({ url: server.wsUrl, room, name }, nodeSessionDeps());
  sessions.push(session);
  return session;
}

function until(session: RoomSession, predicate: (snapshot: SessionSnapshot) => boolean, timeoutMs = 10_000): Promise<SessionSnapshot> {
  return new Promise((resolve, reject) => {
    const now = session.snapshot();
    if (predicate(now)) return resolve(now);
    const timer = setTimeout(() => {
      off();
      reject(new Error(`condition not met; last snapshot: ${JSON.stringify(session.snapshot()).slice(0, 500)}`));
    }, timeoutMs);
    const off = session.on('change', (snapshot) => {
      if (!predicate(snapshot)) return;
      clearTimeout(timer);
      off();
      resolve(snapshot);
    });
  });
}

const texts = (snapshot: SessionSnapshot): string[] =>
  snapshot.timeline.flatMap((entry) => (entry.kind === 'chat' ? [`${entry.message.name}: ${entry.message.body.text}`] : []));

describe('room session over real WebRTC (Node peers)', () => {
  it('relays through the host to every member, acknowledges, and keeps per-sender order', async () => {
    const host = open('r1', 'Hana');
    await host.join();
    const ann = open('r1', 'Ann');
    const bob = open('r1', 'Bob');
    await Promise.all([ann.join(), bob.join()]);
    await until(ann, (s) => s.linkedToHost);
    await until(bob, (s) => s.linkedToHost);
    expect(host.snapshot().role).toBe('host');
    expect(ann.snapshot().role).toBe('member');

    for (let i = 1; i <= 5; i++) {
      expect(ann.send(`a${i}`).ok).toBe(true);
      expect(bob.send(`b${i}`).ok).toBe(true);
      expect(host.send(`h${i}`).ok).toBe(true);
    }
    const all = (s: SessionSnapshot): boolean => texts(s).length === 15;
    const snapshots = await Promise.all([until(host, all), until(ann, all), until(bob, all)]);
    for (const snapshot of snapshots) {
      const lines = texts(snapshot);
      expect(new Set(lines).size).toBe(15);
      for (const [name, prefix] of [['Ann', 'a'], ['Bob', 'b'], ['Hana', 'h']] as const) {
        expect(lines.filter((line) => line.startsWith(name))).toEqual([1, 2, 3, 4, 5].map((i) => `${name}: ${prefix}${i}`));
      }
    }
    const annDone = await until(ann, (s) => s.timeline.every((e) => e.kind !== 'chat' || !e.own || e.status === 'delivered'));
    expect(annDone.timeline.filter((e) => e.kind === 'chat' && e.own)).toHaveLength(5);
  });

  it('refuses a taken name with the server reason', async () => {
    await open('r2', 'Zoe').join();
    await expect(open('r2', 'zoe').join()).rejects.toMatchObject({ code: 'ERR_NAME_TAKEN' });
  });

  it('gives a late joiner the history', async () => {
    const host = open('r3', 'Hana');
    await host.join();
    for (let i = 1; i <= 3; i++) host.send(`m${i}`);
    const late = open('r3', 'Late');
    await late.join();
    const snapshot = await until(late, (s) => texts(s).length === 3);
    expect(texts(snapshot)).toEqual(['Hana: m1', 'Hana: m2', 'Hana: m3']);
  });
});
