import { afterEach, describe, expect, it } from 'vitest';
import type { RoomSession } from '../../../web/src/net/room-session.ts';
import { countText, hasText } from '../../support/honest-room.ts';
import { answerPings, HostileHost } from '../../support/hostile-peer.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { linesFrom, until } from '../../support/sessions.ts';

/**
 * The loss signatures end: an author whose message reached one member only, through a host that then went away, and
 * who left too. Unsigned, only the author could vouch for the message, so it died with the author's tab. Signed, the
 * member who has it hands it to the next host (`forward`), which checks the author's signature and relays it.
 */

const net = useNetFixture();
const hosts: HostileHost[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.leave();
});

describe('a message whose author left before most of the room got it', () => {
  it('reaches everyone once through the next host, under its author’s name', async () => {
    const pool = await net.start();
    // A host that relays Ann's chats to Cat only (a host that closed halfway through relaying would do the same).
    const mal = await HostileHost.join(net.server().wsUrl, 'leaves', 'Mal');
    hosts.push(mal);
    const [bob, ann, cat] = [await pool.join('leaves', 'Bob'), await pool.join('leaves', 'Ann'), await pool.join('leaves', 'Cat')] as [
      RoomSession,
      RoomSession,
      RoomSession,
    ];
    const idOf = (session: RoomSession): string => session.snapshot().selfId ?? '';
    await Promise.all([bob, ann, cat].map((person) => until(person, (s) => s.linkedToHost)));
    await Promise.all([bob, ann, cat].map((person) => mal.linked(idOf(person))));
    mal.onFrame((host, from, frame) => {
      answerPings(host, from, frame);
      const message = JSON.parse(frame) as Record<string, unknown>;
      if (message['type'] !== 'chat' || from !== idOf(ann)) return;
      host.send(idOf(cat), { ...message, name: 'Ann' });
      host.send(from, { type: 'ack', ids: [message['id']] });
    });

    ann.send('only Cat got this');
    await until(cat, hasText('only Cat got this'));
    await until(ann, (s) => s.timeline.some((e) => e.kind === 'chat' && e.own && e.status === 'delivered'));
    expect(countText(bob.snapshot(), 'only Cat got this')).toBe(0);

    // Ann leaves, then the host: Bob (present longest) hosts, and only Cat can hand him Ann's line.
    ann.leave();
    await until(bob, (s) => !s.roster.members.some((member) => member.name === 'Ann'));
    mal.leave();
    await until(bob, (s) => s.role === 'host');
    await until(cat, (s) => s.linkedToHost && s.roster.hostId === idOf(bob));

    for (const person of [bob, cat]) {
      await until(person, hasText('only Cat got this'));
      expect(linesFrom(person.snapshot(), 'Ann')).toEqual(['Ann: only Cat got this']);
    }
    // And a newcomer gets it from Bob's history, once.
    const dan = await pool.join('leaves', 'Dan');
    await until(dan, hasText('only Cat got this'));
    expect(linesFrom(dan.snapshot(), 'Ann')).toEqual(['Ann: only Cat got this']);
    for (const person of [bob, cat, dan]) expect(countText(person.snapshot(), 'only Cat got this')).toBe(1);
  });
});
