import { MAX_CLOCK_SKEW_MS, REORDER_WINDOW_MS } from './limits.ts';
import type { OpenedFile } from './files/sealed-file.ts';
import { messageKey, type DeliveredChat } from './protocol/envelope.ts';
import type { SystemNote } from './system-note.ts';

/** Where one's own message is: sent to the host, acknowledged by it, or given up on. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A chat message in the timeline. */
export interface ChatEntry {
  readonly kind: 'chat';
  readonly message: DeliveredChat;
  /** Whether this tab's person wrote it. */
  readonly own: boolean;
  readonly status: DeliveryStatus;
  /** This tab's clock when the message arrived here. */
  readonly receivedAt: number;
  /** Whether no roster this tab saw named the message's key: its name is only what the host said. */
  readonly unverified: boolean;
  /** What the reader reads: the text, opened when it came sealed; empty for a held message. */
  readonly text: string;
  /** For a direct message: the recipient's name (the author's is the message's name). */
  readonly direct: { readonly toName: string } | undefined;
  /** The file it announces, as its reader sees it (opened when it came sealed, with the file's chunk key). */
  readonly file?: OpenedFile | undefined;
  /**
   * A direct message between two other people, which this tab holds (sealed, unread) only to hand on as a host does.
   * Never shown; it still takes its author's seq and its key, and history hands it to its two parties.
   */
  readonly held: boolean;
}

/** A line the app writes itself: joins, leaves, host changes. */
export interface SystemEntry {
  readonly kind: 'system';
  readonly id: string;
  readonly ts: number;
  /** What it says, as data (see SystemNote). */
  readonly note: SystemNote;
}

/** What identifies a line in a log: a chat's author and id (see messageKey), or a system line's own id. */
export const entryKey = (entry: TimelineEntry): string => (entry.kind === 'chat' ? messageKey(entry.message) : `system/${entry.id}`);

/** One line of the timeline. */
export type TimelineEntry = ChatEntry | SystemEntry;

/** How a chat message is added. */
export interface AddChatOptions {
  /** This tab's clock now. */
  readonly receivedAt: number;
  /** Whether this tab's person wrote it (default false). */
  readonly own?: boolean;
  /** Delivery status of one's own message (default delivered). */
  readonly status?: DeliveryStatus;
  /** No roster named the message's key (default false). */
  readonly unverified?: boolean;
  /** The text to show (default: the body's open text; sealed bodies must give it). */
  readonly text?: string;
  /** For a direct message: the recipient's name. */
  readonly direct?: { readonly toName: string } | undefined;
  /** The file it announces (default: none). */
  readonly file?: OpenedFile | undefined;
  /** Held, never shown: a direct message between others (default false). */
  readonly held?: boolean;
  /**
   * Placed at the end whatever its seq (default false): history a host hands over comes in the host's order, which
   * already put each message where it belongs; re-ordering a batch that arrives at once would let a line back-dated
   * long ago climb above older history in a late joiner's view.
   */
  readonly asHistory?: boolean;
}

/** What became of a chat message offered to the timeline. */
export type AddChatResult =
  /** It is new and now in the timeline. */
  | 'added'
  /** It is here already (same author and id): a re-send. */
  | 'duplicate'
  /** Another message of its author with the same `seq` is here: a forgery or a broken client. */
  | 'seq-taken';

/** Lines a timeline keeps before dropping the oldest. */
export const TIMELINE_CAPACITY = 1000;

/**
 * The time to show for a chat line: the author's, unless it claims to be further ahead of this tab's clock (when the
 * message arrived) than clocks plausibly differ; then the arrival time. Order never depends on it.
 */
export function shownTime(entry: ChatEntry): number {
  const { ts } = entry.message;
  return ts > entry.receivedAt + MAX_CLOCK_SKEW_MS ? entry.receivedAt : ts;
}

/**
 * What one person sees of a room: every chat message once (de-duplicated by author and id) and each author's
 * messages in the order the author sent them (by `seq`), placed by arrival. A message that arrives after a later
 * one of its author is put before it only while that later one is recent (a re-send after a host change); an
 * older "late" message (a back-dated `seq`, a replay) goes at the end, never above older history. A second message
 * with an author's `seq` already here is refused. No I/O; both the browser and Node use it.
 */
export class Timeline {
  readonly #capacity: number;
  #entries: TimelineEntry[] = [];
  /** Keys (author/id) of the chat messages here, each with the file it announces (undefined for the others). */
  readonly #chatKeys = new Map<string, OpenedFile | undefined>();
  /** Author and seq (author#seq) of the chat messages here. */
  readonly #seqKeys = new Set<string>();
  /** Held lines here (see ChatEntry.held), so that a reader skipping them knows when there are none to skip. */
  #held = 0;
  /** Counts changes: a snapshot taken at one revision stays right until the next. */
  #revision = 0;
  /** The last snapshot handed out, and the revision it shows. */
  #snapshot: { readonly revision: number; readonly entries: readonly TimelineEntry[] } | null = null;

  constructor(capacity: number = TIMELINE_CAPACITY) {
    this.#capacity = capacity;
  }

