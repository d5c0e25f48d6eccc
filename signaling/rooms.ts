import type { RosterEntry } from '../shared/protocol/server-message.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { addMember, handOver, removeMember, type AddMemberError, type Roster } from '../shared/roster.ts';

/**
 * Where rooms and their rosters live. The in-memory registry is the default; the interface is asynchronous so that a
 * shared store (Redis, ROADMAP item 4) can stand behind it without changing callers.
 */
export interface RoomRegistry {
  /** Adds a member to a room, creating the room if needed; returns the new roster. */
  join(roomId: string, entry: RosterEntry): Promise<Result<Roster, AddMemberError>>;
  /** Removes a member; returns the new roster (empty rooms are forgotten), or null if it was not there. */
  leave(roomId: string, peerId: string): Promise<Roster | null>;
  /** Passes the host role on if `peerId` hosts the room; returns the new roster, or null when nothing changed. */
  handOver(roomId: string, peerId: string): Promise<Roster | null>;
  /** The current roster, or null for a room nobody is in. */
  roster(roomId: string): Promise<Roster | null>;
  /** How many rooms have members. */
  roomCount(): Promise<number>;
}

/** Options for the in-memory registry. */
export interface InMemoryRoomRegistryOptions {
  /** Most members in one room. */
  readonly maxMembers: number;
}

/** Rooms in one process's memory. */
export class InMemoryRoomRegistry implements RoomRegistry {
  readonly #rooms = new Map<string, Roster>();
  readonly #maxMembers: number;

  constructor(options: InMemoryRoomRegistryOptions) {
    this.#maxMembers = options.maxMembers;
  }

  async join(roomId: string, entry: RosterEntry): Promise<Result<Roster, AddMemberError>> {
    const current = this.#rooms.get(roomId) ?? { members: [], hostId: null };
    const next = addMember(current, entry, this.#maxMembers);
    if (!next.ok) return err(next.error);
    this.#rooms.set(roomId, next.value);
    return ok(next.value);
  }

  async leave(roomId: string, peerId: string): Promise<Roster | null> {
    const current = this.#rooms.get(roomId);
    if (!current) return null;
    const next = removeMember(current, peerId);
    if (next === current) return null;
    if (next.members.length === 0) this.#rooms.delete(roomId);
    else this.#rooms.set(roomId, next);
    return next;
  }

  async handOver(roomId: string, peerId: string): Promise<Roster | null> {
    const current = this.#rooms.get(roomId);
    if (!current || current.hostId !== peerId) return null;
    const next = handOver(current);
    if (next === current) return null;
    this.#rooms.set(roomId, next);
    return next;
  }

  async roster(roomId: string): Promise<Roster | null> {
    return this.#rooms.get(roomId) ?? null;
  }

  async roomCount(): Promise<number> {
    return this.#rooms.size;
  }
}
