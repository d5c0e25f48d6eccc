import type { Roster } from '../shared/roster.ts';
import type { ServerMessage } from '../shared/protocol/server-message.ts';

/** The part of a member's socket the outbox writes to. */
export interface RosterReader {
  send(message: ServerMessage, json?: string): void;
}

/**
 * Rosters on their way to the members of each room on this process, at most two per turn of the event loop. A roster
 * is the whole room, and when many people join at once (an invite link opened by a whole class) every join would
 * otherwise send every member a roster as long as the room: O(n²) frames and O(n³) bytes for a burst of n. The first
 * roster of a turn goes out at once, as any change's did; the rest of that turn's changes to the room go out as one,
 * the newest, at the end of the turn (after that turn's `welcome`s), each serialized once for the whole room. Nobody
 * misses a change that lasts, since each roster is the whole room, and nobody can act on a roster before it is sent:
 * a newcomer learns who hosts from the roster itself.
 */
export class RosterOutbox {
  readonly #defer: (run: () => void) => void;
  readonly #socketOf: (peerId: string) => RosterReader | undefined;
  /**
   * Rooms that announced a roster in this turn: the newest one announced after the first (null: none yet), which goes
   * out at the end of the turn, and who got that very roster at once already.
   */
  readonly #turn = new Map<string, { roster: Roster | null; sent: Set<string> }>();
  /** Whether the end of this turn is already scheduled (once for every room: a deferred run per change cost CPU). */
  #scheduled = false;

  /**
   * `defer` runs a function at the end of this turn (setImmediate: before any further input is read); `socketOf`
   * finds a member's socket on this process.
   */
  constructor(defer: (run: () => void) => void, socketOf: (peerId: string) => RosterReader | undefined) {
    this.#defer = defer;
    this.#socketOf = socketOf;
  }

  /**
   * `roster` is the room's newest. The first of a turn goes out at once (a lone join or leave costs nothing more);
   * later ones in the same turn replace each other and the newest goes out at the end of the turn. `newcomer`, the
   * member whose join made it, gets it at once either way (in the same write as its `welcome`) and not again.
   */
  post(roomId: string, roster: Roster, newcomer?: string): void {
    const turn = this.#turn.get(roomId);
    if (turn === undefined) {
      this.#turn.set(roomId, { roster: null, sent: new Set() });
      if (!this.#scheduled) {
        this.#scheduled = true;
        this.#defer(() => this.#endTurn());
      }
      return this.#send(roster);
    }
    turn.roster = roster;
    turn.sent = new Set();
    if (newcomer === undefined) return;
    this.#send(roster, [newcomer]);
    turn.sent.add(newcomer);
  }

  /** Ends the room's turn: sends the roster still waiting (to those who do not have it), if there is one. */
  flush(roomId: string): void {
    const turn = this.#turn.get(roomId);
    this.#turn.delete(roomId);
    if (turn?.roster) this.#send(turn.roster, turn.roster.members.map((member) => member.id).filter((id) => !turn.sent.has(id)));
  }

  #endTurn(): void {
    this.#scheduled = false;
    for (const roomId of [...this.#turn.keys()]) this.flush(roomId);
  }

  /** Sends `roster` to `to` (its members by default) on this process, serialized once. */
  #send(roster: Roster, to: readonly string[] = roster.members.map((member) => member.id)): void {
    if (roster.hostId === null) return;
    const { message, json } = rosterFrame(roster, roster.hostId);
    for (const peerId of to) this.#socketOf(peerId)?.send(message, json);
  }
}

/** The roster as a frame, serialized once for the whole room (a roster of 100 is about 15 KB). */
function rosterFrame(roster: Roster, hostId: string): { message: ServerMessage; json: string } {
  const message: ServerMessage = { type: 'roster', hostId, members: [...roster.members] };
  return { message, json: JSON.stringify(message) };
}
