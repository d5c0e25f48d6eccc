/**
 * The names of everything ChatUs keeps in Redis, under one prefix (REDIS_PREFIX, `chatus:` by default) so that
 * several deployments can share a Redis. docs/operations.md lists them with their lifetimes; change both together.
 * Room and peer ids are [A-Za-z0-9_-] (ROOM_ID_PATTERN, PEER_ID_PATTERN) and node ids are base64url, so `:` and a
 * space cannot occur inside one and the names cannot collide.
 */
export class RedisKeys {
  readonly #prefix: string;

  constructor(prefix = 'chatus:') {
    this.#prefix = prefix;
  }

  /** One room: its roster, join order, host, access and where each member's socket is (a JSON string). */
  room(roomId: string): string {
    return `${this.#prefix}room:${roomId}`;
  }

  /** Every room with members, scored by when its key expires (counts rooms without a scan). */
  get rooms(): string {
    return `${this.#prefix}rooms`;
  }

  /** Every node that has announced itself and has not been swept. */
  get nodes(): string {
    return `${this.#prefix}nodes`;
  }

  /** A node's heartbeat: present while the node lives. */
  node(nodeId: string): string {
    return `${this.#prefix}node:${nodeId}`;
  }

  /** The seats a node holds, as `room peer` pairs: what the sweep takes out when the node dies. */
  seats(nodeId: string): string {
    return `${this.#prefix}seats:${nodeId}`;
  }

  /** The pub/sub channel a node listens on. */
  channel(nodeId: string): string {
    return `${this.#prefix}to:${nodeId}`;
  }
}

/** A seat as the seat set holds it. */
export function seatMember(roomId: string, peerId: string): string {
  return `${roomId} ${peerId}`;
}

/** The room and peer of a seat set's member, or null for anything else. */
export function parseSeat(member: string): { roomId: string; peerId: string } | null {
  const [roomId, peerId, ...rest] = member.split(' ');
  return roomId && peerId && rest.length === 0 ? { roomId, peerId } : null;
}
