import { ErrorCode } from '../../../shared/errors.ts';
import { HISTORY_LIMIT } from '../../../shared/limits.ts';
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
  /** Peer connections this role has created, for the browser's lifetime limit (about 500 per tab in Chrome). */
  #linksCreated = 0;

  constructor(context: RoleContext) {
    this.#context = context;
  }

  /** How many peer connections this host has made so far. */
  get linksCreated(): number {
    return this.#linksCreated;
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
    for (const link of [...this.#links.values()]) link.close();
    this.#links.clear();
  }

  #createLink(peerId: string): PeerLink {
    const link = this.#context.createLink(false);
    this.#linksCreated += 1;
    this.#links.set(peerId, link);
    link.on('signal', (data) => this.#context.sendSignal(peerId, data));
    link.on('open', () => {
      // A late joiner (or a member after a host change) gets the recent history; receivers drop what they have.
      for (const message of this.#context.timeline.recentChats(HISTORY_LIMIT)) this.#send(link, message);
      this.#context.changed();
    });
    link.on('message', (raw) => this.#onMessage(peerId, link, raw));
    link.on('close', () => {
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
    const { delivered, recipients, ack } = decision.value;
    this.#sendToMany(recipients, delivered);
    this.#send(link, ack);
    if (this.#context.timeline.addChat(delivered)) this.#context.changed();
  }

  #sendToMany(peerIds: readonly string[], message: HostMessage): void {
    const frame = JSON.stringify(message);
    for (const peerId of peerIds) this.#links.get(peerId)?.send(frame);
  }

  #send(link: PeerLink, message: HostMessage): void {
    link.send(JSON.stringify(message));
  }
}
