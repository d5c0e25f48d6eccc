/**
 * What a host holds of one file transfer it relays, as pure logic (no channels, no clocks): the chunks the sender
 * sent that not every receiver has taken yet, and how far each receiver got. It never holds more than `window`
 * chunks: the sender may not run further ahead than the host's acknowledgements (`released`) allow, and a chunk
 * past the window is refused. A receiver that cannot keep up only holds the transfer back until it is dropped.
 */

/** What became of a chunk the sender sent. */
export type AcceptResult = 'accepted' | 'over-window' | 'out-of-order' | 'over-size';

export class RelayQueue<Chunk extends { readonly length: number }> {
  readonly #window: number;
  readonly #size: number;
  /** Chunks from index `#base` on, that some receiver still needs. */
  readonly #held: Chunk[] = [];
  #base = 0;
  #acceptedBytes = 0;
  /** Per receiver: the index of the next chunk it needs. */
  readonly #next = new Map<string, number>();

  /** A transfer of `size` bytes to `receivers`, holding at most `window` chunks. */
  constructor(receivers: Iterable<string>, window: number, size: number) {
    this.#window = window;
    this.#size = size;
    for (const receiver of receivers) this.#next.set(receiver, 0);
  }

  /** The index the sender's next chunk must have. */
  get expected(): number {
    return this.#base + this.#held.length;
  }

  /** The lowest chunk index any receiver needs next (`expected` when there is no receiver). */
  get lowestWanted(): number {
    return this.#next.size === 0 ? this.expected : Math.min(...this.#next.values());
  }

  /**
   * A receiver joins (after a host change) holding every chunk before `next`; false when it needs chunks before what
   * is held, which only `restart` can give it. One already in the transfer keeps its place.
   */
  addReceiver(receiver: string, next: number): boolean {
    if (this.#next.has(receiver)) return true;
    if (next < this.#base) return false;
    this.#next.set(receiver, next);
    return true;
  }

  /**
   * The sender goes back (or on) to chunk `index`, of which `acceptedBytes` bytes of the file come before it: what is
   * held is dropped, and each receiver gets what it lacks from there on.
   */
  restart(index: number, acceptedBytes: number): void {
    this.#held.length = 0;
    this.#base = index;
    for (const [receiver, next] of this.#next) if (next < index) this.#next.set(receiver, index);
    this.#acceptedBytes = Math.min(acceptedBytes, this.#size);
  }

  /** Chunks every receiver has taken (the host acknowledges this count to the sender). */
  get released(): number {
    return this.#base;
  }

  /** Chunks held now (never more than the window). */
  get held(): number {
    return this.#held.length;
  }

  /** Bytes held now. */
  get heldBytes(): number {
    return this.#held.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  /** Whether the sender has sent every byte of the file. */
  get complete(): boolean {
    return this.#acceptedBytes === this.#size;
  }

  /** Whether every byte was sent and every remaining receiver has taken all of it (or none is left). */
  get finished(): boolean {
    return this.complete && this.#held.length === 0;
  }

  /** Receivers still in the transfer. */
  receivers(): string[] {
    return [...this.#next.keys()];
  }

  /** The sender's next chunk, which must be chunk number `index` and carry `fileBytes` of the file. */
  accept(index: number, chunk: Chunk, fileBytes = chunk.length): AcceptResult {
    if (index !== this.#base + this.#held.length) return 'out-of-order';
    if (this.#held.length >= this.#window) return 'over-window';
    if (this.#acceptedBytes + fileBytes > this.#size) return 'over-size';
    this.#acceptedBytes += fileBytes;
    this.#held.push(chunk);
    this.#release();
    return 'accepted';
  }

  /** The next chunk `receiver` needs, with its index; undefined when it has everything held (or is not a receiver). */
  peek(receiver: string): { readonly index: number; readonly chunk: Chunk } | undefined {
    const next = this.#next.get(receiver);
    if (next === undefined) return undefined;
    const chunk = this.#held[next - this.#base];
    return chunk === undefined ? undefined : { index: next, chunk };
  }

  /** `receiver` took its next chunk. */
  taken(receiver: string): void {
    const next = this.#next.get(receiver);
    if (next === undefined || next - this.#base >= this.#held.length) return;
    this.#next.set(receiver, next + 1);
    this.#release();
  }

  /** Chunks held for `receiver` that it has not taken yet. */
  pending(receiver: string): number {
    const next = this.#next.get(receiver);
    return next === undefined ? 0 : Math.max(0, this.#base + this.#held.length - next);
  }

  /** `receiver` leaves the transfer (cancelled, too slow, gone); what only it needed is released. */
  drop(receiver: string): boolean {
    const had = this.#next.delete(receiver);
    this.#release();
    return had;
  }

  #release(): void {
    let lowest = this.#base + this.#held.length;
    for (const next of this.#next.values()) lowest = Math.min(lowest, next);
    this.#held.splice(0, lowest - this.#base);
    this.#base = lowest;
  }
}
