import type { Roster } from '../../../shared/roster.ts';
import { TypingBoard, TypingSender } from '../../../shared/typing.ts';

/** What a role does with this person's typing: tells the host (a member) or every member (the host). */
export interface TypingRole {
  sendTyping(active: boolean): void;
}

/** What RoomTyping needs from its session. */
export interface RoomTypingDeps {
  readonly now: () => number;
  readonly roster: () => Roster;
  /** The role this tab plays now, if any. */
  readonly role: () => TypingRole | null;
  /** Runs `action` after `delayMs`, unless the session ended first. */
  readonly later: (delayMs: number, action: () => void) => void;
  /** Something visible changed. */
  readonly changed: () => void;
}

/**
 * "Is typing" in one room: this person's own typing, sent through whichever role the tab plays (throttled by
 * TypingSender), and who else types (TypingBoard), with a timer that redraws when a start expires. Switched off, it
 * neither sends nor shows.
 */
export class RoomTyping {
  readonly #deps: RoomTypingDeps;
  readonly #sender = new TypingSender();
  readonly #board = new TypingBoard();
  #enabled = true;
  /** When the redraw for the next expiry is due; a timer that finds another time here is stale and does nothing. */
  #redrawAt: number | undefined;

  constructor(deps: RoomTypingDeps) {
    this.#deps = deps;
  }

  /** Whether this person shares and sees typing. Turning it off stops what they were typing and forgets the others. */
  get enabled(): boolean {
    return this.#enabled;
  }

  set enabled(on: boolean) {
    if (on === this.#enabled) return;
    if (!on) {
      this.composing(false);
      this.#board.clearAll();
    }
    this.#enabled = on;
    this.#deps.changed();
  }

  /** The message box holds a room message being written (`true`), or nothing of the kind any more. */
  composing(active: boolean): void {
    if (!this.#enabled) return;
    const now = this.#deps.now();
    if (active ? this.#sender.typed(now) : this.#sender.cleared(now)) this.#deps.role()?.sendTyping(active);
  }

  /** This person sent a message: the others clear their "is typing" on it. */
  sent(): void {
    this.#sender.sent();
  }

  /** A typing frame from `peerId` (a member of the roster other than this tab: the roles check). */
  heard(peerId: string, active: boolean): void {
    if (!this.#enabled) return;
    if (this.#board.heard(peerId, active, this.#deps.now())) this.#deps.changed();
    this.#scheduleExpiry();
  }

  /** A message from `peerId` arrived: they are done typing it. */
  spoke(peerId: string): void {
    if (this.#board.clear(peerId)) this.#deps.changed();
  }

  /** The names of the others typing now, in roster order (the board never holds this tab: nobody relays it back). */
  names(): string[] {
    if (!this.#enabled) return [];
    return this.#board.typing(this.#deps.roster().members, this.#deps.now()).map((member) => member.name);
  }

  /** Redraws when the earliest start expires, so "is typing" goes by itself. */
  #scheduleExpiry(): void {
    const now = this.#deps.now();
    const next = this.#board.nextExpiry(now);
    if (next === undefined || (this.#redrawAt !== undefined && this.#redrawAt > now && this.#redrawAt <= next)) return;
    const at = next;
    this.#redrawAt = at;
    this.#deps.later(at - now + 10, () => {
      if (this.#redrawAt !== at) return;
      this.#redrawAt = undefined;
      this.#deps.changed();
      this.#scheduleExpiry();
    });
  }
}
