import type { RosterEntry } from '../shared/protocol/server-message.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { addMember, emptyRoster, handOver, removeMember, type AddMemberError, type Roster } from '../shared/roster.ts';
import { accessError, openRoom, type AccessError, type RoomAccess } from './private-rooms.ts';

/**
 * A roster as a registry hands it out. A registry shared by several nodes adds where each member's socket is and how
 * many times the room has changed, so that a node can place a signal and tell an older announcement from a newer one.
 */
export interface RoomView extends Roster {
  /** The node that holds each member's socket, by peer id; absent in a registry of one process. */
  readonly nodes?: ReadonlyMap<string, string>;
  /** Grows with every change of the room; absent in a registry of one process. */
  readonly version?: number;
}

/** Why a member could not be added: the roster's reasons, or the room's access. */
export type JoinError = AddMemberError | AccessError;

/**
 * Where rooms and their rosters live. The in-memory registry is the default; the interface is asynchronous so that a
 * shared store (Redis: redis-registry.ts) can stand behind it without changing callers.
 */
export interface RoomRegistry {
  /**
   * Adds a member to a room, creating the room with `access` (open when omitted) if needed; returns the new roster.
   * A room keeps the access it was created with until it empties: a join asking for another is refused. Checking and
   * creating happen in one step, so two first joiners racing cannot leave a private room open or the reverse.
   */
  join(roomId: string, entry: RosterEntry, access?: RoomAccess): Promise<Result<RoomView, JoinError>>;
  /** The access a room was created with, or null for a room nobody is in. */
  access(roomId: string): Promise<RoomAccess | null>;
  /** Removes a member; returns the new roster (empty rooms are forgotten), or null if it was not there. */
  leave(roomId: string, peerId: string): Promise<RoomView | null>;
  /** Passes the host role on if `peerId` hosts the room; returns the new roster, or null when nothing changed. */
  handOver(roomId: string, peerId: string): Promise<RoomView | null>;
  /** The current roster, or null for a room nobody is in. */
  roster(roomId: string): Promise<RoomView | null>;
  /** How many rooms have members. */
  roomCount(): Promise<number>;
}

/** Options for the in-memory registry. */
export interface InMemoryRoomRegistryOptions {
  /** Most members in one room. */
  readonly maxMembers: number;
}

/** One room in memory: its roster and who may enter it (for a private room, the key the server checks). */
interface StoredRoom {
  readonly roster: Roster;
  readonly access: RoomAccess;
}

/** Rooms in one process's memory. */
export class InMemoryRoomRegistry implements RoomRegistry {
  readonly #rooms = new Map<string, StoredRoom>();
  readonly #maxMembers: number;

  constructor(options: InMemoryRoomRegistryOptions) {
    this.#maxMembers = options.maxMembers;
  }

  async join(roomId: string, entry: RosterEntry, access: RoomAccess = openRoom): Promise<Result<Roster, JoinError>> {
    const room = this.#rooms.get(roomId);
    const refused = room ? accessError(room.access, access) : null;
    if (refused) return err(refused);
    const next = addMember(room?.roster ?? emptyRoster, entry, this.#maxMembers);
    if (!next.ok) return err(next.error);
    this.#rooms.set(roomId, { roster: next.value, access: room?.access ?? access });
    return ok(next.value);
  }

  async access(roomId: string): Promise<RoomAccess | null> {
    return this.#rooms.get(roomId)?.access ?? null;
  }

  async leave(roomId: string, peerId: string): Promise<Roster | null> {
    const room = this.#rooms.get(roomId);
    if (!room) return null;
    const next = removeMember(room.roster, peerId);
    if (next === room.roster) return null;
    // An empty room is forgotten with its key: the next joiner makes a new room, open or private.
    if (next.members.length === 0) this.#rooms.delete(roomId);
    else this.#rooms.set(roomId, { ...room, roster: next });
    return next;
  }

  async handOver(roomId: string, peerId: string): Promise<Roster | null> {
    const room = this.#rooms.get(roomId);
    if (!room || room.roster.hostId !== peerId) return null;
    const next = handOver(room.roster);
    if (next === room.roster) return null;
    this.#rooms.set(roomId, { ...room, roster: next });
    return next;
  }

  async roster(roomId: string): Promise<Roster | null> {
    return this.#rooms.get(roomId)?.roster ?? null;
  }

  async roomCount(): Promise<number> {
    return this.#rooms.size;
  }
}
