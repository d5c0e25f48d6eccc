import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TIMESTAMP, REORDER_WINDOW_MS } from '../../../shared/limits.ts';
import { messageKey } from '../../../shared/protocol/envelope.ts';
import { shownTime, TIMELINE_CAPACITY } from '../../../shared/timeline.ts';
import type { RoomSession, SessionSnapshot } from '../../../web/src/net/room-session.ts';
import { countText, expectNoLineAboveOlderHistory, expectRoomWorks, hasText } from '../../support/honest-room.ts';
import { answerPings, HostileHost, PeerIdentity } from '../../support/hostile-peer.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { signedInBatches } from '../../support/signed-chat.ts';
import { fastLiveness, linesFrom, type SessionPool, until } from '../../support/sessions.ts';

/**
 * A hostile host over real data channels: forged authors and names, relayed messages altered, stripped of their
 * signature or replayed, fake acknowledgements and syncs, more history than a timeline holds, times out of range,
 * back-dated lines. Messages are signed, so what a host cannot do is show anyone a line its author did not write as
 * theirs: receivers refuse it and warn. What must hold besides is that nothing it sends breaks a member, and that once
 * it leaves and an honest member hosts, the room works again with nothing lost that members wrote.
 */

const net = useNetFixture();
const hostiles: HostileHost[] = [];
/** How far the honest people's clocks are ahead of the real one (one case moves it past the re-order window). */
let skewMs = 0;
afterEach(() => {
  for (const hostile of hostiles.splice(0)) hostile.leave();
  skewMs = 0;
});

// Silence is not what these tests are about, and a clock moved ahead must not make links look dead.
const liveness = { ...fastLiveness, silenceTimeoutMs: 60_000 };

interface Room {
  readonly label: string;
  readonly pool: SessionPool;
  readonly mal: HostileHost;
  /** The honest people, Ann (present longest: the next host) first. */
  readonly people: RoomSession[];
  readonly ann: RoomSession;
  readonly bob: RoomSession;
  /**
   * A chat as a host delivers it, valid unless `fields` make it otherwise. Signed by Mal when `from` is Mal or an
   * honest person (whose key Mal does not have: a forgery), else by a made-up author of that peer id.
   */
  chat(from: string, text: string, fields?: Record<string, unknown>): Record<string, unknown>;
  /** Sends a chat from a made-up author after everything sent so far, and waits until every honest person shows it. */
  marker(text: string): Promise<void>;
  /** Sends a frame to every honest person. */
  sendAll(frame: object | string): void;
  /** A person's peer id. */
  idOf(session: RoomSession): string;
}

let rooms = 0;

async function openRoom(): Promise<Room> {
  rooms += 1;
  const label = `hh${rooms}`;
  await net.start();
  const pool = net.pool(liveness, { now: () => Date.now() + skewMs });
  const mal = await HostileHost.join(net.server().wsUrl, label, 'Mal');
  hostiles.push(mal);
  const people = [await pool.join(label, 'Ann'), await pool.join(label, 'Bob')];
  const idOf = (session: RoomSession): string => session.snapshot().selfId ?? '';
  await Promise.all(people.map((person) => until(person, (s) => s.linkedToHost)));
  await Promise.all(people.map((person) => mal.linked(idOf(person))));
  const [ann, bob] = people as [RoomSession, RoomSession];
  const ghosts = new Map<string, PeerIdentity>();
  const ghostOf = (from: string): PeerIdentity => {
    const ghost = ghosts.get(from) ?? new PeerIdentity(from, label);
    ghosts.set(from, ghost);
    return ghost;
  };
  let markers = 0;
  const room: Room = {
    label,
    pool,
    mal,
    people,
    ann,
    bob,
    idOf,
    chat: (from, text, fields = {}) => {
      const honest = from === mal.peerId || people.some((person) => idOf(person) === from);
      const signer = honest ? mal.identity : ghostOf(from);
      return signer.sign({ v: 1, type: 'chat', id: randomUUID(), from, name: 'Mal', seq: 1, ts: Date.now(), body: { text }, ...fields });
    },
    sendAll(frame) {
      for (const person of room.people) if (!mal.send(idOf(person), frame)) throw new Error(`no link to ${person.snapshot().name}`);
    },
    async marker(text) {
      markers += 1;
      room.sendAll(room.chat('ghost-of-markers', text, { seq: markers, name: 'Marker' }));
      await Promise.all(room.people.map((person) => until(person, hasText(text))));
    },
  };
  // History before the attack: a line of the host's own.
  room.sendAll(room.chat(mal.peerId, 'welcome', { seq: 5 }));
  await Promise.all(people.map((person) => until(person, hasText('welcome'))));
  return room;
}

