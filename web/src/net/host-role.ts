import { ErrorCode } from '../../../shared/errors.ts';
import {
  HISTORY_LIMIT,
  LINK_FRAME_BURST,
  LINK_FRAMES_PER_SECOND,
  LINK_SYNC_BURST,
  LINK_SYNC_INTERVAL_S,
  MAX_ACK_IDS,
  MAX_LINK_BUFFERED_BYTES,
  OFFER_BURST,
  OFFER_INTERVAL_S,
  TYPING_BURST,
  TYPING_FRAMES_PER_SECOND,
} from '../../../shared/limits.ts';
import { messageKey, type DeliveredChat, type OutgoingChat } from '../../../shared/protocol/envelope.ts';
import type { SignalData } from '../../../shared/protocol/fields.ts';
import type { HostMessage } from '../../../shared/protocol/host-message.ts';
import { parseMemberMessage, type MemberMessage } from '../../../shared/protocol/member-message.ts';
import { FrameThrottle, TokenBucket } from '../../../shared/rate-limit.ts';
import { assertNever } from '../../../shared/result.ts';
import { decideChatRelay, deliveryTargets, mayReceive } from '../../../shared/relay.ts';
import { hasMember, type Roster } from '../../../shared/roster.ts';
import type { DataLink } from './link.ts';
import type { RoleContext } from './role-context.ts';

/** One member's link as the host keeps it, with that link's budgets. */
interface MemberLink {
  readonly peerId: string;
  readonly link: DataLink;
  /** Every frame from the member, whatever its type. */
  readonly frames: FrameThrottle;
  /** `sync` requests, each of which costs the host up to HISTORY_LIMIT frames. */
  readonly syncs: TokenBucket;
  /** `typing` frames, relayed to everyone else: past the budget they are dropped without a word. */
  readonly typing: TokenBucket;
  /** The first refused `sync` of a run is answered; the rest are dropped. */
  syncRefused: boolean;
  /** When the link counts as dead unless the member is heard from. */
  deadline: number;
  /**
   * Chats relayed while the member's first `sync` is unanswered, sent after the history it lacks: a live line that
   * went first would sit above older lines of its author in that history (at most HISTORY_LIMIT; null once answered).
   */
  held: string[] | null;
}

/**
 * The host's side of the star: one link per member, answering their offers; every chat message a member sends is
 * passed through the pure relay decision and delivered to every other member, and acknowledged to its sender.
 * Members are untrusted: every frame is parsed and counted against its link's budget, offers are rationed per member
 * (each costs a peer connection of the tab's ~500), and a member that does not read what it is sent is dropped.
 */
export class HostRole {
  readonly #context: RoleContext;
  readonly #links = new Map<string, MemberLink>();
  /** Offers each member may still make; kept while the member is in the roster, so a re-link cannot reset it. */
  readonly #offers = new Map<string, TokenBucket>();
  readonly #sweep: ReturnType<typeof setInterval>;
  /** Acknowledgements not yet sent, per link; flushed once the current burst of incoming frames is handled. */
  readonly #pendingAcks = new Map<MemberLink, string[]>();

  constructor(context: RoleContext) {
    this.#context = context;
    this.#sweep = setInterval(() => this.#dropSilentLinks(), context.liveness.pingIntervalMs);
  }

