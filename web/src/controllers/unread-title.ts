import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { entryKey, type TimelineEntry } from '../../../shared/timeline.ts';

/**
 * How many lines from others arrived while the person could not see the page: counted from the newest line they
 * could see, reset when they can see it again. Pure: the page tells it what the log holds and whether it is hidden.
 */
export class UnreadCounter {
  #count = 0;
  /** The newest line when the count was last brought up to date (null before any). */
  #newestSeen: string | null = null;

  get count(): number {
    return this.#count;
  }

  /** The log now holds `entries` (oldest first); `hidden`: the person cannot see the page. Returns the count. */
  update(entries: readonly TimelineEntry[], hidden: boolean): number {
    const newest = entries.at(-1);
    if (hidden) {
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const entry = entries[i]!;
        if (entryKey(entry) === this.#newestSeen) break;
        if (entry.kind === 'chat' && !entry.own) this.#count += 1;
      }
    } else this.#count = 0;
    this.#newestSeen = newest === undefined ? this.#newestSeen : entryKey(newest);
    return this.#count;
  }
}

/**
 * Puts the unread count in the tab's title while the page is hidden ("(3) ChatUs"), so a person in another tab sees
 * that the room moved; the title comes back when they return or leave the room.
 */
export class UnreadTitle implements ReactiveController {
  readonly #counter = new UnreadCounter();
  readonly #entries: () => readonly TimelineEntry[];
  /** The title without the count: what the page's title was, unless the host names it (a room's title, say). */
  readonly #baseTitle: () => string;
  readonly #onVisibility = () => this.#show();

  /** `entries` reads what the host's log holds now; `baseTitle`, if given, the title to show without the count. */
  constructor(host: ReactiveControllerHost, entries: () => readonly TimelineEntry[], baseTitle?: () => string) {
    this.#entries = entries;
    const before = document.title;
    this.#baseTitle = baseTitle ?? (() => before);
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    document.title = this.#baseTitle();
  }

  hostUpdated(): void {
    this.#show();
  }

  #show(): void {
    const count = this.#counter.update(this.#entries(), document.visibilityState === 'hidden');
    const title = count > 0 ? `(${count}) ${this.#baseTitle()}` : this.#baseTitle();
    if (document.title !== title) document.title = title;
  }
}
