import type { Roster } from '../shared/roster.ts';
import type { ServerMessage } from '../shared/protocol/server-message.ts';

/** The part of a member's socket the outbox writes to. */
export interface RosterReader {
  send(message: ServerMessage, json?: string): void;
}

/**
 * Rosters on their way to the members of each room on this process, sent once per turn of the event loop. A roster
 * is the whole room, and when many people join at once (an invite link opened by a whole class) every join would
 * otherwise send every member a roster as long as the room: O(n²) frames and O(n³) bytes for a burst of n. Only the
 * newest roster of a room goes out, at the end of the turn in which it was announced (after that turn's `welcome`s),
 * each serialized once for the whole room. Nobody misses a change that lasts, since each roster is the whole room, and
 * nobody can act on a roster before it is sent: a newcomer learns who hosts from the roster itself.
 */
export class RosterOutbox {
  readonly #defer: (run: () => void) => void;
  readonly #socketOf: (peerId: string) => RosterReader | undefined;
  /** Each room's roster waiting for the end of the turn, and who got that very roster at once already. */
  readonly #pending = new Map<string, { readonly roster: Roster; readonly sent: Set<string> }>();

  /**
   * `defer` runs a function at the end of this turn (setImmediate: before any further input is read); `socketOf`
   * finds a member's socket on this process.
   */
  constructor(defer: (run: () => void) => void, socketOf: (peerId: string) => RosterReader | undefined) {
    this.#defer = defer;
    this.#socketOf = socketOf;
  }

  /**
   * `roster` is the room's newest: it replaces one still waiting, and goes out at the end of this turn. `newcomer`, the
   * member whose join made it, gets it at once (in the same write as its `welcome`, so a join costs it one write, and
   * it learns its host without waiting) and not again.
   */
  post(roomId: string, roster: Roster, newcomer?: string): void {
    if (!this.#pending.has(roomId)) this.#defer(() => this.flush(roomId));
    const sent = new Set<string>();
    this.#pending.set(roomId, { roster, sent });
    if (newcomer === undefined || roster.hostId === null) return;
    const { message, json } = rosterFrame(roster, roster.hostId);
    this.#socketOf(newcomer)?.send(message, json);
    sent.add(newcomer);
  }

  /** Sends the room's waiting roster to its members here now (those who have it already aside), if it has one. */
  flush(roomId: string): void {
    const pending = this.#pending.get(roomId);
    this.#pending.delete(roomId);
    if (pending === undefined || pending.roster.hostId === null) return;
    const { roster, sent } = pending;
    const { message, json } = rosterFrame(roster, pending.roster.hostId);
    for (const member of roster.members) if (!sent.has(member.id)) this.#socketOf(member.id)?.send(message, json);
  }
}

/** The roster as a frame, serialized once for the whole room (a roster of 100 is about 15 KB). */
function rosterFrame(roster: Roster, hostId: string): { message: ServerMessage; json: string } {
  const message: ServerMessage = { type: 'roster', hostId, members: [...roster.members] };
  return { message, json: JSON.stringify(message) };
}
