import { HISTORY_LIMIT, LINK_FRAME_BURST, LINK_FRAMES_PER_SECOND, MAX_NAME_LENGTH } from '../../../shared/limits.ts';
import type { DeliveredChat, OutgoingChat } from '../../../shared/protocol/envelope.ts';
import type { SignalData } from '../../../shared/protocol/fields.ts';
import { parseHostMessage, type HostMessage } from '../../../shared/protocol/host-message.ts';
import type { MemberMessage } from '../../../shared/protocol/member-message.ts';
import { FrameThrottle } from '../../../shared/rate-limit.ts';
import { assertNever } from '../../../shared/result.ts';
import type { DataLink, LinkError } from './link.ts';
import type { RoleContext } from './role-context.ts';

/** What a member role reports back to its room session. */
export interface MemberRoleEvents {
  /** The host said which recent messages it holds: time to (re)send ours that it lacks. */
  onHostSync(have: ReadonlySet<string>): void;
  /** The host acknowledged one of this tab's messages. */
  onAck(id: string): void;
  /** The host refused one of this tab's frames. */
  onReject(code: string, message: string): void;
  /** The link to the host is gone. */
  onClose(): void;
  /** Nothing came from the host for the silence timeout; the link is being closed. */
  onSilent(): void;
  /** The link failed (`close` follows). */
  onLinkError(error: LinkError): void;
  /** The host relayed a message whose signature does not check out (it claimed to be from `claimedName`). */
  onForgery(claimedName: string): void;
}

/**
 * A member's side of the star: one link to the host, offered by the member. It pings the host and gives up on a
 * link that stays silent, which is how a crashed host or a lost network is noticed in seconds. The host is untrusted
 * too: its frames are parsed and budgeted, and a chat is shown only if its author signed it, under the name the
 * rosters gave the author's key. The constructor throws when no link can be made (the session retries).
 */
export class MemberRole {
  readonly hostId: string;
  readonly #context: RoleContext;
  readonly #events: MemberRoleEvents;
  readonly #link: DataLink;
  /** The host's frames, budgeted like a member's at the host, scaled by the room (the host relays everyone). */
  readonly #frames: FrameThrottle;
  /** When the link counts as dead unless something is heard from the host. */
  #deadline: number;
  readonly #heartbeat: ReturnType<typeof setInterval>;
  /** Until the host's `sync` arrives, the chats it sends are the history this tab lacked, in the host's order. */
  #inHistory = true;

  constructor(context: RoleContext, hostId: string, events: MemberRoleEvents) {
    this.hostId = hostId;
    this.#context = context;
    this.#events = events;
    this.#link = context.createLink(true);
    this.#frames = new FrameThrottle(LINK_FRAME_BURST, LINK_FRAMES_PER_SECOND, context.now);
    this.#deadline = context.now() + context.liveness.connectTimeoutMs;
    this.#heartbeat = setInterval(() => this.#beat(), context.liveness.pingIntervalMs);
    context.files?.memberLink(this.#link);
    this.#link.on('signal', (data) => context.sendSignal(hostId, data));
    this.#link.on('open', () => {
      this.#heard();
      this.send({ type: 'sync', have: context.timeline.recentKeys(HISTORY_LIMIT) });
      context.changed();
    });
    this.#link.on('message', (raw) => {
      this.#heard();
      this.#onMessage(raw);
    });
    this.#link.on('error', (error) => events.onLinkError(error));
    this.#link.on('close', () => {
      clearInterval(this.#heartbeat);
      events.onClose();
    });
  }

  /** Whether the data channel to the host is open. */
  get isOpen(): boolean {
    return this.#link.isOpen;
  }

  /** A signal from the host. */
  handleSignal(from: string, data: SignalData): void {
    if (from === this.hostId) this.#link.signal(data);
  }

  /** Sends one of this tab's messages; false when the link is not open (the caller keeps it for later). */
  send(message: OutgoingChat | MemberMessage): boolean {
    return this.#link.send(JSON.stringify(message));
  }

  /** Tells the host that this person started or stopped typing a room message (nothing when the link is down). */
  sendTyping(active: boolean): void {
    if (this.#link.isOpen) this.send({ type: 'typing', active });
  }

  /** Closes the link to the host. */
  close(): void {
    clearInterval(this.#heartbeat);
    this.#link.close();
  }

  #heard(): void {
    this.#deadline = this.#context.now() + this.#context.liveness.silenceTimeoutMs;
  }

  #beat(): void {
    const now = this.#context.now();
    if (now > this.#deadline) {
      this.#events.onSilent();
      this.close();
      return;
    }
    if (this.#link.isOpen) this.send({ type: 'ping', ts: now });
  }

  #onMessage(raw: string): void {
    const verdict = this.#frames.judge(Math.max(1, this.#context.roster().members.length));
    if (verdict === 'cut') return this.close();
    if (verdict !== 'pass') return;
    const parsed = parseHostMessage(raw);
    // A frame this tab cannot read is dropped: answering a host's garbage would only add to it. A chat among them
    // (one whose signature was taken off, say) is a message somebody may have written: the person is warned.
    if (!parsed.ok) {
      const claimed = claimedChat(raw);
      if (claimed !== null) this.#events.onForgery(this.#nameOf(claimed.from) ?? claimed.name ?? 'someone');
      return;
    }
    this.#handle(parsed.value);
  }

  /**
   * Adds a relayed message if its author signed it as it stands; its name comes from the key, not from the host.
   * A message whose author is in the roster must carry that member's key.
   */
  #receiveChat(message: DeliveredChat): void {
    const rosterKey = this.#context.roster().members.find((member) => member.id === message.from)?.identity;
    const signed = this.#context.verifier.check(message);
    if (!signed.ok || (rosterKey !== undefined && rosterKey !== message.author)) {
      this.#events.onForgery(this.#nameOf(message.from) ?? message.name);
      return;
    }
    const admitted = this.#context.admit(message, { asHistory: this.#inHistory, hold: false });
    if (admitted === 'added') this.#context.typing?.spoke(message.from);
    if (admitted === 'added' || admitted === 'unreadable') this.#context.changed();
  }

  /** The roster's name for a peer id. */
  #nameOf(peerId: string | undefined): string | undefined {
    return this.#context.roster().members.find((member) => member.id === peerId)?.name;
  }

  #handle(message: HostMessage): void {
    switch (message.type) {
      case 'chat':
        return this.#receiveChat(message);
      case 'ack':
        for (const id of message.ids) this.#events.onAck(id);
        return;
      case 'reject':
        return this.#events.onReject(message.code, message.message);
      case 'sync':
        this.#inHistory = false;
        return this.#events.onHostSync(new Set(message.have));
      case 'pong':
        return;
      case 'typing':
        // Only about someone else in the roster: the host relays, it does not speak for people who are not here.
        if (message.from !== this.#context.selfId && this.#nameOf(message.from) !== undefined) this.#context.typing?.heard(message.from, message.active);
        return;
      default:
        assertNever(message);
    }
  }
}

/** What a frame that failed to parse claims, if it claims to be a chat: its `from` and `name`, when they are text. */
function claimedChat(raw: string): { from: string | undefined; name: string | undefined } | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'chat') return null;
  const { from, name } = value as { from?: unknown; name?: unknown };
  const text = (field: unknown): string | undefined =>
    typeof field === 'string' && field.length > 0 && field.length <= MAX_NAME_LENGTH ? field : undefined;
  return { from: text(from), name: text(name) };
}
