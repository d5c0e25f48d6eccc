import { TYPING_EXPIRY_MS, TYPING_INTERVAL_MS } from './limits.ts';

/**
 * When a person's page tells the room that they type, as a pure state machine (time passed in): a start at most every
 * TYPING_INTERVAL_MS, whatever they do meanwhile (typing, deleting, sending), and a stop only when they empty the box
 * after a start that has not expired yet. So an honest page sends at most two typing frames an interval, well inside
 * the host's budget for them, however fast it sends messages. Sending needs no stop: the message itself clears "is
 * typing" at the others.
 */
export class TypingSender {
  /** When the last start went out; -Infinity when the next keystroke may send one at once. */
  #lastStart = Number.NEGATIVE_INFINITY;
  #active = false;

  /** The person typed and the box holds a room message: whether to send a start now. */
  typed(now: number): boolean {
    if (now - this.#lastStart < TYPING_INTERVAL_MS) return false;
    this.#lastStart = now;
    this.#active = true;
    return true;
  }

  /**
   * The box no longer holds a room message (emptied, or turned into a command): whether to send a stop now. The time
   * of the last start is kept, so typing and deleting over and over sends no more than a start every interval.
   */
  cleared(now: number): boolean {
    const shown = this.#active && now - this.#lastStart < TYPING_EXPIRY_MS;
    this.#active = false;
    return shown;
  }

  /** The person sent what they typed: the others clear it on the message, so there is nothing to stop. */
  sent(): void {
    this.#active = false;
  }
}

/**
 * Who else is typing, as a pure state machine: each start holds for TYPING_EXPIRY_MS unless a stop, a message from that
 * person or their leaving clears it first. It only ever holds people of the roster (the caller checks), so it is
 * bounded by the room's size.
 */
export class TypingBoard {
  /** Until when each peer counts as typing. */
  readonly #until = new Map<string, number>();

  /** A typing frame from `peerId`; returns whether what is shown may have changed. */
  heard(peerId: string, active: boolean, now: number): boolean {
    if (!active) return this.#until.delete(peerId);
    const shown = this.#shows(peerId, now);
    this.#until.set(peerId, now + TYPING_EXPIRY_MS);
    return !shown;
  }

  /** `peerId` sent a message or left: no longer typing. Returns whether it was shown as typing. */
  clear(peerId: string): boolean {
    return this.#until.delete(peerId);
  }

  /** Forgets everyone (the person turned typing off). */
  clearAll(): void {
    this.#until.clear();
  }

  /**
   * The people typing at `now`, in the order of `members` (the roster, without oneself): whoever is not in it any more
   * is forgotten, and so is every start that expired.
   */
  typing<M extends { readonly id: string }>(members: readonly M[], now: number): M[] {
    const present = new Set(members.map((member) => member.id));
    for (const [peerId, until] of this.#until) if (until <= now || !present.has(peerId)) this.#until.delete(peerId);
    return members.filter((member) => this.#until.has(member.id));
  }

  /** When the next start expires after `now` (those expired are forgotten), or undefined when nobody is typing. */
  nextExpiry(now: number): number | undefined {
    let next: number | undefined;
    for (const [peerId, until] of this.#until) {
      if (until <= now) this.#until.delete(peerId);
      else if (next === undefined || until < next) next = until;
    }
    return next;
  }

  #shows(peerId: string, now: number): boolean {
    const until = this.#until.get(peerId);
    return until !== undefined && until > now;
  }
}
