import type { Roster } from '../shared/roster.ts';
import type { RosterMessage } from '../shared/protocol/server-message.ts';
import { textFrame } from './text-frame.ts';

/** The part of a member's socket the outbox writes to. */
export interface RosterReader {
  /** Sends one message already framed (textFrame). */
  sendFrame(frame: Buffer): void;
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
  /** The end of a turn, as the one function every turn defers (not a closure made per turn). */
  readonly #endOfTurn = (): void => this.#endTurn();
  readonly #socketOf: (peerId: string) => RosterReader | undefined;
  /**
   * Rooms that announced a roster in this turn: the newest one announced after the first (null: none yet), which goes
   * out at the end of the turn, and the newcomer who got that very roster at once already (null: none).
   */
  readonly #turn = new Map<string, { roster: Roster | null; holder: string | null }>();

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
      // One deferred run for every room of the turn: a run per change cost the server CPU on every join.
      if (this.#turn.size === 0) this.#defer(this.#endOfTurn);
      this.#turn.set(roomId, { roster: null, holder: null });
      return this.#send(roster, () => true);
    }
    turn.roster = roster;
    turn.holder = newcomer ?? null;
    if (newcomer !== undefined) this.#send(roster, (member) => member === newcomer);
  }

  /** Sends each room's roster still waiting (to all but the newcomer who has it) and starts a new turn. */
  #endTurn(): void {
    const waiting = [...this.#turn.values()];
    this.#turn.clear();
    for (const { roster, holder } of waiting) if (roster) this.#send(roster, (member) => member !== holder);
  }

  /** Sends `roster`, serialized once, to those of its members on this process that `to` picks. */
  #send(roster: Roster, to: (member: string) => boolean): void {
    if (roster.hostId === null) return;
    const frame = rosterFrame(roster, roster.hostId);
    for (const { id } of roster.members) if (to(id)) this.#socketOf(id)?.sendFrame(frame);
  }
}

/** The roster as a frame, serialized and framed once for the whole room (a roster of 100 is about 15 KB). */
function rosterFrame(roster: Roster, hostId: string): Buffer {
  const message: RosterMessage = { type: 'roster', hostId, members: [...roster.members] };
  return textFrame(JSON.stringify(message));
}
