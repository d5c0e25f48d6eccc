import { afterEach, describe, expect, it } from 'vitest';
import type { RosterEntry } from '../../../shared/protocol/server-message.ts';
import type { RoomAccess } from '../../../signaling/private-rooms.ts';
import { InMemoryRoomRegistry, type RoomRegistry } from '../../../signaling/rooms.ts';
import { freshRoom, useServerAndClients, type WsClient } from '../../support/ws-client.ts';

/**
 * A room registry that fails (a shared store that is down or slow) is a fault a real server cannot be made to show, so
 * a test double stands in: the in-memory registry, with faults switched on per room and method.
 */
type Fault = 'reject' | 'hang' | 'write-then-reject';
type Method = 'join' | 'leave' | 'handOver' | 'roster' | 'access';

class FaultyRegistry implements RoomRegistry {
  readonly #inner = new InMemoryRoomRegistry({ maxMembers: 32 });
  readonly #faults = new Map<string, Fault>();
  #held: (() => void)[] = [];

  /** From now on, `method` on `roomId` fails this way. */
  fail(roomId: string, method: Method, fault: Fault): void {
    this.#faults.set(`${roomId} ${method}`, fault);
  }

  /** Clears every fault and lets hung calls go on. */
  heal(): void {
    this.#faults.clear();
    for (const release of this.#held.splice(0)) release();
  }

  join(roomId: string, entry: RosterEntry, access?: RoomAccess) {
    return this.#call(roomId, 'join', () => this.#inner.join(roomId, entry, access));
  }

  access(roomId: string) {
    return this.#call(roomId, 'access', () => this.#inner.access(roomId));
  }

  leave(roomId: string, peerId: string) {
    return this.#call(roomId, 'leave', () => this.#inner.leave(roomId, peerId));
  }

  handOver(roomId: string, peerId: string) {
    return this.#call(roomId, 'handOver', () => this.#inner.handOver(roomId, peerId));
  }

  roster(roomId: string) {
    return this.#call(roomId, 'roster', () => this.#inner.roster(roomId));
  }

  roomCount(): Promise<number> {
    return this.#inner.roomCount();
  }

  async #call<T>(roomId: string, method: Method, run: () => Promise<T>): Promise<T> {
    switch (this.#faults.get(`${roomId} ${method}`)) {
      case 'reject':
        throw new Error(`registry down (${method})`);
      case 'hang':
        await new Promise<void>((resolve) => this.#held.push(resolve));
        return run();
      case 'write-then-reject':
        await run();
        throw new Error(`registry timed out after writing (${method})`);
      default:
        return run();
    }
  }
}

const registry = new FaultyRegistry();
const joinTimeoutMs = 1000;
const { pool } = useServerAndClients({ registry, limits: { joinTimeoutMs } });
afterEach(() => registry.heal());

/** Opens a socket and sends a join into `room` that the registry fails with `fault`. */
async function joinFailing(room: string, fault: Fault): Promise<WsClient> {
  registry.fail(room, 'join', fault);
  const client = await pool.open();
  client.send({ type: 'join', v: 1, room, name: 'Ann' });
  return client;
}

const candidate = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host' } } as const;

describe('a failing room registry', () => {
  it('answers a join it refuses with ERR_UNAVAILABLE; other rooms are served, and the socket joins once it is back', async () => {
    const room = freshRoom('down');
    const client = await joinFailing(room, 'reject');
    expect(await client.next('error')).toMatchObject({ code: 'ERR_UNAVAILABLE' });
    expect(client.isOpen).toBe(true);
    const other = await pool.joined(freshRoom('up'), 'Bob');
    expect(other.roster.members).toHaveLength(1);
    registry.heal();
    const { roster } = await client.join(room, 'Ann');
    expect(roster.members.map((m) => m.name)).toEqual(['Ann']);
  });

  it('closes a socket that does not retry a failed join at the join deadline (4003)', async () => {
    const room = freshRoom('down');
    const client = await joinFailing(room, 'reject');
    expect(await client.next('error')).toMatchObject({ code: 'ERR_UNAVAILABLE' });
    expect(await client.closed(joinTimeoutMs + 4000)).toMatchObject({ code: 4003 });
  });

  it('closes a socket whose join never finishes at the join deadline, and undoes the join when the registry wakes', async () => {
    const room = freshRoom('slow');
    const client = await joinFailing(room, 'hang');
    expect(await client.closed(joinTimeoutMs + 4000)).toMatchObject({ code: 4003 });
    registry.heal();
    const next = await pool.joined(room, 'Ann');
    expect(next.roster).toMatchObject({ hostId: next.peerId, members: [{ id: next.peerId, name: 'Ann' }] });
  });

  it('leaves no ghost when the registry wrote the member but reported a failure', async () => {
    const room = freshRoom('ghost');
    const client = await joinFailing(room, 'write-then-reject');
    expect(await client.next('error')).toMatchObject({ code: 'ERR_UNAVAILABLE' });
    registry.heal();
    const next = await pool.joined(room, 'Bob');
    expect(next.roster.members).toEqual([{ id: next.peerId, name: 'Bob' }]);
  });

  it('answers signals it cannot route with ERR_UNAVAILABLE, not as violations, and routes them once it is back', async () => {
    const room = freshRoom('route');
    const host = await pool.joined(room, 'Host');
    const member = await pool.joined(room, 'Member');
    registry.fail(room, 'roster', 'reject');
    for (let i = 0; i < 25; i++) member.client.send({ type: 'signal', to: host.peerId, data: candidate });
    for (let i = 0; i < 25; i++) expect(await member.client.next('error')).toMatchObject({ code: 'ERR_UNAVAILABLE' });
    registry.heal();
    member.client.send({ type: 'signal', to: host.peerId, data: candidate });
    expect(await host.client.next('signal')).toStrictEqual({ type: 'signal', from: member.peerId, data: candidate });
    expect(member.client.isOpen).toBe(true);
  });

  it.each([
    ['handover', 'handOver'],
    ['host-unreachable', 'roster'],
  ] as const)('answers a %s it fails with ERR_UNAVAILABLE', async (type, method) => {
    const room = freshRoom('ops');
    const host = await pool.joined(room, 'Host');
    const member = await pool.joined(room, 'Member');
    registry.fail(room, method, 'reject');
    const sender = type === 'handover' ? host : member;
    sender.client.send({ type });
    expect(await sender.client.next('error')).toMatchObject({ code: 'ERR_UNAVAILABLE' });
  });

  it('still closes a socket with 1000 after a leave the registry fails', async () => {
    const room = freshRoom('leave');
    await pool.joined(room, 'Host');
    const member = await pool.joined(room, 'Member');
    registry.fail(room, 'leave', 'reject');
    member.client.send({ type: 'leave' });
    expect(await member.client.closed()).toMatchObject({ code: 1000 });
  });
});
