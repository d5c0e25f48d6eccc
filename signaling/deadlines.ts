/**
 * One fixed delay for many items (sockets that must join in time), kept with a single timer rather than one timer per
 * item: a timer costs about 0.6 µs to set and clear and its memory while it is referenced, for every socket. Items are
 * due in the order they were added (the delay is the same for all), so the timer only ever waits for the oldest.
 * An item taken out before its time costs nothing further.
 */
export class Deadlines<T> {
  readonly #delayMs: number;
  readonly #expired: (item: T) => void;
  readonly #now: () => number;
  /** Each item's due time; a Map iterates in insertion order, which here is also the order of the due times. */
  readonly #due = new Map<T, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `expired` is called once for each item still held `delayMs` after it was added. */
  constructor(delayMs: number, expired: (item: T) => void, now: () => number = () => Math.ceil(performance.now())) {
    this.#delayMs = delayMs;
    this.#expired = expired;
    this.#now = now;
  }

  /** Items held now. */
  get size(): number {
    return this.#due.size;
  }

  /** Holds `item` until it is deleted or its time comes. */
  add(item: T): void {
    this.#due.set(item, this.#now() + this.#delayMs);
    if (!this.#timer) this.#arm(this.#delayMs);
  }

  /** Lets `item` go without calling `expired` for it; false if it was not held. */
  delete(item: T): boolean {
    return this.#due.delete(item);
  }

  /** Stops the timer; items still held never expire. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due.clear();
  }

  #arm(waitMs: number): void {
    this.#timer = setTimeout(() => this.#fire(), waitMs);
    // Like the per-socket timers it replaces: a pending join does not keep the process alive.
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    const now = this.#now();
    for (const [item, due] of this.#due) {
      if (due > now) {
        this.#arm(due - now);
        return;
      }
      this.#due.delete(item);
      this.#expired(item);
    }
  }
}
