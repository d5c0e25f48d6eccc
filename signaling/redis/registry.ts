import type { Redis, Result as RedisResult } from 'ioredis';
import type { RosterEntry } from '../../shared/protocol/server-message.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { addMember, emptyRoster, handOver, hasMember, removeMember } from '../../shared/roster.ts';
import type { LocalSeat } from '../cluster-link.ts';
import { accessError, openRoom, type RoomAccess } from '../private-rooms.ts';
import type { JoinError, RoomRegistry, RoomView } from '../rooms.ts';
import { seatMember, type RedisKeys } from './keys.ts';
import { decodeRoom, encodeRoom, viewOf, type StoredRoom } from './stored-room.ts';

/**
 * Compare and set: writes a room only if it still holds what the caller read, and keeps the room index and the seat
 * sets in step in the same atomic step. KEYS: room, room index, seat set to add to, seat set to remove from. ARGV:
 * value read ('' = no room), value to write ('' = delete the room), room lifetime in ms, now in ms, room id, seat to
 * add ('' = none), seat to remove ('' = none). Returns 1 when written, 0 when someone else changed the room first.
 */
const compareAndSet = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[5])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('ZADD', KEYS[2], tonumber(ARGV[4]) + tonumber(ARGV[3]), ARGV[5])
end
if ARGV[6] ~= '' then
  redis.call('SADD', KEYS[3], ARGV[6])
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
if ARGV[7] ~= '' then redis.call('SREM', KEYS[4], ARGV[7]) end
return 1
`;

/** Attempts at one change before giving up: each failed attempt means another node changed the room meanwhile. */
const MAX_ATTEMPTS = 64;

/** A change to make: the room after it (no members: delete), and the seat it adds to or takes from a node's set. */
interface Change {
  readonly next: StoredRoom;
  readonly seat: string;
  readonly addTo?: string | undefined;
  readonly removeFrom?: string | undefined;
}

/** A plan's verdict on the room it was shown: change it, leave it (answer null), or refuse. */
type Plan<E> = (room: StoredRoom | null) => Result<Change | null, E>;

/** What the Redis registry needs. */
export interface RedisRoomRegistryOptions {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  /** This node: members who join here are recorded as held by it. */
  readonly nodeId: string;
  readonly maxMembers: number;
  /** Lifetime of a room key; renewed by every change and by each node holding members (node-presence.ts). */
  readonly roomTtlMs: number;
  /** Times each round trip (a read, or one attempt at a change). */
  readonly observe?: ((seconds: number) => void) | undefined;
}

/**
 * Rooms in Redis, shared by every node pointed at it. Each change reads the room, applies the same pure roster
 * functions as the in-memory registry (shared/roster.ts: names compared after NFKC, which Lua cannot do), and writes
 * the result with a compare-and-set script; when another node changed the room in between, it reads again and
 * re-decides. So two nodes never elect two hosts, never admit one name twice, and never fill a room past its cap.
 */
export class RedisRoomRegistry implements RoomRegistry {
  readonly #options: RedisRoomRegistryOptions;

  constructor(options: RedisRoomRegistryOptions) {
    this.#options = options;
    options.redis.defineCommand('chatusCompareAndSet', { numberOfKeys: 4, lua: compareAndSet });
  }

  async join(roomId: string, entry: RosterEntry, access: RoomAccess = openRoom): Promise<Result<RoomView, JoinError>> {
    const result = await this.#change<JoinError>(roomId, (room) => this.#seatHere(roomId, room, entry, access));
    // A join always changes the room when it is not refused.
    return result.ok ? ok(result.value!) : result;
  }

  async access(roomId: string): Promise<RoomAccess | null> {
    return (await this.#read(roomId))?.access ?? null;
  }

  async leave(roomId: string, peerId: string): Promise<RoomView | null> {
    return this.#remove(roomId, peerId, null);
  }

  async handOver(roomId: string, peerId: string): Promise<RoomView | null> {
    return this.#settle(roomId, (room) => {
      if (!room || room.roster.hostId !== peerId) return ok(null);
      const roster = handOver(room.roster);
      if (roster === room.roster) return ok(null);
      return ok({ next: { ...room, version: room.version + 1, roster }, seat: '' });
    });
  }

  async roster(roomId: string): Promise<RoomView | null> {
    const room = await this.#read(roomId);
    return room ? viewOf(room) : null;
  }

  /** Rooms with members across every node (those whose keys have not expired). */
  async roomCount(): Promise<number> {
    return this.#options.redis.zcount(this.#options.keys.rooms, Date.now(), '+inf');
  }

  /** Records `peerId`'s seat as held by this node (it resumed here); null when it is no longer in the room. */
  async claim(roomId: string, peerId: string): Promise<RoomView | null> {
    const { nodeId } = this.#options;
    return this.#settle(roomId, (room) => {
      const from = room?.nodes.get(peerId);
      if (!room || from === undefined) return ok(null);
      if (from === nodeId) return ok({ next: room, seat: '' });
      const nodes = new Map(room.nodes).set(peerId, nodeId);
      return ok({ next: { ...room, version: room.version + 1, nodes }, seat: seatMember(roomId, peerId), addTo: nodeId, removeFrom: from });
    }, true);
  }

  /** Takes `peerId` out if its seat is still on `node`; the new room, or null when nothing changed. */
  async evict(roomId: string, peerId: string, node: string): Promise<RoomView | null> {
    return this.#remove(roomId, peerId, node);
  }

  /**
   * Puts a member whose socket is on this node back into its room (the store lost it, or this node was taken for dead
   * and swept). A member still there and held here is only re-recorded in this node's seat set; one held by another
   * node resumed there and is not this node's any more (null). A name taken or a full room meanwhile: null.
   */
  async restore(seat: LocalSeat): Promise<RoomView | null> {
    const { nodeId } = this.#options;
    const { roomId, entry, access } = seat;
    const result = await this.#change<JoinError | 'moved'>(roomId, (room) => {
      if (room && hasMember(room.roster, entry.id)) {
        if (room.nodes.get(entry.id) !== nodeId) return err('moved');
        return ok({ next: room, seat: seatMember(roomId, entry.id), addTo: nodeId });
      }
      return this.#seatHere(roomId, room, entry, access);
    }, true);
    return result.ok ? result.value : null;
  }

  /** Adds a member held by this node at the end of the join order, creating the room with `access` if needed. */
  #seatHere(roomId: string, room: StoredRoom | null, entry: RosterEntry, access: RoomAccess): Result<Change, JoinError> {
    const { nodeId, maxMembers } = this.#options;
    const refused = room ? accessError(room.access, access) : null;
    if (refused) return err(refused);
    const added = addMember(room?.roster ?? emptyRoster, entry, maxMembers);
    if (!added.ok) return err(added.error);
    const nodes = new Map(room?.nodes).set(entry.id, nodeId);
    const next = { version: (room?.version ?? 0) + 1, access: room?.access ?? access, roster: added.value, nodes };
    return ok({ next, seat: seatMember(roomId, entry.id), addTo: nodeId });
  }

  /** Takes a member out (held anywhere when `onlyOn` is null, else only if held by that node). */
  #remove(roomId: string, peerId: string, onlyOn: string | null): Promise<RoomView | null> {
    return this.#settle(roomId, (room) => {
      const node = room?.nodes.get(peerId);
      if (!room || node === undefined || (onlyOn !== null && node !== onlyOn)) return ok(null);
      const nodes = new Map(room.nodes);
      nodes.delete(peerId);
      const next = { ...room, version: room.version + 1, roster: removeMember(room.roster, peerId), nodes };
      return ok({ next, seat: seatMember(roomId, peerId), removeFrom: node });
    });
  }

  /** A change that cannot be refused. */
  async #settle(roomId: string, plan: Plan<never>, rewrite = false): Promise<RoomView | null> {
    const result = await this.#change(roomId, plan, rewrite);
    return result.ok ? result.value : null;
  }

  /**
   * Reads the room, asks `plan`, and writes its change if the room has not moved meanwhile; otherwise starts over.
   * `rewrite` writes a change whose room is the one read (to renew it, or to fix a seat set) rather than skipping it.
   */
  async #change<E>(roomId: string, plan: Plan<E>, rewrite = false): Promise<Result<RoomView | null, E>> {
    const { redis, keys, roomTtlMs } = this.#options;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const raw = await this.#timed(redis.get(keys.room(roomId)));
      const room = raw === null ? null : decodeRoom(raw);
      const decided = plan(room);
      if (!decided.ok || decided.value === null) return decided as Result<null, E>;
      const { next, seat, addTo, removeFrom } = decided.value;
      if (next === room && !rewrite) return ok(viewOf(next));
      const value = next.roster.members.length === 0 ? '' : encodeRoom(next);
      const written = await this.#timed(
        redis.chatusCompareAndSet(
          keys.room(roomId),
          keys.rooms,
          keys.seats(addTo ?? ''),
          keys.seats(removeFrom ?? ''),
          raw ?? '',
          value,
          roomTtlMs,
          Date.now(),
          roomId,
          addTo === undefined ? '' : seat,
          removeFrom === undefined ? '' : seat,
        ),
      );
      if (written === 1) return ok(viewOf(next));
    }
    throw new Error(`room ${roomId} changed ${MAX_ATTEMPTS} times while one change was being made`);
  }

  async #read(roomId: string): Promise<StoredRoom | null> {
    const raw = await this.#timed(this.#options.redis.get(this.#options.keys.room(roomId)));
    return raw === null ? null : decodeRoom(raw);
  }

  async #timed<T>(command: Promise<T>): Promise<T> {
    const started = performance.now();
    const value = await command;
    this.#options.observe?.((performance.now() - started) / 1000);
    return value;
  }
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** The compare-and-set script above, defined on each client the registry is given. */
    chatusCompareAndSet(...args: (string | number)[]): RedisResult<number, Context>;
  }
}
