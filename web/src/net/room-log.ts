import { HISTORY_LIMIT, PROTOCOL_VERSION } from '../../../shared/limits.ts';
import { isDirectBody, messageKey, type ChatBody, type DeliveredChat, type FileDescription, type OutgoingChat } from '../../../shared/protocol/envelope.ts';
import type { OpenedFile } from '../../../shared/files/sealed-file.ts';
import type { MessageHeader } from '../../../shared/crypto/signing.ts';
import { parsePublicIdentity } from '../../../shared/crypto/identity.ts';
import { safetyNumber, type SafetyNumber } from '../../../shared/crypto/safety-number.ts';
import type { MemberMessage } from '../../../shared/protocol/member-message.ts';
import type { Roster } from '../../../shared/roster.ts';
import type { SystemNote } from '../../../shared/system-note.ts';
import { ok, type Result } from '../../../shared/result.ts';
import { Timeline, type AddChatResult, type TimelineEntry } from '../../../shared/timeline.ts';
import type { MessageSealing } from './message-sealing.ts';
import { Outbox } from './outbox.ts';
import type { RoomIdentities, KeyStatus } from './room-identities.ts';
import { rosterChanges } from './roster-changes.ts';
import type { DirectTarget, SessionError } from './session-types.ts';

/** What the log needs from the session: a clock, fresh ids, and how long a notice stays. */
export interface RoomLogDeps {
  readonly now: () => number;
  readonly randomId: () => string;
  readonly noticeMs: number;
}

/** What became of a relayed chat: see AddChatResult; `unreadable` when it did not open (the person was warned). */
export type AdmitResult = AddChatResult | 'unreadable';

/** How a relayed chat is admitted. */
export interface AdmitOptions {
  /** Placed at the end whatever its seq (history a host hands over keeps the host's order). */
  readonly asHistory: boolean;
  /** Hosting: a DM between others is held (sealed, never shown) to be handed on, not refused. */
  readonly hold: boolean;
  /** Hosting: a member handed on someone else's message (one the previous host relayed), not its author. */
  readonly handedOn?: boolean;
}

/** A message this person wrote, as sent and as shown. */
export interface Written {
  readonly outgoing: OutgoingChat;
  readonly delivered: DeliveredChat;
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
  readonly #sealing: MessageSealing;
  readonly #deps: RoomLogDeps;
  #seq = 0;
  /** When the last warning about a forged message was written (they are written at most once per notice). */
  #lastForgeryWarning = -Infinity;
  /** The lines last shown, and the timeline revision they show. */
  #shown: { readonly revision: number; readonly entries: readonly TimelineEntry[] } | null = null;

  constructor(identities: RoomIdentities, sealing: MessageSealing, deps: RoomLogDeps) {
    this.#identities = identities;
    this.#sealing = sealing;
    this.#deps = deps;
  }

