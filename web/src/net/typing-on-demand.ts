import type { RoomTyping, RoomTypingDeps } from './room-typing.ts';

/**
 * "Is typing" for a room whose code (room-typing.ts) loads the first time anyone types: this person, or someone whose
 * typing frame arrives. Most of a visit's first moments have no typing, so the room's first download leaves it out.
 * Calls made while the code loads are played back in their order once it is there; before anyone typed there is
 * nothing to stop or clear, so those calls are dropped.
 */
export class TypingOnDemand {
  readonly #deps: RoomTypingDeps;
  #typing: RoomTyping | null = null;
  /** Calls waiting for the code, in their order; null before anything asked for it. */
  #waiting: ((typing: RoomTyping) => void)[] | null = null;
  #enabled = true;

  constructor(deps: RoomTypingDeps) {
    this.#deps = deps;
  }

  /** Whether this person shares and sees typing (see RoomTyping.enabled). */
  get enabled(): boolean {
    return this.#enabled;
  }

  set enabled(on: boolean) {
    this.#enabled = on;
    this.#use((typing) => (typing.enabled = on), false);
  }

  /** The message box holds a room message being written, or no longer does. */
  composing(active: boolean): void {
    if (this.#enabled) this.#use((typing) => typing.composing(active), active);
  }

  /** This person sent a message. */
  sent(): void {
    this.#use((typing) => typing.sent(), false);
  }

  /** A typing frame from `peerId`. */
  heard(peerId: string, active: boolean): void {
    if (this.#enabled) this.#use((typing) => typing.heard(peerId, active), active);
  }

  /** A message from `peerId` arrived. */
  spoke(peerId: string): void {
    this.#use((typing) => typing.spoke(peerId), false);
  }

  /** The names of the others typing now (none before the code loaded). */
  names(): string[] {
    return this.#typing?.names() ?? [];
  }

  /** Runs `call` now when the code is here, after it loads when it is loading; `load`: start loading it if need be. */
  #use(call: (typing: RoomTyping) => void, load: boolean): void {
    if (this.#typing) return call(this.#typing);
    if (this.#waiting) return void this.#waiting.push(call);
    if (!load) return;
    this.#waiting = [call];
    void import('./room-typing.ts').then(
      ({ RoomTyping }) => {
        const typing = new RoomTyping(this.#deps);
        typing.enabled = this.#enabled;
        const waiting = this.#waiting ?? [];
        // Here before the calls play back: each tells the session of a change, which asks for the names.
        this.#typing = typing;
        this.#waiting = null;
        for (const call of waiting) call(typing);
      },
      // Not downloaded (offline, or a new build on the server): the next typing asks again.
      () => (this.#waiting = null),
    );
  }
}
