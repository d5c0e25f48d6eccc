import * as v from 'valibot';
import { RoomAuthKeyText } from '../../shared/crypto/wire.ts';
import { MAX_ROOM_MEMBERS } from '../../shared/limits.ts';
import { PeerId } from '../../shared/protocol/fields.ts';
import { RosterEntry } from '../../shared/protocol/server-message.ts';
import type { Roster } from '../../shared/roster.ts';
import type { RoomAccess } from '../private-rooms.ts';
import type { RoomView } from '../rooms.ts';

/** Node ids: random base64url, made at each start. */
const NodeId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/));

/**
 * A room as Redis holds it, one JSON string a room: the change count, the access it was made with, the host, and the
 * members in join order, each with the node that holds its socket. Parsed on the way in like any other input: Redis
 * is another process, and a key another version wrote must not crash this one.
 */
const StoredRoomSchema = v.object({
  v: v.pipe(v.number(), v.integer(), v.minValue(0)),
  access: v.variant('kind', [v.object({ kind: v.literal('open') }), v.object({ kind: v.literal('private'), authKey: RoomAuthKeyText })]),
  host: v.nullable(PeerId),
  members: v.pipe(v.array(v.object({ ...RosterEntry.entries, node: NodeId })), v.maxLength(MAX_ROOM_MEMBERS)),
});

/** A room read from Redis. */
export interface StoredRoom {
  readonly version: number;
  readonly access: RoomAccess;
  readonly roster: Roster;
  /** The node of each member, by peer id. */
  readonly nodes: ReadonlyMap<string, string>;
}

/** Reads a stored room; throws on a value that is not one (a corrupt or foreign key is a store failure). */
export function decodeRoom(raw: string): StoredRoom {
  const parsed = v.safeParse(StoredRoomSchema, JSON.parse(raw));
  if (!parsed.success) throw new Error(`stored room does not parse: ${parsed.issues[0].message}`);
  const { v: version, access, host, members } = parsed.output;
  return {
    version,
    access,
    roster: { hostId: host, members: members.map(({ node: _node, ...entry }) => entry) },
    nodes: new Map(members.map((member) => [member.id, member.node])),
  };
}

/** Writes a stored room. */
export function encodeRoom(room: StoredRoom): string {
  const members = room.roster.members.map((entry) => ({ ...entry, node: room.nodes.get(entry.id) }));
  return JSON.stringify({ v: room.version, access: room.access, host: room.roster.hostId, members });
}

/** What callers see of a stored room. */
export function viewOf(room: StoredRoom): RoomView {
  return { ...room.roster, nodes: room.nodes, version: room.version };
}
