import { TokenBucket } from '../shared/rate-limit.ts';

/**
 * Peers that recently left a room or stopped hosting it, per room, for `graceMs`. A signal addressed to one of them
 * (or sent by a host that was just demoted) is an ordinary race: the sender had not yet seen the new roster, or its
 * ICE candidates were already on their way. Such signals are dropped without an answer rather than counted as abuse.
 *
 * What an attacker gets from the grace: nothing is delivered that the roster does not allow now, only the error
 * reply and the violation are spared, and only to a current member of the room and only for ids that room saw leave
 * or lose the host role within the grace; any other unknown or foreign id is still ERR_BAD_TARGET. (A looser rule,
 * "an unknown target from a member is dropped", would spare every mistyped or guessed id, and answer ids of other
 * rooms differently from ids that exist nowhere.) Dropped signals cost what delivered ones do and pass the same rate
 * limit. Memory is bounded: at most `perRoom` entries a room (the oldest go first), and a room's record goes with it.
 */
export class RecentChanges {
  readonly #graceMs: number;
  readonly #perRoom: number;
  readonly #now: () => number;
  /** Room id → peer id → when it left or was demoted; each inner map is in time order. */
  readonly #rooms = new Map<string, Map<string, number>>();

  constructor(graceMs: number, perRoom: number, now: () => number = Date.now) {
    if (!(graceMs > 0) || !(perRoom >= 1)) throw new RangeError('recent changes need graceMs > 0 and perRoom ≥ 1');
    this.#graceMs = graceMs;
    this.#perRoom = perRoom;
    this.#now = now;
  }

  /** `peerId` left `roomId`, or stopped hosting it, just now. */
  note(roomId: string, peerId: string): void {
    const peers = this.#rooms.get(roomId) ?? new Map<string, number>();
    this.#rooms.set(roomId, peers);
    peers.delete(peerId);
    peers.set(peerId, this.#now());
    this.#prune(roomId, peers);
    while (peers.size > this.#perRoom) peers.delete(peers.keys().next().value as string);
  }

  /** Whether `peerId` left `roomId`, or stopped hosting it, within the grace. */
  has(roomId: string, peerId: string): boolean {
    const peers = this.#rooms.get(roomId);
    if (!peers) return false;
    this.#prune(roomId, peers);
    return peers.has(peerId);
  }

  /** The room is empty: nobody is left to send it a late signal. */
  forgetRoom(roomId: string): void {
    this.#rooms.delete(roomId);
  }

  /** Rooms with a record (for tests of the bound). */
  get roomCount(): number {
    return this.#rooms.size;
  }

  #prune(roomId: string, peers: Map<string, number>): void {
    const oldest = this.#now() - this.#graceMs;
    for (const [peerId, at] of peers) {
      if (at > oldest) break;
      peers.delete(peerId);
    }
    if (peers.size === 0) this.#rooms.delete(roomId);
  }
}

/** What to do with one offer from a member to its host. */
export type OfferVerdict = 'pass' | 'refuse' | 'violation';

/**
 * Offers from each member to its host. Each offer makes the host's tab create a new RTCPeerConnection (a browser
 * allows about 500 over a tab's lifetime), so a member may send `burst` offers at once and then `perSecond`, whatever
 * its overall rate limit allows. A member whose host changed starts again with a full burst: the offer it makes to a
 * new host right away is never refused. Refused offers are answered; only when a member goes on past `patience`
 * refusals in a row does each further one count as a protocol error. Memory: one entry per member that offered,
 * forgotten when it leaves.
 *
 * The reset on a new host gives an attacker nothing: a member cannot change its room's host (only the host can hand
 * the role over), and a member that leaves and joins again is a new member with a new peer id, as a newcomer would be.
 */
export class OfferThrottle {
  readonly #burst: number;
  readonly #perSecond: number;
  readonly #patience: number;
  readonly #now: () => number;
  readonly #members = new Map<string, { hostId: string; bucket: TokenBucket; refused: number }>();

  constructor(burst: number, perSecond: number, patience: number, now: () => number = Date.now) {
    this.#burst = burst;
    this.#perSecond = perSecond;
    this.#patience = patience;
    this.#now = now;
  }

  /** The verdict on an offer from `memberId` to its host `hostId`. */
  judge(memberId: string, hostId: string): OfferVerdict {
    let entry = this.#members.get(memberId);
    if (entry?.hostId !== hostId) {
      entry = { hostId, bucket: new TokenBucket(this.#burst, this.#perSecond, this.#now), refused: 0 };
      this.#members.set(memberId, entry);
    }
    if (entry.bucket.take()) {
      entry.refused = 0;
      return 'pass';
    }
    entry.refused += 1;
    return entry.refused > this.#patience ? 'violation' : 'refuse';
  }

  /** The member left its room. */
  forget(memberId: string): void {
    this.#members.delete(memberId);
  }

  /** Members with an entry (for tests of the bound). */
  get size(): number {
    return this.#members.size;
  }
}