  /**
   * The timeline as the UI shows it: without the DMs between others this tab holds as a host. The same array while
   * the timeline is unchanged, so a change elsewhere (a roster, a file's progress) copies no lines and the log can
   * tell by identity that it has nothing to draw; without held lines, the timeline's own snapshot as it is.
   */
  entries(): readonly TimelineEntry[] {
    const { timeline } = this;
    if (this.#shown?.revision === timeline.revision) return this.#shown.entries;
    const all = timeline.entries();
    const entries = timeline.holdsAny ? all.filter((entry) => entry.kind !== 'chat' || !entry.held) : all;
    this.#shown = { revision: timeline.revision, entries };
    return entries;
  }

  /** A system line, now. */
  note(note: SystemNote): void {
    this.timeline.addSystem(this.#deps.randomId(), note, this.#deps.now());
  }

  /**
   * Writes one of this person's messages as `selfId`, signed (and sealed: for `direct`'s eyes only, or with the room
   * key in a private room): shown at once, as delivered when this tab hosts (it relays it itself), else pending until
   * a host acknowledges it. An error when `direct`'s key cannot be sealed for.
   */
  write(selfId: string, name: string, content: string | { readonly file: FileDescription }, hosting: boolean, direct?: DirectTarget): Result<Written, SessionError> {
    const text = typeof content === 'string' ? content : content.file.name;
    const unsigned = { v: PROTOCOL_VERSION, type: 'chat', id: this.#deps.randomId(), from: selfId, seq: this.#seq + 1, ts: this.#deps.now() } as const;
    const header = { ...unsigned, room: this.#identities.room, author: this.#identities.identity.publicIdentity };
    const sealed = this.#body(header, content, direct);
    if (!sealed.ok) return sealed;
    this.#seq += 1;
    const outgoing = this.#identities.sign({ ...unsigned, body: sealed.value.body });
    const delivered: DeliveredChat = { ...outgoing, name };
    const status = hosting ? 'delivered' : 'pending';
    const shown = { text, direct: direct && { toName: direct.name }, file: sealed.value.file };
    this.timeline.addChat(delivered, { own: true, status, receivedAt: outgoing.ts, ...shown });
    if (!hosting) this.#outbox.add(outgoing, this.#deps.now());
    return ok({ outgoing, delivered });
  }

  /** The body of one of this person's messages, and for a file the file as its timeline entry keeps it. */
  #body(header: MessageHeader, content: string | { readonly file: FileDescription }, direct: DirectTarget | undefined): Result<{ body: ChatBody; file?: OpenedFile }, SessionError> {
    if (typeof content !== 'string') {
      const file = this.#sealing.fileBody(header, content.file, direct);
      return file.ok ? ok({ body: file.value.body, file: { description: content.file, key: file.value.key } }) : file;
    }
    const body = direct === undefined ? ok(this.#sealing.roomBody(header, content)) : this.#sealing.directBody(header, direct.peerId, direct.identity, content);
    return body.ok ? ok({ body: body.value }) : body;
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
   * messages it lacks (their authors may have left before the others got them). What it has of this person's counts as
   * acknowledged: `acknowledged` are the ids of those not acknowledged before.
   */
  missingAt(selfId: string, have: ReadonlySet<string>): { send: (OutgoingChat | MemberMessage)[]; acknowledged: readonly string[] } {
    const recent = this.timeline.recentChats(HISTORY_LIMIT);
    const plan = this.#outbox.planResend(
      recent.filter((message) => message.from === selfId),
      have,
    );
    for (const id of plan.acknowledged) this.timeline.setStatus(id, 'delivered');
    const forwards = recent
      .filter((chat) => chat.from !== selfId && !have.has(messageKey(chat)))
      .map((chat): MemberMessage => ({ type: 'forward', chat }));
    return { send: [...plan.resend, ...forwards], acknowledged: plan.acknowledged };
  }

  /** A new roster: who came and went, and whose keys changed since this browser last saw them. */
  rosterChanged(previous: Roster, next: Roster, selfId: string | null): void {
    for (const note of rosterChanges(previous, next, selfId)) this.note(note);
    for (const name of this.#identities.learn(next)) this.note({ kind: 'key-changed', name });
  }

  /**
   * Adds a relayed message whose signature checked out, opened when sealed: shown under the name its key has in the
   * rosters (or, for a key no roster named, the name it came with, marked unverified), and as one's own when one's
   * key signed it. A message that does not open is not shown and the person is warned; a DM between others is held
   * unread when hosting, else refused the same way.
   */
  admit(chat: DeliveredChat, options: AdmitOptions): AdmitResult {
    if (this.timeline.hasChat(messageKey(chat))) return 'duplicate';
    const known = this.#identities.nameOf(chat.author);
    const parts = this.#identities.verifier.read(chat);
    const opened = parts.ok ? this.#sealing.open(parts.value) : null;
    const held = opened?.ok === false && opened.error.code === 'ERR_NOT_A_PARTY' && options.hold;
    if (!opened?.ok && !held) {
      this.warnForgery(known ?? chat.name, options.hold ? 'refused' : 'unreadable');
      return 'unreadable';
    }
    const message = known === undefined || known === chat.name ? chat : { ...chat, name: known };
    return this.timeline.addChat(message, {
      receivedAt: this.#deps.now(),
      own: chat.author === this.#identities.publicText,
      unverified: known === undefined,
      asHistory: options.asHistory,
      text: opened?.ok ? opened.value.text : '',
      direct: isDirectBody(chat.body) ? { toName: this.#identities.nameOf(chat.body.recipient) ?? 'someone' } : undefined,
      file: opened?.ok ? opened.value.file : undefined,
      held,
    });
  }

  /**
   * A message failed its check (its signature, or it did not open): say so, once per notice period (a tampering host
   * may send many). Whether a line was written.
   */
  warnForgery(claimedName: string, why: 'forged' | 'unreadable' | 'refused' = 'forged'): boolean {
    const now = this.#deps.now();
    if (now - this.#lastForgeryWarning < this.#deps.noticeMs) return false;
    this.#lastForgeryWarning = now;
    this.note({ kind: why, name: claimedName });
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
