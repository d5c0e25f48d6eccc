import { afterEach, describe, expect, it } from 'vitest';
import type { RoomSession, SessionSnapshot } from '../../../web/src/net/room-session.ts';
import { hasText } from '../../support/honest-room.ts';
import { answerPings, HostileHost, type HostileHostHandler } from '../../support/hostile-peer.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { until } from '../../support/sessions.ts';

/**
 * A hostile host and direct messages: it can neither change a DM in transit nor hand it to someone else, nor pass off
 * a DM of its own that does not open. Each time the receiver shows nothing of it and is warned.
 */

const net = useNetFixture();
const hostiles: HostileHost[] = [];
afterEach(() => {
  for (const hostile of hostiles.splice(0)) hostile.leave();
});

const warned = (snapshot: SessionSnapshot): boolean => snapshot.timeline.some((entry) => entry.kind === 'system' && (entry.note.kind === 'forged' || entry.note.kind === 'unreadable' || entry.note.kind === 'refused'));
const showsPrivate = (snapshot: SessionSnapshot): boolean => snapshot.timeline.some((entry) => entry.kind === 'chat' && entry.direct !== undefined);
const idOf = (session: RoomSession): string => session.snapshot().selfId ?? '';
type Frame = Record<string, unknown> & { type: string; body: Record<string, unknown> & { sealed: { nonce: string; ciphertext: string } } };

/** One base64url character changed. */
const flip = (text: string): string => `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`;

interface Case {
  readonly name: string;
  /** What Mal does with Ann's DM to Bob (signed by Ann), given who is who; returns the person who should be warned. */
  tamper(mal: HostileHost, dm: Frame, ids: { bob: string; cat: string; catKey: string }): 'bob' | 'cat';
}

const cases: Case[] = [
  {
    name: 'alters its ciphertext',
    tamper(mal, dm, { bob }) {
      mal.send(bob, { ...dm, name: 'Ann', body: { ...dm.body, sealed: { ...dm.body.sealed, ciphertext: flip(dm.body.sealed.ciphertext) } } });
      return 'bob';
    },
  },
  {
    name: 're-addresses it to another member (the routing peer id)',
    tamper(mal, dm, { cat }) {
      mal.send(cat, { ...dm, name: 'Ann', body: { ...dm.body, to: cat } });
      return 'cat';
    },
  },
  {
    name: "re-addresses it to another member's key",
    tamper(mal, dm, { cat, catKey }) {
      mal.send(cat, { ...dm, name: 'Ann', body: { ...dm.body, to: cat, recipient: catKey } });
      return 'cat';
    },
  },
];

let rooms = 0;

describe('a hostile host and direct messages', () => {
  it.each(cases)('a host that $name is caught: nothing shown, the person warned', async ({ tamper }) => {
    rooms += 1;
    const label = `hd${rooms}`;
    await net.start();
    const mal = await HostileHost.join(net.server().wsUrl, label, 'Mal');
    hostiles.push(mal);
    const pool = net.pool();
    const [ann, bob, cat] = [await pool.join(label, 'Ann'), await pool.join(label, 'Bob'), await pool.join(label, 'Cat')];
    await Promise.all([ann, bob, cat].map((s) => until(s, (x) => x.linkedToHost)));
    await Promise.all([ann, bob, cat].map((s) => mal.linked(idOf(s))));
    const catKey = cat.snapshot().identity;
    let target: 'bob' | 'cat' | null = null;
    const handler: HostileHostHandler = (host, from, raw) => {
      answerPings(host, from, raw);
      const frame = JSON.parse(raw) as Frame;
      if (frame.type !== 'chat') return;
      target = tamper(host, frame, { bob: idOf(bob), cat: idOf(cat), catKey });
      host.send(from, { type: 'ack', ids: [frame['id']] });
    };
    mal.onFrame(handler);
    const sent = ann.privateMessage(idOf(bob), 'for Bob only');
    expect(sent.ok).toBe(true);
    await until(ann, (s) => s.timeline.some((e) => e.kind === 'chat' && e.own && e.status === 'delivered'));
    const victim = target === 'cat' ? cat : bob;
    const seen = await until(victim, warned);
    expect(showsPrivate(seen)).toBe(false);
    expect(hasText('for Bob only')(seen)).toBe(false);
    for (const person of [bob, cat]) expect(hasText('for Bob only')(person.snapshot())).toBe(false);
  });

  it("refuses a DM the host wrote itself that does not open (signed, but sealed with no one's key)", async () => {
    await net.start();
    const mal = await HostileHost.join(net.server().wsUrl, 'hd-own', 'Mal');
    hostiles.push(mal);
    const bob = await net.pool().join('hd-own', 'Bob');
    await until(bob, (s) => s.linkedToHost);
    await mal.linked(idOf(bob));
    const body = { to: idOf(bob), recipient: bob.snapshot().identity, sealed: { nonce: 'A'.repeat(32), ciphertext: `${'B'.repeat(42)}A` } };
    mal.send(idOf(bob), mal.identity.sign({ v: 1, type: 'chat', id: 'mal-direct-1', from: mal.peerId, name: 'Mal', seq: 1, ts: Date.now(), body }));
    const seen = await until(bob, warned);
    expect(seen.timeline.filter((entry) => entry.kind === 'chat')).toEqual([]);
    expect(seen.timeline.some((entry) => entry.kind === 'system' && entry.note.kind === 'unreadable')).toBe(true);
  });
});
