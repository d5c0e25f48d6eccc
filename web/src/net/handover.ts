/**
 * When a host tab hands its role on: Chrome allows a tab about 500 peer connections over its lifetime, so a host near
 * its budget asks the server to make someone else host, once per time it becomes host, while there is someone.
 */
export class Handover {
  readonly #budget: number;
  #connections = 0;
  #requested = false;

  constructor(budget: number) {
    this.#budget = budget;
  }

  /** Peer connections this tab has made. */
  get connections(): number {
    return this.#connections;
  }

  /** Whether this tab is near its budget. */
  get worn(): boolean {
    return this.#connections >= this.#budget;
  }

  linkMade(): void {
    this.#connections += 1;
  }

  /** The tab became host (again): a tab that handed the role over once and got it back may need to again. */
  becameHost(): void {
    this.#requested = false;
  }

  /** Whether to ask for a hand-over now; true at most once per time as host, and only with someone to take it. */
  claim(hosting: boolean, members: number): boolean {
    if (!hosting || this.#requested || members < 2) return false;
    this.#requested = true;
    return true;
  }
}
