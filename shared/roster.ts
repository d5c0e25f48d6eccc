import { ErrorCode } from './errors.ts';
import { MAX_ROOM_MEMBERS } from './limits.ts';
import type { RosterEntry } from './protocol/server-message.ts';
import { err, ok, type Result } from './result.ts';

/**
 * A room's roster as pure functions: state in, state out. The signaling server is the only authority that applies
 * them; clients only read rosters the server announces.
 */
export interface Roster {
  /** Members in join order: the first is the one present longest. */
  readonly members: readonly RosterEntry[];
  /** The member every other member connects to; null only for an empty room. */
  readonly hostId: string | null;
}

/** A room nobody is in. */
export const emptyRoster: Roster = { members: [], hostId: null };

/** Text of ASCII characters only, which NFKC leaves as it is. */
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Names are unique per room regardless of case and Unicode compatibility forms ("Ann" = "ann" = "Ａｎｎ"). */
export function nameKey(name: string): string {
  // ASCII text is its own NFKC form: most names skip the normalizer, which a join runs once per member of the room.
  return ASCII_ONLY.test(name) ? name.toLowerCase() : name.normalize('NFKC').toLowerCase();
}


/** Why a member could not be added. */
export type AddMemberError = typeof ErrorCode.NameTaken | typeof ErrorCode.RoomFull;

/** Adds a member at the end (the newest); the first member of a room becomes its host. */
export function addMember(
  roster: Roster,
  entry: RosterEntry,
  maxMembers: number = MAX_ROOM_MEMBERS,
): Result<Roster, AddMemberError> {
  if (roster.members.length >= maxMembers) return err(ErrorCode.RoomFull);
  const key = nameKey(entry.name);
  if (roster.members.some((member) => nameKey(member.name) === key)) return err(ErrorCode.NameTaken);
  // concat, not a spread: V8 gives a spread array room to grow (19 slots for 2 members), and a server keeps every room.
  return ok({ members: roster.members.concat([entry]), hostId: roster.hostId ?? entry.id });
}

/** Removes a member; when it was the host, the member present longest becomes host. Unknown ids change nothing. */
export function removeMember(roster: Roster, id: string): Roster {
  if (!roster.members.some((member) => member.id === id)) return roster;
  const members = roster.members.filter((member) => member.id !== id);
  const hostId = roster.hostId === id ? electHost(members) : roster.hostId;
  return { members, hostId };
}

/** The host for a set of members: the one present longest (first in join order). */
export function electHost(members: readonly RosterEntry[]): string | null {
  return members[0]?.id ?? null;
}

/** Whether `id` is in the roster. */
export function hasMember(roster: Roster, id: string): boolean {
  return roster.members.some((member) => member.id === id);
}

/** A member's name, if present. */
export function memberName(roster: Roster, id: string): string | undefined {
  return roster.members.find((member) => member.id === id)?.name;
}

/**
 * Who may signal whom: only a member and its room's host, in either direction. Members never signal each other,
 * so the star holds and nobody learns another member's addresses except the host.
 */
export function maySignal(roster: Roster, from: string, to: string): boolean {
  if (from === to || !hasMember(roster, from) || !hasMember(roster, to)) return false;
  return from === roster.hostId || to === roster.hostId;
}

/**
 * Passes the host role on: the current host moves to the end of the join order (as if it had just joined) and the
 * member present longest among the others becomes host. A room of one is unchanged.
 */
export function handOver(roster: Roster): Roster {
  const host = roster.members.find((member) => member.id === roster.hostId);
  if (!host || roster.members.length < 2) return roster;
  const members = [...roster.members.filter((member) => member !== host), host];
  return { members, hostId: electHost(members) };
}