  /** Members with an open data channel to this host. */
  openLinks(): string[] {
    return [...this.#links.values()].filter((member) => member.link.isOpen).map((member) => member.peerId);
  }

  /**
   * A signal from a member. An offer starts a new link (replacing an old one: the member re-established it), if the
   * member is in the roster and has an offer left; other offers are dropped without a word (the member's connect
   * timeout and backoff take it from there).
   */
  handleSignal(from: string, data: SignalData): void {
    if (data.type === 'offer') {
      if (!hasMember(this.#context.roster(), from) || !this.#offerBudget(from).take()) return;
      this.#links.get(from)?.link.close();
      this.#createLink(from);
    }
    this.#links.get(from)?.link.signal(data);
  }

  /** Drops the links (and offer budgets) of people who are no longer in the room. */
  updateRoster(roster: Roster): void {
    // A set, not hasMember per link: a join burst brings one roster per join, each as long as the room.
    const present = new Set(roster.members.map((member) => member.id));
    for (const [peerId, member] of this.#links) if (!present.has(peerId)) member.link.close();
    for (const peerId of this.#offers.keys()) if (!present.has(peerId)) this.#offers.delete(peerId);
  }

  /** Delivers this tab's own message to every member (a DM: to its recipient only). */
  broadcastOwn(message: DeliveredChat): void {
    this.#sendToMany(deliveryTargets(message, this.#context.roster().members, this.openLinks(), [this.#context.selfId]), message);
  }

  /** Tells every member that this tab's person started or stopped typing a room message. */
  sendTyping(active: boolean): void {
    this.#sendToMany(this.openLinks(), { type: 'typing', from: this.#context.selfId, active });
  }

  /** Closes every link. */
  close(): void {
    clearInterval(this.#sweep);
    for (const member of [...this.#links.values()]) member.link.close();
    this.#links.clear();
  }

  #offerBudget(peerId: string): TokenBucket {
    let budget = this.#offers.get(peerId);
    if (!budget) {
      budget = new TokenBucket(OFFER_BURST, 1 / OFFER_INTERVAL_S, this.#context.now);
      this.#offers.set(peerId, budget);
    }
    return budget;
  }

  #createLink(peerId: string): void {
    let link: DataLink;
    try {
      link = this.#context.createLink(false);
    } catch (error) {
      this.#context.linkFailed({ code: 'ERR_CREATE_LINK', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const { now } = this.#context;
    const member: MemberLink = {
      peerId,
      link,
      frames: new FrameThrottle(LINK_FRAME_BURST, LINK_FRAMES_PER_SECOND, now),
      syncs: new TokenBucket(LINK_SYNC_BURST, 1 / LINK_SYNC_INTERVAL_S, now),
      typing: new TokenBucket(TYPING_BURST, TYPING_FRAMES_PER_SECOND, now),
      syncRefused: false,
      deadline: now() + this.#context.liveness.connectTimeoutMs,
      held: [],
    };
    this.#links.set(peerId, member);
    this.#context.files?.hostLink(peerId, link);
    link.on('signal', (data) => this.#context.sendSignal(peerId, data));
    link.on('open', () => {
      this.#heard(member);
      this.#context.changed();
    });
    link.on('message', (raw) => {
      this.#heard(member);
      this.#onMessage(member, raw);
    });
    // A failed link closes next; the member re-offers. Nothing to tell the person hosting.
    link.on('error', () => undefined);
    link.on('close', () => {
      this.#pendingAcks.delete(member);
      if (this.#links.get(peerId) === member) this.#links.delete(peerId);
      this.#context.changed();
    });
  }

  #onMessage(member: MemberLink, raw: string): void {
    switch (member.frames.judge(1)) {
      case 'pass':
        break;
      case 'warn':
        return this.#send(member, { type: 'reject', code: ErrorCode.RateLimited, message: 'too many frames: slow down' });
      case 'drop':
        return;
      case 'cut':
        return member.link.close();
      default:
        return;
    }
    const parsed = parseMemberMessage(raw);
    if (!parsed.ok) {
      this.#send(member, { type: 'reject', code: parsed.error.code, message: parsed.error.message });
      return;
    }
    this.#handle(member, parsed.value);
  }

  #handle(member: MemberLink, message: MemberMessage): void {
    switch (message.type) {
      case 'chat':
        return this.#relayChat(member, message);
      case 'forward':
        return this.#relayChat(member, message.chat, message.chat.name);
      case 'ping':
        return this.#send(member, { type: 'pong', ts: message.ts });
      case 'sync':
        return this.#answerSync(member, new Set(message.have));
      case 'typing':
        return this.#relayTyping(member, message.active);
      default:
        assertNever(message);
    }
  }

  /** Relays a member's own message, or (with the name it was delivered under) someone else's it hands on. */
  #relayChat(member: MemberLink, message: OutgoingChat, forwardedName?: string): void {
    const { members } = this.#context.roster();
    const decision = decideChatRelay({
      linkPeerId: member.peerId,
      author: members.find((entry) => entry.id === message.from),
      linkedPeers: this.openLinks(),
      members,
      message,
      signature: this.#context.verifier.check(message),
      forwardedName,
    });
    if (!decision.ok) {
      this.#send(member, { type: 'reject', code: decision.error.code, message: decision.error.message });
      return;
    }
    const { delivered, recipients, acknowledge } = decision.value;
    switch (this.#context.admit(delivered, { asHistory: false, hold: true, handedOn: forwardedName !== undefined })) {
      case 'added':
        this.#sendToMany(recipients, delivered);
        this.#context.typing?.spoke(delivered.from);
        this.#context.changed();
        break;
      case 'unreadable':
        this.#send(member, { type: 'reject', code: ErrorCode.BadMessage, message: 'the message does not open' });
        this.#context.changed();
        return;
      case 'duplicate':
        // A re-send of a message this host already relayed is only acknowledged: every linked member has it.
        break;
      case 'seq-taken':
        this.#send(member, { type: 'reject', code: ErrorCode.BadMessage, message: 'seq is already used by another message of its author' });
        return;
      default:
        return;
    }
    if (acknowledge !== null) this.#queueAck(member, acknowledge);
  }

  #queueAck(member: MemberLink, id: string): void {
    const pending = this.#pendingAcks.get(member);
    if (pending) {
      pending.push(id);
      if (pending.length >= MAX_ACK_IDS) this.#flushAcks();
      return;
    }
    this.#pendingAcks.set(member, [id]);
    if (this.#pendingAcks.size === 1) setTimeout(() => this.#flushAcks(), 0);
  }

  #flushAcks(): void {
    for (const [member, ids] of this.#pendingAcks) this.#send(member, { type: 'ack', ids });
    this.#pendingAcks.clear();
  }

  /**
   * A member's typing goes to every other member as a new frame, `from` stamped with the member's link; nothing of it
   * is kept beyond the "is typing" line (not in history, not in `sync`).
   */
  #relayTyping(member: MemberLink, active: boolean): void {
    if (!member.typing.take() || !hasMember(this.#context.roster(), member.peerId)) return;
    const others = this.openLinks().filter((peerId) => peerId !== member.peerId);
    this.#sendToMany(others, { type: 'typing', from: member.peerId, active });
    this.#context.typing?.heard(member.peerId, active);
  }

  /**
   * A new link gets the recent history it lacks, oldest first, then the list of what this host holds: of direct
   * messages, only those the member wrote or receives (by the key the roster gives it).
   */
  #answerSync(member: MemberLink, have: ReadonlySet<string>): void {
    if (!member.syncs.take()) {
      if (!member.syncRefused) this.#send(member, { type: 'reject', code: ErrorCode.RateLimited, message: 'too many sync requests' });
      member.syncRefused = true;
      return;
    }
    member.syncRefused = false;
    const identity = this.#context.roster().members.find((entry) => entry.id === member.peerId)?.identity;
    const recent = this.#context.timeline.recentChats(HISTORY_LIMIT).filter((message) => mayReceive(message, identity));
    for (const message of recent) if (!have.has(messageKey(message))) this.#send(member, message);
    this.#send(member, { type: 'sync', have: recent.map(messageKey) });
    this.#release(member);
  }

  /** Sends the chats held for `member` (its history went first) and holds no more. */
  #release(member: MemberLink): void {
    const held = member.held;
    member.held = null;
    for (const frame of held ?? []) this.#sendFrame(member, frame);
  }

  #heard(member: MemberLink): void {
    member.deadline = this.#context.now() + this.#context.liveness.silenceTimeoutMs;
  }

  #dropSilentLinks(): void {
    const now = this.#context.now();
    for (const member of [...this.#links.values()]) if (member.deadline < now) member.link.close();
  }

  #sendToMany(peerIds: readonly string[], message: HostMessage): void {
    const frame = JSON.stringify(message);
    for (const peerId of peerIds) {
      const member = this.#links.get(peerId);
      if (!member) continue;
      if (message.type !== 'chat' || member.held === null) this.#sendFrame(member, frame);
      else if (member.held.push(frame) > HISTORY_LIMIT) this.#release(member);
    }
  }

  #send(member: MemberLink, message: HostMessage): void {
    this.#sendFrame(member, JSON.stringify(message));
  }

  /** A member whose queue is past the bound does not read: it is dropped (it re-links) rather than buffered. */
  #sendFrame(member: MemberLink, frame: string): void {
    if (member.link.bufferedAmount > MAX_LINK_BUFFERED_BYTES) {
      member.link.close();
      return;
    }
    member.link.send(frame);
  }
}
