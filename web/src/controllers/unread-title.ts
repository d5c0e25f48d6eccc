import { entryKey, type ChatEntry, type TimelineEntry } from '../../../shared/timeline.ts';

/**
 * The lines added to a log since the last look, for a log that grows at its end and drops its oldest lines: walked
 * back from the newest to the newest line of the last look (all of them when that one is gone or there was none).
 */
export class NewLines {
  /** The newest line at the last look (null before any). */
  #newest: string | null = null;

  /** The lines added since the last call, oldest first. */
  take(entries: readonly TimelineEntry[]): TimelineEntry[] {
    let from = entries.length;
    while (from > 0 && entryKey(entries[from - 1]!) !== this.#newest) from -= 1;
    const newest = entries.at(-1);
    if (newest !== undefined) this.#newest = entryKey(newest);
    return entries.slice(from);
  }
}

/** Whether `entry` is a chat line someone else wrote: what counts as unread. */
export const isOthersChat = (entry: TimelineEntry): entry is ChatEntry => entry.kind === 'chat' && !entry.own;

/**
 * How many lines from others arrived while the person was away (the page hidden, or the log scrolled up from its
 * newest line), and where the first of them is: the "New messages" marker. The count goes back to 0 when they are
 * back; the marker stays where it is, to show where the new lines began, until they write a line themselves or are
 * away again and another line arrives. Pure: the page tells it what the log holds and whether the person is away.
 */
export class UnreadCounter {
  readonly #lines = new NewLines();
  #count = 0;
  #marker: string | null = null;

  get count(): number {
    return this.#count;
  }

  /** The key of the first line that arrived while the person was away (see entryKey), or null. */
  get marker(): string | null {
    return this.#marker;
  }

  /** The log now holds `entries` (oldest first); `away`: the person cannot see its newest line. Returns the count. */
  update(entries: readonly TimelineEntry[], away: boolean): number {
    for (const entry of this.#lines.take(entries)) {
      if (entry.kind !== 'chat') continue;
      if (entry.own) this.#marker = null;
      else if (away) {
        if (this.#count === 0) this.#marker = entryKey(entry);
        this.#count += 1;
      }
    }
    if (!away) this.#count = 0;
    return this.#count;
  }
}

/** A count in front of the tab's title, "(3) ChatUs"; whatever else sets the title keeps its own words. */
export class TitleCount {
  /** Shows `count` (none for 0) before the title as it is now. */
  show(count: number): void {
    const base = baseTitle();
    const title = count > 0 ? `(${count}) ${base}` : base;
    if (document.title !== title) document.title = title;
  }

  /** Takes the count off. */
  clear(): void {
    this.show(0);
  }
}

/** The title without a count in front. */
const baseTitle = (): string => document.title.replace(/^\(\d+\) /, '');
