/** Timeouts that can all be cancelled at once (when a session ends, nothing it scheduled may still run). */
export class Timers {
  readonly #pending = new Set<ReturnType<typeof setTimeout>>();

  /** Runs `action` after `delayMs`, unless {@link cancelAll} comes first. */
  later(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      action();
    }, delayMs);
    this.#pending.add(timer);
  }

  /** Cancels everything still pending. */
  cancelAll(): void {
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
  }
}
