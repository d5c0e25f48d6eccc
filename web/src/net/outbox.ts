import { messageKey, type DeliveredChat, type OutgoingChat } from '../../../shared/protocol/envelope.ts';

/**
 * This tab's messages that no host has acknowledged yet, in the order they were written. They are (re)sent on every
 * new link to a host; receivers drop the copies they already have.
 */
export class Outbox {
  readonly #pending = new Map<string, { message: OutgoingChat; sentAt: number; overdue: boolean }>();

  /** Keeps a message until it is acknowledged. */
  add(message: OutgoingChat, now: number): void {
    this.#pending.set(message.id, { message, sentAt: now, overdue: false });
  }

  /** Forgets an acknowledged message; returns whether it was pending. */
  acknowledge(id: string): boolean {
    return this.#pending.delete(id);
  }

  /** The pending messages, oldest first. */
  messages(): OutgoingChat[] {
    return [...this.#pending.values()].map((entry) => entry.message);
  }

  /** Ids of messages pending longer than `ageMs` that were not reported before; each is reported once. */
  takeOverdue(now: number, ageMs: number): string[] {
    const overdue: string[] = [];
    for (const [id, entry] of this.#pending) {
      if (!entry.overdue && now - entry.sentAt > ageMs) {
        entry.overdue = true;
        overdue.push(id);
      }
    }
    return overdue;
  }

  /** Re-addresses every pending message to a new peer id (the server gave this tab a successor id). */
  reassign(peerId: string): void {
    for (const entry of this.#pending.values()) entry.message = { ...entry.message, from: peerId };
  }

  /**
   * What to send a host that said which recent messages it holds (`have`, message keys), given this tab's own recent
   * messages:
   * the pending ones and those a previous host relayed before this host was linked to it, oldest first. Pending
   * messages the host already holds count as acknowledged and leave the outbox.
   */
  planResend(ownRecent: readonly DeliveredChat[], have: ReadonlySet<string>): { resend: OutgoingChat[]; acknowledged: string[] } {
    const ownIds = new Set(ownRecent.map((message) => message.id));
    // Pending messages outside the recent window (or written under an older peer id) are the oldest: they go first.
    const resend = this.messages().filter((message) => !ownIds.has(message.id) && !have.has(messageKey(message)));
    const acknowledged: string[] = [];
    for (const { name: _name, ...message } of ownRecent) {
      if (!have.has(messageKey(message))) resend.push(this.#pending.get(message.id)?.message ?? message);
      else if (this.acknowledge(message.id)) acknowledged.push(message.id);
    }
    return { resend, acknowledged };
  }

  /** Empties the outbox, returning what was in it. */
  drain(): OutgoingChat[] {
    const messages = this.messages();
    this.#pending.clear();
    return messages;
  }
}
