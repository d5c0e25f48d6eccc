import { HISTORY_LIMIT, PROTOCOL_VERSION } from '../../../shared/limits.ts';
import { messageKey, type DeliveredChat, type OutgoingChat } from '../../../shared/protocol/envelope.ts';
import { parsePublicIdentity } from '../../../shared/crypto/identity.ts';
import { safetyNumber, type SafetyNumber } from '../../../shared/crypto/safety-number.ts';
import type { MemberMessage } from '../../../shared/protocol/member-message.ts';
import type { Roster } from '../../../shared/roster.ts';
import { Timeline, type AddChatResult, type TimelineEntry } from '../../../shared/timeline.ts';
import { Outbox } from './outbox.ts';
import type { RoomIdentities, KeyStatus } from './room-identities.ts';
import { rosterChanges } from './roster-changes.ts';

/** What the log needs from the session: a clock, fresh ids, and how long a notice stays. */
export interface RoomLogDeps {
  readonly now: () => number;
  readonly randomId: () => string;
  readonly noticeMs: number;
}

/**
 * One tab's record of a room, apart from the network: the timeline, this person's messages no host has acknowledged
 * yet, and who is who by key (signing what this person writes, naming what others wrote by the key that signed it,
 * warning about keys that changed and messages that fail their check). The session decides when; this decides what.
 */
export class RoomLog {
  readonly timeline = new Timeline();
  readonly #outbox = new Outbox();
  readonly #identities: RoomIdentities;
  readonly #deps: RoomLogDeps;
  #seq = 0;
  /** When the last warning about a forged message was written (they are written at most once per notice). */
  #lastForgeryWarning = -Infinity;

  constructor(identities: RoomIdentities, deps: RoomLogDeps) {
    this.#identities = identities;
    this.#deps = deps;
  }

  /** The timeline as the UI shows it. */
  entries(): readonly TimelineEntry[] {
    return this.timeline.entries();
  }

  /** A system line, now. */
  note(text: string): void {
    this.timeline.addSystem(this.#deps.randomId(), text, this.#deps.now());
  }

  /**
   * Writes one of this person's messages as `selfId`, signed: shown at once, as delivered when this tab hosts (it
   * relays it itself), else pending until a host acknowledges it.
   */
  write(selfId: string, name: string, text: string, hosting: boolean): { outgoing: OutgoingChat; delivered: DeliveredChat } {
    this.#seq += 1;
    const outgoing = this.#identities.sign({
      v: PROTOCOL_VERSION,
      type: 'chat',
      id: this.#deps.randomId(),
      from: selfId,
      seq: this.#seq,
      ts: this.#deps.now(),
      body: { text },
    });
    const delivered: DeliveredChat = { ...outgoing, name };
    this.timeline.addChat(delivered, { own: true, status: hosting ? 'delivered' : 'pending', receivedAt: outgoing.ts });
    if (!hosting) this.#outbox.add(outgoing, this.#deps.now());
    return { outgoing, delivered };
  }

  /** A host acknowledged one of this person's messages; whether anything visible changed. */
  acknowledge(id: string): boolean {
    return this.#outbox.acknowledge(id) && this.timeline.setStatus(id, 'delivered');
  }

  /** This tab became host: what no host acknowledged is in its timeline, which every member gets as history. */
  deliverAllAsHost(): void {
    for (const message of this.#outbox.drain()) this.timeline.setStatus(message.id, 'delivered');
  }

  /** The server gave this tab a new peer id: its unacknowledged messages go out under it. */
  reassign(peerId: string): void {
    this.#outbox.reassign(peerId);
  }

  /** Marks messages unacknowledged for too long as failed; whether anything visible changed. */
  markOverdue(ageMs: number): boolean {
    let changed = false;
    for (const id of this.#outbox.takeOverdue(this.#deps.now(), ageMs)) changed = this.timeline.setStatus(id, 'failed') || changed;
    return changed;
  }

  /**
   * What to send a host that said which recent messages it `have`s: this person's it lacks, and everyone else's signed
   * messages it lacks (their authors may have left before the others got them). What it has counts as acknowledged.
   */
  missingAt(selfId: string, have: ReadonlySet<string>): (OutgoingChat | MemberMessage)[] {
    const recent = this.timeline.recentChats(HISTORY_LIMIT);
    const plan = this.#outbox.planResend(
      recent.filter((message) => message.from === selfId),
      have,
    );
    for (const id of plan.acknowledged) this.timeline.setStatus(id, 'delivered');
    const forwards = recent
      .filter((chat) => chat.from !== selfId && !have.has(messageKey(chat)))
      .map((chat): MemberMessage => ({ type: 'forward', chat }));
    return [...plan.resend, ...forwards];
  }

  /** A new roster: who came and went, and whose keys changed since this browser last saw them. */
  rosterChanged(previous: Roster, next: Roster, selfId: string | null): void {
    for (const line of rosterChanges(previous, next, selfId)) this.note(line);
    for (const name of this.#identities.learn(next)) {
      this.note(
        `${name}'s keys have changed since this browser last saw ${name}. Compare safety numbers (People) before trusting messages from ${name}.`,
      );
    }
  }

  /**
   * Adds a relayed message whose signature checked out: shown under the name its key has in the rosters (or, for a
   * key no roster named, the name it came with, marked unverified), and as one's own when one's key signed it.
   */
  admit(chat: DeliveredChat, asHistory: boolean): AddChatResult {
    const known = this.#identities.nameOf(chat.author);
    const message = known === undefined || known === chat.name ? chat : { ...chat, name: known };
    const own = chat.author === this.#identities.publicText;
    return this.timeline.addChat(message, { receivedAt: this.#deps.now(), own, unverified: known === undefined, asHistory });
  }

  /**
   * A message failed its check: say so, once per notice period (a tampering host may send many). Whether a line was
   * written.
   */
  warnForgery(claimedName: string): boolean {
    const now = this.#deps.now();
    if (now - this.#lastForgeryWarning < this.#deps.noticeMs) return false;
    this.#lastForgeryWarning = now;
    this.note(
      `A message claiming to be from ${claimedName} did not carry a valid signature and was not shown. The host may be altering messages.`,
    );
    return true;
  }

  /** The safety number of this person and the roster member `peerId` (equal on both screens), or null without keys. */
  safetyNumberWith(roster: Roster, peerId: string): SafetyNumber | null {
    const theirs = roster.members.find((member) => member.id === peerId)?.identity;
    const parsed = theirs === undefined ? null : parsePublicIdentity(theirs);
    if (!parsed?.ok) return null;
    return safetyNumber(this.#identities.identity.publicIdentity, parsed.value);
  }

  /** Marks the roster member `peerId`'s current key verified or not; whether there was a key to mark. */
  setVerified(roster: Roster, peerId: string, verified: boolean): boolean {
    const identity = roster.members.find((member) => member.id === peerId)?.identity;
    if (identity === undefined) return false;
    this.#identities.setVerified(identity, verified);
    return true;
  }

  /** How each roster member's keys stand, by peer id. */
  keyStatus(roster: Roster): ReadonlyMap<string, KeyStatus> {
    return new Map(roster.members.map((member) => [member.id, this.#identities.statusOf(member.identity)] as const));
  }
}
