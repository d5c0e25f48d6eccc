/** How retries spread out. */
export interface BackoffPolicy {
  /** Delay ceiling before the first retry. */
  readonly baseMs: number;
  /** No delay ceiling grows past this. */
  readonly maxMs: number;
}

/**
 * "Full jitter" exponential backoff: a uniformly random delay between 0 and min(max, base·2^attempt), so that many
 * clients cut off at once (a server restart) do not all come back in the same instant. `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
