import { describe, expect, it } from 'vitest';
import { MAX_ROOM_MEMBERS } from '../../../shared/limits.ts';
import { defaultLiveness } from '../../../shared/liveness.ts';
import type { RoomSession, SessionSnapshot } from '../../../web/src/net/room-session.ts';
import type { ChildPeer } from '../../support/child-peer.ts';
import { MemoryNetwork } from '../../support/memory-link.ts';
import { mixedLinks } from '../../support/mixed-links.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { chatLines, linesFrom, until } from '../../support/sessions.ts';

/**
 * A full room of MAX_ROOM_MEMBERS through a real signaling server. What is real and what is not: the server, every
 * socket, roster, offer and answer are real, and so is the session code of every peer. The data channels of the
 * peers in this process are in-memory links (test/support/memory-link.ts); REAL_PEERS peers run in their own
 * processes over real WebRTC (node-datachannel), so the host serves both kinds at once. A hundred node-datachannel
 * links in one process stall on a 2-core machine, and each extra process costs about a second of start-up.
 */
const net = useNetFixture();

/** Peers in their own processes, over real WebRTC. */
const REAL_PEERS = 3;
const ROOM = 'hundred';

/** Chat ids each in-process peer received over its member links, and how often (the host's copies on the wire). */
type Received = Map<string, number>;

/** A joined in-process peer whose member links count the chat frames they bring in. */
async function joinCounting(name: string, network: MemoryNetwork, received: Map<string, Received>): Promise<RoomSession> {
  const counts: Received = new Map();
  received.set(name, counts);
  const links = mixedLinks(network);
  const pool = net.pool(defaultLiveness, {
    createLink: (options) => {
      const link = links(options);
      if (options.initiator) {
        link.on('message', (raw) => {
          const frame = JSON.parse(raw) as { type?: string; id?: string };
          if (frame.type === 'chat' && frame.id) counts.set(frame.id, (counts.get(frame.id) ?? 0) + 1);
        });
      }
      return link;
    },
  });
  return pool.join(ROOM, name);
}

function send(session: RoomSession, text: string): void {
  const sent = session.send(text);
  if (!sent.ok) throw new Error(`${text}: ${sent.error.code}`);
}

/** Every line a child peer has shown, as "name: text", in the order it showed them. */
function childLines(events: readonly Record<string, unknown>[]): string[] {
  return events.filter((event) => event['event'] === 'chat').map((event) => `${String(event['name'])}: ${String(event['text'])}`);
}