  /**
   * All lines, oldest first. The array is a snapshot: it does not change later. Asked again with nothing changed in
   * between, it is the same array, so a reader can tell "unchanged" by identity and nothing is copied.
   */
  entries(): readonly TimelineEntry[] {
    if (this.#snapshot?.revision !== this.#revision) this.#snapshot = { revision: this.#revision, entries: this.#entries.slice() };
    return this.#snapshot.entries;
  }

  /** Changes so far: equal revisions, equal lines. */
  get revision(): number {
    return this.#revision;
  }

  /** Whether any line here is held (a direct message between others, never shown). */
  get holdsAny(): boolean {
    return this.#held > 0;
  }

  /** Whether the chat message with this key (see `messageKey`) is here. */
  hasChat(key: string): boolean {
    return this.#chatKeys.has(key);
  }

  /** The file the chat message with this key announces, as opened here; undefined for a message that announces none. */
  fileOf(key: string): OpenedFile | undefined {
    return this.#chatKeys.get(key);
  }

  /**
   * Adds a chat message unless it is here already (same author and id) or its author's `seq` is taken by another
   * message here. Says which.
   */
  addChat(message: DeliveredChat, options: AddChatOptions): AddChatResult {
    const key = messageKey(message);
    const seqKey = `${message.from}#${message.seq}`;
    if (this.#chatKeys.has(key)) return 'duplicate';
    if (this.#seqKeys.has(seqKey)) return 'seq-taken';
    this.#chatKeys.set(key, options.file);
    this.#seqKeys.add(seqKey);
    const entry: ChatEntry = {
      kind: 'chat',
      message,
      own: options.own ?? false,
      status: options.status ?? 'delivered',
      receivedAt: options.receivedAt,
      unverified: options.unverified ?? false,
      text: options.text ?? message.body.text ?? '',
      direct: options.direct,
      file: options.file,
      held: options.held ?? false,
    };
    const index = options.asHistory ? this.#entries.length : this.#insertionIndex(message, options.receivedAt);
    if (index === this.#entries.length) this.#entries.push(entry);
    else this.#entries.splice(index, 0, entry);
    if (entry.held) this.#held += 1;
    this.#changed();
    return 'added';
  }

  /** Appends a system line. */
  addSystem(id: string, note: SystemNote, ts: number): void {
    this.#entries.push({ kind: 'system', id, ts, note });
    this.#changed();
  }

  /**
   * Changes the delivery status of one of this tab's own messages, by its id (unique among one's own messages, which
   * this tab wrote; matched by id alone because a successor peer id changes their author). Returns whether it changed.
   */
  setStatus(id: string, status: DeliveryStatus): boolean {
    // From the newest: a status changes soon after its message was written, so the search ends near the end.
    for (let index = this.#entries.length - 1; index >= 0; index--) {
      const entry = this.#entries[index];
      if (entry?.kind !== 'chat' || !entry.own || entry.message.id !== id) continue;
      if (entry.status === status) return false;
      this.#entries[index] = { ...entry, status };
      this.#revision += 1;
      return true;
    }
    return false;
  }

  /**
   * The newest `limit` chat messages, held ones included, oldest first: the history a host hands a late joiner (the
   * host filters out direct messages that are not the joiner's).
   */
  recentChats(limit: number): DeliveredChat[] {
    const chats: DeliveredChat[] = [];
    for (let i = this.#entries.length - 1; i >= 0 && chats.length < limit; i--) {
      const entry = this.#entries[i];
      if (entry?.kind === 'chat') chats.push(entry.message);
    }
    return chats.reverse();
  }

  /** The keys of the newest `limit` chat messages, oldest first: what a `sync` says this side holds. */
  recentKeys(limit: number): string[] {
    return this.recentChats(limit).map(messageKey);
  }

  #insertionIndex(message: DeliveredChat, receivedAt: number): number {
    let index = this.#entries.length;
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i];
      if (entry === undefined) break;
      // Never above a line that arrived before the re-order window: that is history.
      if (arrivalOf(entry) < receivedAt - REORDER_WINDOW_MS) break;
      if (entry.kind !== 'chat' || entry.message.from !== message.from) continue;
      // Each author's entries are already in seq order, so the first lower seq from the end ends the search.
      if (entry.message.seq < message.seq) break;
      index = i;
    }
    return index;
  }

  /** A line was added: counts the change and drops the oldest lines past the capacity. */
  #changed(): void {
    this.#revision += 1;
    while (this.#entries.length > this.#capacity) {
      const dropped = this.#entries.shift();
      if (dropped?.kind !== 'chat') continue;
      if (dropped.held) this.#held -= 1;
      this.#chatKeys.delete(messageKey(dropped.message));
      this.#seqKeys.delete(`${dropped.message.from}#${dropped.message.seq}`);
    }
  }
}

/** When a line arrived here: a chat line's arrival, a system line's time (always this tab's clock). */
function arrivalOf(entry: TimelineEntry): number {
  return entry.kind === 'chat' ? entry.receivedAt : entry.ts;
}