/** The person was told that a message failed its check. */
function expectForgeryWarning(snapshot: SessionSnapshot): void {
  const warnings = snapshot.timeline.filter((e) => e.kind === 'system' && (e.note.kind === 'forged' || e.note.kind === 'unreadable'));
  expect(warnings.length, `${snapshot.name}'s warnings`).toBeGreaterThan(0);
}

/** A person's own line with this text: its delivery status. */
function statusOf(snapshot: SessionSnapshot, text: string): string | undefined {
  const entry = snapshot.timeline.find((e) => e.kind === 'chat' && e.own && e.text === text);
  return entry?.kind === 'chat' ? entry.status : undefined;
}

interface Case {
  readonly name: string;
  /** The attack, while Mal hosts; resolves once the members have handled it. */
  attack(room: Room): Promise<void>;
  /** Checks once Mal has left and Ann hosts. */
  after?(room: Room): void | Promise<void>;
}

const cases: Case[] = [
  {
    name: 'forged authors and names',
    async attack(room) {
      const { ann, bob, mal } = room;
      const [annId, bobId] = [room.idOf(ann), room.idOf(bob)];
      // Mal cannot sign as Bob or Ann: these carry Mal's key under their peer ids.
      room.sendAll(room.chat(bobId, 'said Bob, named Ann', { name: 'Ann', seq: 40 }));
      room.sendAll(room.chat(annId, 'said Ann', { seq: 40 }));
      mal.send(annId, room.chat(mal.peerId, 'a forged name', { name: 'Bob', seq: 6 }));
      await room.marker('after the forgeries');
      for (const person of room.people) {
        const snapshot = person.snapshot();
        expect(countText(snapshot, 'said Bob, named Ann') + countText(snapshot, 'said Ann')).toBe(0);
        expect(linesFrom(snapshot, 'Bob')).toEqual([]);
        expectForgeryWarning(snapshot);
      }
      // Signed by Mal: shown under the name Mal's key has, whatever name the host put on it.
      expect(linesFrom(ann.snapshot(), 'Mal')).toEqual(['Mal: welcome', 'Mal: a forged name']);
      expect(linesFrom(bob.snapshot(), 'Mal')).toEqual(['Mal: welcome']);
    },
    after(room) {
      for (const person of room.people) expect(countText(person.snapshot(), 'said Ann')).toBe(0);
    },
  },
  {
    name: "a relayed message altered, stripped of its signature, or replayed under another seq",
    async attack(room) {
      const { ann, bob, mal } = room;
      const annId = room.idOf(ann);
      // Mal relays Bob's messages to Ann, tampered with as each text asks; Bob's own line comes back to no one.
      mal.onFrame((host, from, frame) => {
        answerPings(host, from, frame);
        const message = JSON.parse(frame) as Record<string, unknown> & { type: string; body: { text: string } };
        if (message.type !== 'chat') return;
        const delivered = { ...message, name: 'Bob' };
        const text = message.body.text;
        if (text === 'original') host.send(annId, { ...delivered, body: { text: 'altered' } });
        if (text === 'unsigned') host.send(annId, Object.fromEntries(Object.entries(delivered).filter(([key]) => key !== 'sig')));
        if (text === 'replayed') {
          host.send(annId, delivered);
          host.send(annId, delivered);
          host.send(annId, { ...delivered, seq: Number(message['seq']) + 100, id: randomUUID() });
        }
        host.send(from, { type: 'ack', ids: [message['id']] });
      });
      for (const text of ['original', 'unsigned', 'replayed']) bob.send(text);
      await mal.until(() => mal.receivedOfType(room.idOf(bob), 'chat').length >= 3, "Bob's three lines");
      await room.marker('after the tampering');
      const snapshot = ann.snapshot();
      // The one untouched copy shows once; everything altered is refused, and Ann is told.
      expect(linesFrom(snapshot, 'Bob')).toEqual(['Bob: replayed']);
      expect(countText(snapshot, 'altered') + countText(snapshot, 'original') + countText(snapshot, 'unsigned')).toBe(0);
      expectForgeryWarning(snapshot);
      mal.onFrame(answerPings);
    },
    async after(room) {
      // Bob re-sends his recent lines that the honest host lacks: what Mal tampered with arrives as Bob wrote it, once.
      for (const person of room.people) {
        await until(person, (s) => hasText('original')(s) && hasText('unsigned')(s));
        for (const text of ['original', 'unsigned', 'replayed']) expect(countText(person.snapshot(), text), text).toBe(1);
        expect(countText(person.snapshot(), 'altered')).toBe(0);
      }
    },
  },
  {
    name: 'fake acknowledgements and a sync claiming every message',
    async attack(room) {
      const cat = await room.pool.join(room.label, 'Cat');
      await until(cat, (s) => s.linkedToHost);
      await room.mal.linked(room.idOf(cat));
      room.people.push(cat);
      // Mal swallows every message, acknowledges it and says it holds it: the outbox empties.
      room.mal.onFrame((host, from, frame) => {
        answerPings(host, from, frame);
        const message = JSON.parse(frame) as { type: string; id: string; from: string; have?: string[] };
        if (message.type === 'sync') host.send(from, { type: 'sync', have: message.have ?? [] });
        if (message.type !== 'chat') return;
        host.send(from, { type: 'ack', ids: [message.id] });
        host.send(from, { type: 'sync', have: [messageKey(message)] });
      });
      room.bob.send('swallowed');
      room.ann.send('also swallowed');
      await until(room.bob, (s) => statusOf(s, 'swallowed') === 'delivered');
      await until(room.ann, (s) => statusOf(s, 'also swallowed') === 'delivered');
      expect(countText(room.ann.snapshot(), 'swallowed')).toBe(0);
      expect(countText(cat.snapshot(), 'swallowed') + countText(cat.snapshot(), 'also swallowed')).toBe(0);
    },
    async after(room) {
      // Bob re-sent his own recent line to the next host, which lacked it: everyone has both lines, once.
      for (const person of room.people) {
        await until(person, (s) => hasText('swallowed')(s) && hasText('also swallowed')(s));
        expect(countText(person.snapshot(), 'swallowed'), person.snapshot().name).toBe(1);
        expect(countText(person.snapshot(), 'also swallowed'), person.snapshot().name).toBe(1);
      }
    },
  },
  {
    name: 'more history than a timeline holds, then a flood past the budget',
    async attack(room) {
      const { ann, mal } = room;
      const annId = room.idOf(ann);
      const total = TIMELINE_CAPACITY + 100;
      const history = await signedInBatches(total, (i) => room.chat('ghost-of-history', `old ${i + 1}`, { seq: i + 1 }));
      for (const frame of history) mal.send(annId, frame);
      // Over a thousand signatures to check, on a machine that may be running other tests: time enough for that.
      const full = await until(ann, hasText(`old ${total}`), 30_000);
      expect(full.timeline.length).toBeLessThanOrEqual(TIMELINE_CAPACITY);
      const olds = linesFrom(full, 'Mal').filter((line) => line.startsWith('Mal: old '));
      expect(olds.at(-1)).toBe(`Mal: old ${total}`);
      expect(olds.map((line) => Number(line.slice('Mal: old '.length)))).toEqual([...olds.keys()].map((i) => total - olds.length + 1 + i));
      // Far past the budget: refused, dropped, perhaps cut. A marker goes with every pong until it gets through.
      const flood = await signedInBatches(3000, (i) => room.chat('ghost-of-floods', `flood ${i}`, { seq: i + 1 }));
      for (let i = 0; i < flood.length && mal.send(annId, flood[i]!); i++);
      const marker = room.chat('ghost-of-floods', 'after the flood', { seq: 1_000_000 });
      mal.onFrame((host, from, frame) => {
        answerPings(host, from, frame);
        if (from === annId) host.send(from, marker);
      });
      const after = await until(ann, (s) => !s.linkedToHost || hasText('after the flood')(s), 30_000);
      expect(after.timeline.length).toBeLessThanOrEqual(TIMELINE_CAPACITY);
      expect(after.phase).toBe('connected');
    },
  },
  {
    name: 'times out of range',
    async attack(room) {
      const from = room.mal.peerId;
      room.sendAll(room.chat(from, 'too late', { ts: MAX_TIMESTAMP + 1, seq: 6 }));
      room.sendAll(room.chat(from, 'too early', { ts: -1e15, seq: 7 }));
      room.sendAll(room.chat(from, 'the last valid time', { ts: MAX_TIMESTAMP, seq: 8 }));
      room.sendAll(room.chat(from, 'in 1970', { ts: 0, seq: 9 }));
      await room.marker('after the times');
      for (const person of room.people) {
        const snapshot = person.snapshot();
        expect(linesFrom(snapshot, 'Mal')).toEqual(['Mal: welcome', 'Mal: the last valid time', 'Mal: in 1970']);
        const last = snapshot.timeline.find((e) => e.kind === 'chat' && e.text === 'the last valid time');
        expect(last?.kind === 'chat' && shownTime(last)).toBe(last?.kind === 'chat' && last.receivedAt);
      }
    },
  },
  {
    name: 'a back-dated line long after history, and a reused seq',
    async attack(room) {
      const from = room.mal.peerId;
      // Ends the history phase: chats a host sends before its `sync` are history and keep the host's order.
      room.sendAll({ type: 'sync', have: [] });
      room.sendAll(room.chat(from, 'recent', { seq: 20 }));
      room.sendAll(room.chat(from, 'seq of recent', { seq: 20 }));
      room.sendAll(room.chat(from, 'back-dated but recent', { seq: 10 }));
      await room.marker('before the clock moves');
      // Within the window a late line goes before its author's later one (a re-send after a host change)...
      const within = ['Mal: welcome', 'Mal: back-dated but recent', 'Mal: recent'];
      for (const person of room.people) expect(linesFrom(person.snapshot(), 'Mal')).toEqual(within);
      // ...past it, below everything: "welcome" and "recent" are history now.
      skewMs = REORDER_WINDOW_MS + 10_000;
      room.sendAll(room.chat(from, 'back-dated', { seq: 2 }));
      await room.marker('after back-dating');
      for (const person of room.people) expect(linesFrom(person.snapshot(), 'Mal')).toEqual([...within, 'Mal: back-dated']);
    },
  },
  {
    name: 'acknowledgements of nothing, syncs of unknown messages, rejects and garbage',
    async attack(room) {
      room.sendAll({ type: 'ack', ids: Array.from({ length: 200 }, (_, i) => `unknown-${i}-xxxx`) });
      room.sendAll({ type: 'sync', have: Array.from({ length: 200 }, (_, i) => `nobody/unknown-${i}-xxxx`) });
      room.sendAll({ type: 'sync', have: [] });
      room.sendAll({ type: 'reject', code: 'ERR_ANYTHING', message: 'x'.repeat(200) });
      for (const garbage of ['not json', '{}', 'null', '{"type":"ack","ids":[]}', 'y'.repeat(40_000), '{"type":"pong","ts":-1}']) {
        room.sendAll(garbage);
      }
      room.sendAll({ v: 1, type: 'chat', id: randomUUID(), from: room.mal.peerId, seq: 30, ts: 1, body: { text: 'no name' } });
      await room.marker('after the garbage');
      for (const person of room.people) expect(countText(person.snapshot(), 'no name')).toBe(0);
    },
  },
];

describe('a hostile host over real data channels', () => {
  it.each(cases)('$name: no member breaks, and the room works once an honest member hosts', async (hostileCase) => {
    const room = await openRoom();
    await hostileCase.attack(room);
    for (const person of room.people) expectNoLineAboveOlderHistory(person.snapshot());
    room.mal.leave();
    await expectRoomWorks(room.pool, room.label, room.people, room.label);
    await hostileCase.after?.(room);
    for (const person of room.people) {
      expectNoLineAboveOlderHistory(person.snapshot());
      expect(person.snapshot().phase).toBe('connected');
    }
  }, 90_000);
});
