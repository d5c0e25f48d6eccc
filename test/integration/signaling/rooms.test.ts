import { describe, expect, it } from 'vitest';
import { MAX_ROOM_MEMBERS } from '../../../shared/limits.ts';
import { freshRoom, useServerAndClients } from '../../support/ws-client.ts';

// A full room comes from one address here: the per-address cap (50 by default) would refuse it before the room does.
const { pool } = useServerAndClients({ limits: { maxConnectionsPerIp: 2 * MAX_ROOM_MEMBERS } });

describe('joining a room', () => {
  it('welcomes the first member and announces it as the host', async () => {
    const room = freshRoom();
    const client = await pool.open();
    const { welcome, roster } = await client.join(room, '  Ann ');
    expect(welcome).toStrictEqual({
      type: 'welcome',
      v: 1,
      peerId: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      room,
      iceServers: [],
      resumeToken: expect.any(String),
      maxFileBytes: 1024 * 1024 * 1024,
    });
    expect(roster).toStrictEqual({ type: 'roster', hostId: welcome.peerId, members: [{ id: welcome.peerId, name: 'Ann' }] });
  });

  it('announces the second member to both, with the first as host', async () => {
    const room = freshRoom();
    const ann = await pool.joined(room, 'Ann');
    const bob = await pool.joined(room, 'Bob');
    const expected = {
      type: 'roster',
      hostId: ann.peerId,
      members: [
        { id: ann.peerId, name: 'Ann' },
        { id: bob.peerId, name: 'Bob' },
      ],
    };
    expect(await ann.client.next('roster', { where: (r) => r.members.length === 2 })).toStrictEqual(expected);
    expect(bob.roster).toStrictEqual(expected);
    expect(bob.peerId).not.toBe(ann.peerId);
  });

  it.each([['ann'], ['ANN'], ['Ａｎｎ'], [' Ann ']])(
    'refuses %j when Ann is there, and the socket can join under another name',
    async (taken) => {
      const room = freshRoom();
      const ann = await pool.joined(room, 'Ann');
      const other = await pool.open();
      other.send({ type: 'join', v: 1, room, name: taken });
      expect(await other.next('error')).toMatchObject({ code: 'ERR_NAME_TAKEN' });
      expect(other.isOpen).toBe(true);
      const { welcome, roster } = await other.join(room, 'Bob');
      expect(roster.members).toEqual([
        { id: ann.peerId, name: 'Ann' },
        { id: welcome.peerId, name: 'Bob' },
      ]);
    },
  );

  it('allows the same name in another room', async () => {
    await pool.joined(freshRoom(), 'Ann');
    const { client } = await pool.joined(freshRoom(), 'Ann');
    expect(client.isOpen).toBe(true);
  });

  it(`refuses member ${MAX_ROOM_MEMBERS + 1} with ERR_ROOM_FULL`, async () => {
    const room = freshRoom();
    for (let i = 0; i < MAX_ROOM_MEMBERS; i++) await pool.joined(room, `P${i}`);
    const late = await pool.open();
    late.send({ type: 'join', v: 1, room, name: 'Late' });
    expect(await late.next('error')).toMatchObject({ code: 'ERR_ROOM_FULL' });
    const elsewhere = await late.join(freshRoom(), 'Late');
    expect(elsewhere.roster.members).toHaveLength(1);
  });

  it('answers a burst of joins with a few rosters per turn, not one roster per join to every member', async () => {
    const room = freshRoom();
    const clients = await Promise.all(Array.from({ length: MAX_ROOM_MEMBERS }, () => pool.open()));
    clients.forEach((client, i) => client.send({ type: 'join', v: 1, room, name: `P${i}` }));
    await Promise.all(clients.map((client) => client.next('roster', { where: (r) => r.members.length === MAX_ROOM_MEMBERS })));
    const rosters = clients.flatMap((client) => client.received.filter((frame) => typeof frame === 'string' && frame.startsWith('{"type":"roster"')));
    // One roster per join to every member would be 1 + 2 + … + 100 = 5,050; the joins sent at once arrive within a
    // few turns of the server's event loop, each turn sending every member at most two rosters (and each newcomer its own).
    expect(rosters.length).toBeLessThanOrEqual(10 * MAX_ROOM_MEMBERS);
  });

  it('refuses a second join on the same socket with ERR_ALREADY_JOINED and keeps the first', async () => {
    const room = freshRoom();
    const ann = await pool.joined(room, 'Ann');
    ann.client.send({ type: 'join', v: 1, room: freshRoom(), name: 'Ann' });
    expect(await ann.client.next('error')).toMatchObject({ code: 'ERR_ALREADY_JOINED' });
    const bob = await pool.joined(room, 'Bob');
    const roster = await ann.client.next('roster', { where: (r) => r.members.length === 2 });
    expect(roster.members.map((m) => m.id)).toEqual([ann.peerId, bob.peerId]);
  });

  it('accepts only the first of two joins sent back to back', async () => {
    const client = await pool.open();
    client.send({ type: 'join', v: 1, room: freshRoom(), name: 'Ann' });
    client.send({ type: 'join', v: 1, room: freshRoom(), name: 'Ann' });
    expect(await client.next('error')).toMatchObject({ code: 'ERR_ALREADY_JOINED' });
    expect((await client.next('welcome')).type).toBe('welcome');
  });
});

