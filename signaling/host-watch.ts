import type { HostWatchPolicy } from '../shared/liveness.ts';

/** A host as the watch sees it: a socket whose client answers application-level pings. */
export interface WatchedHost {
  /** Whether the client's code has sent anything since the previous call (and starts counting afresh). */
  takeHeard(): boolean;
  /** Sends the client a `ping`. */
  ping(): void;
  /** The host missed `maxMissedPings` in a row: drop it, so the room elects the next host. */
  cutSilent(): void;
}

/**
 * Watches every host whose page answers pings: one timer for the whole server pings each of them every interval and
 * counts, per host, the intervals in a row in which nothing came from its code. Any frame counts, not only `pong`: a
 * host sending signals is alive. Missed intervals are counted rather than milliseconds since the last frame, so a
 * server that stalls (a long GC pause, a burst of work) costs a host one miss, not its role: after a stall the timer
 * fires before the frames that arrived meanwhile are read.
 */
export class HostWatch {
  readonly #policy: HostWatchPolicy;
  readonly #misses = new Map<WatchedHost, number>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(policy: HostWatchPolicy) {
    this.#policy = policy;
  }

  /** Hosts being watched. */
  get size(): number {
    return this.#misses.size;
  }

  /** Starts watching `host` (no change if it is watched already): it is pinged at once. */
  watch(host: WatchedHost): void {
    if (this.#misses.has(host)) return;
    host.takeHeard();
    this.#misses.set(host, 0);
    host.ping();
    this.#timer ??= setInterval(() => this.tick(), this.#policy.pingIntervalMs);
    this.#timer.unref?.();
  }

  /** Stops watching `host` (it stopped hosting, or its socket closed). */
  unwatch(host: WatchedHost): void {
    this.#misses.delete(host);
    if (this.#misses.size === 0) this.stop();
  }

  /** One interval: counts who answered, drops who missed too many, pings the rest. Run by the timer. */
  tick(): void {
    for (const [host, missed] of [...this.#misses]) {
      if (!this.#misses.has(host)) continue;
      const misses = host.takeHeard() ? 0 : missed + 1;
      if (misses >= this.#policy.maxMissedPings) {
        this.unwatch(host);
        host.cutSilent();
        continue;
      }
      this.#misses.set(host, misses);
      host.ping();
    }
  }

  /** Stops the timer (nobody is watched, or the server is stopping). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
