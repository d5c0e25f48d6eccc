/**
 * Rate limits as pure state machines, with time injected: the signaling server limits each socket with them and a
 * host limits each member's data channel the same way (and a member its host's).
 */

/**
 * What many token buckets alike share: capacity, refill rate and clock. A server makes one for all its sockets, so
 * that each bucket holds only its own state (an idle connection's memory is mostly such state).
 */
export class RatePolicy {
  readonly capacity: number;
  /** Tokens per millisecond. */
  readonly perMs: number;
  readonly now: () => number;

  constructor(capacity: number, perSecond: number, now: () => number = Date.now) {
    if (!(capacity >= 1) || !(perSecond > 0)) throw new RangeError('a token bucket needs capacity ≥ 1 and perSecond > 0');
    this.capacity = capacity;
    this.perMs = perSecond / 1000;
    this.now = now;
  }
}

/**
 * A token bucket: up to `capacity` actions at once, refilled at `perSecond`. Time comes from `now` (milliseconds),
 * so tests can drive it without waiting. `take(scale)` multiplies both the capacity and the refill rate, so that a
 * socket standing for several links (a host signals with each member) gets the allowance of that many links. Made
 * from numbers, a bucket has a policy of its own; many buckets alike share one {@link RatePolicy}.
 */
export class TokenBucket {
  readonly #policy: RatePolicy;
  #tokens: number;
  #last: number;
  #scale = 1;

  constructor(capacity: number | RatePolicy, perSecond = 0, now: () => number = Date.now) {
    this.#policy = typeof capacity === 'number' ? new RatePolicy(capacity, perSecond, now) : capacity;
    this.#tokens = this.#policy.capacity;
    this.#last = this.#policy.now();
  }

  /** Actions allowed at once at scale 1. */
  get capacity(): number {
    return this.#policy.capacity;
  }

  /**
   * Whether it holds its whole allowance now (the refill since the last action included): then it is no different
   * from a new bucket, and a holder may drop it and make a new one when next needed.
   */
  get full(): boolean {
    const { capacity, perMs } = this.#policy;
    const elapsed = Math.max(0, this.#policy.now() - this.#last);
    return this.#tokens + elapsed * perMs * this.#scale >= capacity * this.#scale;
  }

  /** Takes one token if there is one; returns whether the action may go ahead. `scale` below 1 counts as 1. */
  take(scale = 1): boolean {
    const { capacity, perMs } = this.#policy;
    const factor = Math.max(1, scale);
    // A link that was added brings its own full burst (a new member's offer and candidates arrive at once).
    if (factor > this.#scale) this.#tokens += (factor - this.#scale) * capacity;
    this.#scale = factor;
    const now = this.#policy.now();
    // A clock that steps back refills nothing (and does not drain either).
    const elapsed = Math.max(0, now - this.#last);
    this.#last = Math.max(this.#last, now);
    this.#tokens = Math.min(capacity * factor, this.#tokens + elapsed * perMs * factor);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** What to do with one incoming frame: pass it, drop it saying why (first of a run), drop it, or cut the socket. */
export type ThrottleVerdict = 'pass' | 'warn' | 'drop' | 'cut';

/**
 * The rate limit of one socket as a state machine: a token bucket, and patience for a client that does not slow
 * down. Frames over the limit are dropped; only the first of a run is worth an answer (answers to a flood would
 * be a flood); a client that sends more than a whole burst while being refused is cut. It is its own bucket (one
 * object a socket, not two), and sockets alike share one {@link RatePolicy}: the burst is also the patience.
 */
export class FrameThrottle extends TokenBucket {
  #refused = 0;

  constructor(burst: number | RatePolicy, perSecond = 0, now: () => number = Date.now) {
    super(burst, perSecond, now);
  }

  /** Whether it is back where a new throttle starts: a full bucket, and no refusal in the current run. */
  get resting(): boolean {
    return this.#refused === 0 && this.full;
  }

  /** The verdict on the next frame from a socket that stands for `links` signaling links. */
  judge(links: number): ThrottleVerdict {
    if (this.take(links)) {
      this.#refused = 0;
      return 'pass';
    }
    this.#refused += 1;
    if (this.#refused > this.capacity) return 'cut';
    return this.#refused === 1 ? 'warn' : 'drop';
  }
}

/**
 * Protocol errors of one socket as a leaky bucket: each error adds one, and the level drains at `limit` per
 * `windowMs`. The socket is cut once the level passes `limit`, so more than `limit` errors in a quick run are cut
 * while a client that errs now and then over hours (a race, a version skew) never is. A count that never decays would
 * let ordinary churn cut a long-lived host.
 */
export class ViolationMeter {
  readonly #limit: number;
  readonly #drainPerMs: number;
  readonly #now: () => number;
  #level = 0;
  #last: number;

  constructor(limit: number, windowMs: number, now: () => number = Date.now) {
    if (!(limit >= 1) || !(windowMs > 0)) throw new RangeError('a violation meter needs limit ≥ 1 and windowMs > 0');
    this.#limit = limit;
    this.#drainPerMs = limit / windowMs;
    this.#now = now;
    this.#last = now();
  }

  /** Whether every violation has drained away: a new meter would be the same. */
  get drained(): boolean {
    return this.#level - Math.max(0, this.#now() - this.#last) * this.#drainPerMs <= 0;
  }

  /** Counts one violation; true when the socket has now made too many and is to be cut. */
  record(): boolean {
    const now = this.#now();
    // A clock that steps back drains nothing.
    this.#level = Math.max(0, this.#level - Math.max(0, now - this.#last) * this.#drainPerMs) + 1;
    this.#last = Math.max(this.#last, now);
    return this.#level > this.#limit;
  }
}
