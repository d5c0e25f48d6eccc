import { ErrorCode } from '../../../shared/errors.ts';
import { HISTORY_LIMIT, MAX_ACK_IDS } from '../../../shared/limits.ts';
import type { DeliveredChat } from '../../../shared/protocol/envelope.ts';
import type { SignalData } from '../../../shared/protocol/fields.ts';
import type { HostMessage } from '../../../shared/protocol/host-message.ts';
import { parseMemberMessage, type MemberMessage } from '../../../shared/protocol/member-message.ts';
import { assertNever } from '../../../shared/result.ts';
import { decideChatRelay } from '../../../shared/relay.ts';
import { hasMember, memberName, type Roster } from '../../../shared/roster.ts';
import type { PeerLink } from './peer-link.ts';
import type { RoleContext } from './role-context.ts';

/**
 * The host's side of the star: one link per member, answering their offers; every chat message a member sends is
 * passed through the pure relay decision and delivered to every other member, and acknowledged to its sender.
 */
export class HostRole {
  readonly #context: RoleContext;
  readonly #links = new Map<string, PeerLink>();
  /** When each link counts as dead unless its member is heard from: links that never open or go silent are dropped. */
  readonly #deadlines = new Map<PeerLink, number>();
  readonly #sweep: ReturnType<typeof setInterval>;
  /** Acknowledgements not yet sent, per link; flushed once the current burst of incoming frames is handled. */
  readonly #pendingAcks = new Map<PeerLink, string[]>();

  constructor(context: RoleContext) {
    this.#context = context;
    this.#sweep = setInterval(() => this.#dropSilentLinks(), context.liveness.pingIntervalMs);
  }

  /** Members with an open data channel to this host. */
  openLinks(): string[] {
    return [...this.#links].filter(([, link]) => link.isOpen).map(([peerId]) => peerId);
  }

  /** A signal from a member. An offer starts a new link (replacing an old one: the member re-established it). */
  handleSignal(from: string, data: SignalData): void {
    let link = this.#links.get(from);
    if (data.type === 'offer') {
      if (!hasMember(this.#context.roster(), from)) return;
      link?.close();
      link = this.#createLink(from);
    }
    link?.signal(data);
  }

  /** Drops the links of people who are no longer in the room. */
  updateRoster(roster: Roster): void {
    for (const [peerId, link] of this.#links) {
      if (!hasMember(roster, peerId)) link.close();
    }
  }

  /** Delivers this tab's own message to every member. */
  broadcastOwn(message: DeliveredChat): void {
    this.#sendToMany(this.openLinks(), message);
  }

  /** Closes every link. */
  close(): void {
    clearInterval(this.#sweep);
    for (const link of [...this.#links.values()]) link.close();
    this.#links.clear();
  }

  #createLink(peerId: string): PeerLink {
    const link = this.#context.createLink(false);
    this.#links.set(peerId, link);
    this.#deadlines.set(link, this.#context.now() + this.#context.liveness.connectTimeoutMs);
    link.on('signal', (data) => this.#context.sendSignal(peerId, data));
    link.on('open', () => {
      this.#heard(link);
      this.#context.changed();
    });
    link.on('message', (raw) => {
      this.#heard(link);
      this.#onMessage(peerId, link, raw);
    });
    link.on('close', () => {
      this.#deadlines.delete(link);
      if (this.#links.get(peerId) === link) this.#links.delete(peerId);
      this.#context.changed();
    });
    return link;
  }

  #onMessage(peerId: string, link: PeerLink, raw: string): void {
    const parsed = parseMemberMessage(raw);
    if (!parsed.ok) {
      this.#send(link, { type: 'reject', code: parsed.error.code, message: parsed.error.message });
      return;
    }
    this.#handle(peerId, link, parsed.value);
  }

  #handle(peerId: string, link: PeerLink, message: MemberMessage): void {
    switch (message.type) {
      case 'chat':
        return this.#relayChat(peerId, link, message);
      case 'ping':
        return this.#send(link, { type: 'pong', ts: message.ts });
      case 'sync':
        return this.#answerSync(link, new Set(message.have));
      default:
        assertNever(message);
    }
  }

  #relayChat(peerId: string, link: PeerLink, message: Extract<MemberMessage, { type: 'chat' }>): void {
    const decision = decideChatRelay({
      linkPeerId: peerId,
      senderName: memberName(this.#context.roster(), peerId),
      linkedPeers: this.openLinks(),
      message,
    });
    if (!decision.ok) {
      this.#send(link, { type: 'reject', code: decision.error.code ?? ErrorCode.BadMessage, message: decision.error.message });
      return;
    }
    const { delivered, recipients, acknowledge } = decision.value;
    // A re-send of a message this host already relayed is only acknowledged: every linked member has it.
    if (this.#context.timeline.addChat(delivered)) {
      this.#sendToMany(recipients, delivered);
      this.#context.changed();
    }
    this.#queueAck(link, acknowledge);
  }

  #queueAck(link: PeerLink, id: string): void {
    const pending = this.#pendingAcks.get(link);
    if (pending) {
      pending.push(id);
      if (pending.length >= MAX_ACK_IDS) this.#flushAcks();
      return;
    }
    this.#pendingAcks.set(link, [id]);
    if (this.#pendingAcks.size === 1) setTimeout(() => this.#flushAcks(), 0);
  }

  #flushAcks(): void {
    for (const [link, ids] of this.#pendingAcks) this.#send(link, { type: 'ack', ids });
    this.#pendingAcks.clear();
  }

  /** A new link gets the recent history it lacks, oldest first, then the list of what this host holds. */
  #answerSync(link: PeerLink, have: ReadonlySet<string>): void {
    const recent = this.#context.timeline.recentChats(HISTORY_LIMIT);
    for (const message of recent) if (!have.has(message.id)) this.#send(link, message);
    this.#send(link, { type: 'sync', have: recent.map((message) => message.id) });
  }

  #heard(link: PeerLink): void {
    this.#deadlines.set(link, this.#context.now() + this.#context.liveness.silenceTimeoutMs);
  }

  #dropSilentLinks(): void {
    const now = this.#context.now();
    for (const [link, deadline] of this.#deadlines) if (deadline < now) link.close();
  }

  #sendToMany(peerIds: readonly string[], message: HostMessage): void {
    const frame = JSON.stringify(message);
    for (const peerId of peerIds) this.#links.get(peerId)?.send(frame);
  }

  #send(link: PeerLink, message: HostMessage): void {
    link.send(JSON.stringify(message));
  }
}
