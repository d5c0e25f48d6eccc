import type { DeliveredChat } from './protocol/envelope.ts';

/** Where one's own message is: sent to the host, acknowledged by it, or given up on. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A chat message in the timeline. */
export interface ChatEntry {
  readonly kind: 'chat';
  readonly message: DeliveredChat;
  /** Whether this tab's person wrote it. */
  readonly own: boolean;
  readonly status: DeliveryStatus;
}

/** A line the app writes itself: joins, leaves, host changes. */
export interface SystemEntry {
  readonly kind: 'system';
  readonly id: string;
  readonly ts: number;
  readonly text: string;
}

/** One line of the timeline. */
export type TimelineEntry = ChatEntry | SystemEntry;

/** Lines a timeline keeps before dropping the oldest. */
export const TIMELINE_CAPACITY = 1000;

/**
 * What one person sees of a room: every chat message once (de-duplicated by id) and each sender's messages in the
 * order the sender sent them (by `seq`), whatever order they arrived in. No I/O; both the browser and Node use it.
 */
export class Timeline {
  readonly #capacity: number;
  #entries: TimelineEntry[] = [];
  readonly #chatIds = new Set<string>();

  constructor(capacity: number = TIMELINE_CAPACITY) {
    this.#capacity = capacity;
  }

  /** All lines, oldest first. The array is a snapshot: it does not change later. */
  entries(): readonly TimelineEntry[] {
    return [...this.#entries];
  }

  /** Whether a chat message with this id is already here. */
  hasChat(id: string): boolean {
    return this.#chatIds.has(id);
  }

  /**
   * Adds a chat message unless one with its id is here already. Returns whether it was added. A message that
   * arrives after a later one of the same sender is placed before it.
   */
  addChat(message: DeliveredChat, own = false, status: DeliveryStatus = 'delivered'): boolean {
    if (this.#chatIds.has(message.id)) return false;
    this.#chatIds.add(message.id);
    this.#entries.splice(this.#insertionIndex(message), 0, { kind: 'chat', message, own, status });
    this.#trim();
    return true;
  }

  /** Appends a system line. */
  addSystem(id: string, text: string, ts: number): void {
    this.#entries.push({ kind: 'system', id, ts, text });
    this.#trim();
  }

  /** Changes the delivery status of one's own message. Returns whether the status changed. */
  setStatus(id: string, status: DeliveryStatus): boolean {
    const index = this.#entries.findIndex((entry) => entry.kind === 'chat' && entry.message.id === id);
    const entry = this.#entries[index];
    if (entry?.kind !== 'chat' || entry.status === status) return false;
    this.#entries[index] = { ...entry, status };
    return true;
  }

  /** The newest `limit` chat messages, oldest first: the history a host hands a late joiner. */
  recentChats(limit: number): DeliveredChat[] {
    const chats: DeliveredChat[] = [];
    for (let i = this.#entries.length - 1; i >= 0 && chats.length < limit; i--) {
      const entry = this.#entries[i];
      if (entry?.kind === 'chat') chats.push(entry.message);
    }
    return chats.reverse();
  }

  #insertionIndex(message: DeliveredChat): number {
    let index = this.#entries.length;
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i];
      if (entry?.kind !== 'chat' || entry.message.from !== message.from) continue;
      // Each sender's entries are already in seq order, so the first lower seq from the end ends the search.
      if (entry.message.seq < message.seq) break;
      index = i;
    }
    return index;
  }

  #trim(): void {
    while (this.#entries.length > this.#capacity) {
      const dropped = this.#entries.shift();
      if (dropped?.kind === 'chat') this.#chatIds.delete(dropped.message.id);
    }
  }
}