describe('leaving a room', () => {
  it('closes the socket with 1000 after a leave and tells the others', async () => {
    const room = freshRoom();
    const ann = await pool.joined(room, 'Ann');
    const bob = await pool.joined(room, 'Bob');
    bob.client.send({ type: 'leave' });
    expect(await bob.client.closed()).toMatchObject({ code: 1000 });
    const roster = await ann.client.next('roster', { where: (r) => r.members.length === 1 });
    expect(roster).toStrictEqual({ type: 'roster', hostId: ann.peerId, members: [{ id: ann.peerId, name: 'Ann' }] });
  });

  it('makes the member present longest the host when the host disconnects', async () => {
    const room = freshRoom();
    const host = await pool.joined(room, 'Host');
    const ann = await pool.joined(room, 'Ann');
    const bob = await pool.joined(room, 'Bob');
    const cy = await pool.joined(room, 'Cy');
    ann.client.send({ type: 'leave' });
    await ann.client.closed();
    host.client.terminate();
    const expected = {
      type: 'roster',
      hostId: bob.peerId,
      members: [
        { id: bob.peerId, name: 'Bob' },
        { id: cy.peerId, name: 'Cy' },
      ],
    };
    const twoLeft = (r: { members: readonly unknown[] }): boolean => r.members.length === 2;
    expect(await bob.client.next('roster', { where: twoLeft })).toStrictEqual(expected);
    expect(await cy.client.next('roster', { where: twoLeft })).toStrictEqual(expected);
  });

  it('passes the host role on when the host leaves cleanly', async () => {
    const room = freshRoom();
    const host = await pool.joined(room, 'Host');
    const ann = await pool.joined(room, 'Ann');
    host.client.send({ type: 'leave' });
    const roster = await ann.client.next('roster', { where: (r) => r.members.length === 1 });
    expect(roster.hostId).toBe(ann.peerId);
  });

  it('forgets a disconnected member: the name is free again and the roster lists the newcomer', async () => {
    const room = freshRoom();
    const ann = await pool.joined(room, 'Ann');
    const bob = await pool.joined(room, 'Bob');
    bob.client.terminate();
    await ann.client.next('roster', { where: (r) => r.members.length === 1 });
    const again = await pool.joined(room, 'bob');
    const roster = await ann.client.next('roster', { where: (r) => r.members.length === 2 });
    expect(roster.members).toEqual([
      { id: ann.peerId, name: 'Ann' },
      { id: again.peerId, name: 'bob' },
    ]);
    expect(again.peerId).not.toBe(bob.peerId);
  });

  it('forgets an empty room: the next to join it is its host', async () => {
    const room = freshRoom();
    const ann = await pool.joined(room, 'Ann');
    ann.client.send({ type: 'leave' });
    await ann.client.closed();
    const next = await pool.open();
    const { welcome, roster } = await next.join(room, 'Ann');
    expect(roster).toStrictEqual({ type: 'roster', hostId: welcome.peerId, members: [{ id: welcome.peerId, name: 'Ann' }] });
  });

  it('lets the host hand its role to the member present longest', async () => {
    const room = freshRoom();
    const host = await pool.joined(room, 'Host');
    const ann = await pool.joined(room, 'Ann');
    const bob = await pool.joined(room, 'Bob');
    host.client.send({ type: 'handover' });
    const roster = await bob.client.next('roster', { where: (r) => r.hostId !== host.peerId });
    expect(roster.hostId).toBe(ann.peerId);
    expect(roster.members.map((m) => m.id)).toEqual([ann.peerId, bob.peerId, host.peerId]);
  });

  it('ignores a handover from a member who is not the host', async () => {
    const room = freshRoom();
    const host = await pool.joined(room, 'Host');
    const ann = await pool.joined(room, 'Ann');
    ann.client.send({ type: 'handover' });
    // A later join is announced; had the handover worked, that roster would name Ann as host.
    await pool.joined(room, 'Bob');
    const roster = await host.client.next('roster', { where: (r) => r.members.length === 3 });
    expect(roster.hostId).toBe(host.peerId);
  });
});

describe('room-scoped messages before a join', () => {
  it.each([
    ['signal', { type: 'signal', to: 'someone', data: { type: 'offer', sdp: 'v=0' } }],
    ['handover', { type: 'handover' }],
    ['host-unreachable', { type: 'host-unreachable' }],
  ])('refuses a %s with ERR_NOT_JOINED and keeps the socket usable', async (_type, message) => {
    const client = await pool.open();
    client.send(message);
    expect(await client.next('error')).toMatchObject({ code: 'ERR_NOT_JOINED' });
    const { roster } = await client.join(freshRoom(), 'Ann');
    expect(roster.members).toHaveLength(1);
  });

  it('closes the socket after a leave even before a join', async () => {
    const client = await pool.open();
    client.send({ type: 'leave' });
    expect(await client.closed()).toMatchObject({ code: 1000 });
  });
});
