/**
 * How every roster frame begins as the server writes it (`type` first). A frame written otherwise is read at once,
 * as any other frame: this only decides which frames may be skipped.
 */
const ROSTER_FRAME_START = '{"type":"roster",';

/** Whether a raw server frame is a roster (one that a newer roster makes moot). */
export function isRosterFrame(raw: string): boolean {
  return raw.startsWith(ROSTER_FRAME_START);
}

/**
 * Reads only the newest of rosters that arrive back to back. A roster is the whole room, and during a join burst
 * the server sends one per join to every member, each as long as the room: 99 people joining at once would have
 * each member parse and apply 99 rosters of up to 100 entries. A roster is held until `defer` runs (the end of the
 * current task: every frame the socket already has is read by then); a newer roster replaces it unread, and any
 * other frame has it read first, so the session sees frames in the order they came, only without superseded
 * rosters. The session compares each roster with the last it read, so nobody's joining or leaving is lost.
 */
export class NewestRoster {
  readonly #defer: (run: () => void) => void;
  readonly #read: (raw: string) => void;
  #held: string | null = null;

  /** `defer` runs a function once the current task is over; `read` parses and delivers a frame. */
  constructor(defer: (run: () => void) => void, read: (raw: string) => void) {
    this.#defer = defer;
    this.#read = read;
  }

  /** A roster frame: held, replacing any held one. */
  hold(raw: string): void {
    if (this.#held === null) this.#defer(() => this.flush());
    this.#held = raw;
  }

  /** Reads the held roster now, if there is one (before any other frame, and when the socket closes). */
  flush(): void {
    const raw = this.#held;
    if (raw === null) return;
    this.#held = null;
    this.#read(raw);
  }

  /** Forgets the held roster (the connection is being closed on purpose). */
  drop(): void {
    this.#held = null;
  }
}
