import type { Roster } from '../shared/roster.ts';

/** A roster with the room's change count when a shared registry made it (several nodes announce one room). */
type Counted = Roster & { readonly version?: number | undefined };

/**
 * The last roster announced in each room that has members on this node. With several nodes, two announcements of one
 * room may arrive in either order (one from this node's registry call, one through another node); the older must not
 * overwrite the newer on members' screens. The rosters kept are the very objects announced, so a room costs one map
 * entry and no copy.
 */
export class RosterVersions {
  readonly #rooms = new Map<string, Counted>();

  /**
   * Takes `roster` as the room's newest unless an older change count than the last one taken: returns the ids that
   * were in the previous roster and are gone or no longer host (empty when there was none), or undefined for a stale
   * roster, which is not to be announced. `keep` false forgets the room (no member here any more).
   */
  advance(roomId: string, roster: Counted, keep: boolean): string[] | undefined {
    const previous = this.#rooms.get(roomId);
    if (previous?.version !== undefined && roster.version !== undefined && roster.version < previous.version) return undefined;
    if (keep && roster.members.length > 0) this.#rooms.set(roomId, roster);
    else this.#rooms.delete(roomId);
    if (!previous) return [];
    const now = new Set(roster.members.map((member) => member.id));
    const changed = previous.members.filter((member) => !now.has(member.id)).map((member) => member.id);
    if (previous.hostId !== null && previous.hostId !== roster.hostId && now.has(previous.hostId)) changed.push(previous.hostId);
    return changed;
  }

  /** Rooms remembered (those with a member on this node). */
  get size(): number {
    return this.#rooms.size;
  }
}