/** The lines of each sender, in the order they must appear: `sender: prefix1 … prefixN`. */
const stream = (name: string, prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${name}: ${prefix}${i + 1}`);

describe(`a room of ${MAX_ROOM_MEMBERS}`, () => {
  it('links 99 who join at once, gives each the history, relays everything exactly once in order, refuses the 101st, and loses nothing when the host changes', async () => {
    await net.start({ limits: { maxConnectionsPerIp: 2 * MAX_ROOM_MEMBERS } });
    const network = new MemoryNetwork();
    const received = new Map<string, Received>();

    // The host writes some history first; Ann joins next, so that she hosts after Hana.
    const hana = await joinCounting('Hana', network, received);
    for (let i = 1; i <= 3; i++) send(hana, `h${i}`);
    const ann = await joinCounting('Ann', network, received);

    // The other 98 join at once: REAL_PEERS in their own processes, the rest here.
    const real: ChildPeer[] = Array.from({ length: REAL_PEERS }, (_, i) => net.spawn(ROOM, `Rtc${i}`, 'default'));
    const local = MAX_ROOM_MEMBERS - 2 - REAL_PEERS;
    const others = await Promise.all(Array.from({ length: local }, (_, i) => joinCounting(`P${i}`, network, received)));
    const members = [ann, ...others];
    const history = stream('Hana', 'h', 3);
    const hasAll = (lines: readonly string[]) => (s: SessionSnapshot) => {
      const shown = new Set(chatLines(s));
      return lines.every((line) => shown.has(line));
    };
    await Promise.all(members.map((member) => until(member, (s) => s.linkedToHost && hasAll(history)(s), 40_000)));
    await Promise.all(real.map((peer) => peer.until((events) => history.every((line) => childLines(events).includes(line)), 40_000)));
    expect(hana.snapshot().roster.members).toHaveLength(MAX_ROOM_MEMBERS);

    // Number 101 is refused, and nobody else notices.
    await expect(net.pool(defaultLiveness, { createLink: mixedLinks(network) }).join(ROOM, 'Late')).rejects.toMatchObject({ code: 'ERR_ROOM_FULL' });

    // Chat: the host, members here and members over real WebRTC, two messages each.
    const talkers: [RoomSession, string][] = [[hana, 'Hana'], [ann, 'Ann'], [others[0]!, 'P0'], [others[40]!, 'P40'], [others.at(-1)!, `P${local - 1}`]];
    for (const [session, name] of talkers) for (let i = 1; i <= 2; i++) send(session, `${name.toLowerCase()}-${i}`);
    for (const [i, peer] of real.slice(0, 2).entries()) for (let n = 1; n <= 2; n++) peer.say(`rtc${i}-${n}`);
    const chat = [
      ...talkers.flatMap(([, name]) => stream(name, `${name.toLowerCase()}-`, 2)),
      ...real.slice(0, 2).flatMap((_, i) => stream(`Rtc${i}`, `rtc${i}-`, 2)),
    ];
    await Promise.all(members.map((member) => until(member, hasAll(chat), 40_000)));
    await Promise.all(real.map((peer) => peer.until((events) => chat.every((line) => childLines(events).includes(line)), 40_000)));
    // On the wire: the host sent each member every message of the others exactly once (history included).
    const everyId = new Set([...received.values()].flatMap((counts) => [...counts.keys()]));
    for (const [name, counts] of received) {
      if (name === 'Hana') continue;
      const own = new Set(chatIds(members.find((m) => m.snapshot().name === name)!, name));
      for (const id of everyId) if (!own.has(id)) expect([name, counts.get(id)]).toEqual([name, 1]);
    }

    // The host leaves while people are writing: Ann hosts, 98 re-link to her at once, and nothing is lost.
    hana.leave();
    const during: [RoomSession, string][] = [[others[1]!, 'P1'], [others[50]!, 'P50'], [others.at(-2)!, `P${local - 2}`]];
    for (const [session, name] of during) for (let i = 1; i <= 2; i++) send(session, `${name.toLowerCase()}+${i}`);
    real[2]!.say('rtc2+1');
    const afterChange = [...during.flatMap(([, name]) => stream(name, `${name.toLowerCase()}+`, 2)), 'Rtc2: rtc2+1'];
    const everything = [...history, ...chat, ...afterChange];
    await Promise.all(members.map((member) => until(member, (s) => s.linkedToHost && hasAll(everything)(s), 40_000)));
    await Promise.all(real.map((peer) => peer.until((events) => everything.every((line) => childLines(events).includes(line)), 40_000)));

    // Everyone has everything exactly once, in each sender's order.
    const senders = [...new Set(everything.map((line) => line.slice(0, line.indexOf(':'))))];
    for (const member of members) {
      const snapshot = member.snapshot();
      expect(snapshot.roster.hostId).toBe(ann.snapshot().selfId);
      for (const sender of senders) {
        expect([snapshot.name, linesFrom(snapshot, sender)]).toEqual([snapshot.name, everything.filter((l) => l.startsWith(`${sender}: `))]);
      }
    }
    for (const peer of real) {
      const lines = childLines(await peer.until(() => true));
      for (const sender of senders) expect(lines.filter((l) => l.startsWith(`${sender}: `))).toEqual(everything.filter((l) => l.startsWith(`${sender}: `)));
    }
  }, 120_000);
});

/** Ids of the chat lines `name` wrote, as its own timeline holds them. */
function chatIds(session: RoomSession, name: string): string[] {
  return session.snapshot().timeline.flatMap((entry) => (entry.kind === 'chat' && entry.message.name === name ? [entry.message.id] : []));
}
