import { backoffDelay } from '../../../shared/backoff.ts';
import { CloseCode } from '../../../shared/errors.ts';
import { defaultLiveness, type LivenessPolicy } from '../../../shared/liveness.ts';
import { HISTORY_LIMIT, MAX_TEXT_LENGTH, PROTOCOL_VERSION } from '../../../shared/limits.ts';
import { messageKey, type DeliveredChat, type OutgoingChat } from '../../../shared/protocol/envelope.ts';
import type { IceServer, SignalData } from '../../../shared/protocol/fields.ts';
import type { RosterMessage, ServerMessage, WelcomeMessage } from '../../../shared/protocol/server-message.ts';
import { assertNever, err, ok, type Result } from '../../../shared/result.ts';
import { emptyRoster, type Roster } from '../../../shared/roster.ts';
import { generateIdentity, parsePublicIdentity } from '../../../shared/crypto/identity.ts';
import { systemRandom } from '../../../shared/crypto/random.ts';
import { safetyNumber, type SafetyNumber } from '../../../shared/crypto/safety-number.ts';
import { Timeline, type AddChatResult } from '../../../shared/timeline.ts';
import { Emitter } from './emitter.ts';
import type {
  RoomSessionDeps,
  RoomSessionEvents,
  RoomSessionOptions,
  SessionError,
  SessionPhase,
  SessionSnapshot,
} from './session-types.ts';
import { HostRole } from './host-role.ts';
import { MemberRole } from './member-role.ts';
import { Outbox } from './outbox.ts';
import type { DataLink, LinkError } from './link.ts';
import { createPeerLink } from './peer-link.ts';
import type { RoleContext } from './role-context.ts';
import { RoomIdentities, type KeyStatus } from './room-identities.ts';
import { rosterChanges } from './roster-changes.ts';
import { MemoryTrustStore } from './trust-store.ts';
import { SignalingClient } from './signaling-client.ts';

/** Link failures in a row that pass without a word (a host that just left); the next one is shown. */
const MAX_QUIET_LINK_FAILURES = 3;

/**
 * One person in one room: the signaling socket (re-established with backoff when it drops, resuming the same peer
 * id), the role this tab plays (host or member, as the roster says), the timeline, and this tab's messages that no
 * host has acknowledged yet.
 */
export class RoomSession extends Emitter<RoomSessionEvents> {
  readonly #options: RoomSessionOptions;
  readonly #deps: RoomSessionDeps;
  readonly #liveness: LivenessPolicy;
  readonly #timeline = new Timeline();
  readonly #outbox = new Outbox();
  readonly #identities: RoomIdentities;
  /** When the last warning about a forged message was written (they are written at most once per notice). */
  #lastForgeryWarning = -Infinity;
  #signaling: SignalingClient | null = null;
  #welcome: WelcomeMessage | null = null;
  #phase: SessionPhase = 'connecting';
  #roster: Roster = emptyRoster;
  #role: HostRole | MemberRole | null = null;
  #error: SessionError | null = null;
  #seq = 0;
  #reconnectAttempt = 0;
  #relinkAttempt = 0;
  #peerConnections = 0;
  #handoverRequested = false;
  /** Links to a host that failed or could not be made in a row; reset when a host answers a sync. */
  #linkFailures = 0;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #overdueCheck: ReturnType<typeof setInterval> | undefined;
  #joined: { resolve: () => void; reject: (error: SessionError) => void } | null = null;

  constructor(options: RoomSessionOptions, deps: RoomSessionDeps) {
    super();
    this.#options = options;
    this.#deps = deps;
    this.#liveness = deps.liveness ?? defaultLiveness;
    const identity = deps.identity ?? generateIdentity(systemRandom);
    this.#identities = new RoomIdentities(identity, options.room, deps.trust ?? new MemoryTrustStore());
  }

  /** The current state. */
  snapshot(): SessionSnapshot {
    const role = this.#role;
    return {
      phase: this.#phase,
      room: this.#options.room,
      name: this.#options.name,
      selfId: this.#welcome?.peerId ?? null,
      roster: this.#roster,
      role: role instanceof HostRole ? 'host' : role instanceof MemberRole ? 'member' : null,
      linkedToHost: role instanceof HostRole || (role instanceof MemberRole && role.isOpen),
      timeline: this.#timeline.entries(),
      error: this.#error,
      shareUrl: this.#welcome?.shareUrl,
      identity: this.#identities.publicText,
      keyStatus: new Map(this.#roster.members.map((member) => [member.id, this.#identities.statusOf(member.identity)] as const)),
    };
  }

  /** The safety number of this person and the member `peerId` (equal on both screens), or null without keys. */
  safetyNumberWith(peerId: string): SafetyNumber | null {
    const theirs = this.#roster.members.find((member) => member.id === peerId)?.identity;
    const parsed = theirs === undefined ? null : parsePublicIdentity(theirs);
    if (!parsed?.ok) return null;
    return safetyNumber(this.#identities.identity.publicIdentity, parsed.value);
  }

  /** Marks the member `peerId`'s current key verified (the person compared safety numbers) or not. */
  setVerified(peerId: string, verified: boolean): void {
    const identity = this.#roster.members.find((member) => member.id === peerId)?.identity;
    if (identity === undefined) return;
    this.#identities.setVerified(identity, verified);
    this.#changed();
  }

  /** Peer connections this tab has made in this session (Chrome allows about 500 per tab over its lifetime). */
  get peerConnections(): number {
    return this.#peerConnections;
  }

  /** Connects and joins; resolves once the server has admitted this person, rejects with the server's reason. */
  join(): Promise<void> {
    if (this.#signaling) throw new Error('join() was already called');
    return new Promise((resolve, reject) => {
      this.#joined = { resolve, reject };
      this.#overdueCheck = setInterval(() => this.#markOverdue(), 1000);
      this.#connect();
    });
  }

  /**
   * Sends a chat message from this person. Refuses empty or over-long text and sending outside a room. While the
   * host is out of reach the message waits, marked pending, and goes out on the next link to a host.
   */
  send(text: string): Result<DeliveredChat, SessionError> {
    const selfId = this.#welcome?.peerId;
    if ((this.#phase !== 'connected' && this.#phase !== 'reconnecting') || selfId === undefined) {
      return err({ code: 'ERR_NOT_CONNECTED', message: 'not connected to the room' });
    }
    if (text.trim().length === 0) return err({ code: 'ERR_EMPTY', message: 'the message is empty' });
    if (text.length > MAX_TEXT_LENGTH) {
      return err({ code: 'ERR_TOO_LONG', message: `messages are limited to ${MAX_TEXT_LENGTH} characters` });
    }
    this.#seq += 1;
    const outgoing: OutgoingChat = this.#identities.sign({
      v: PROTOCOL_VERSION,
      type: 'chat',
      id: this.#deps.randomId(),
      from: selfId,
      seq: this.#seq,
      ts: this.#deps.now(),
      body: { text },
    });
    const delivered: DeliveredChat = { ...outgoing, name: this.#options.name };
    const receivedAt = outgoing.ts;
    if (this.#role instanceof HostRole) {
      this.#timeline.addChat(delivered, { own: true, status: 'delivered', receivedAt });
      this.#role.broadcastOwn(delivered);
    } else {
      this.#timeline.addChat(delivered, { own: true, status: 'pending', receivedAt });
      this.#outbox.add(outgoing, this.#deps.now());
      this.#role?.send(outgoing);
    }
    this.#changed();
    return ok(delivered);
  }

  /** Leaves the room for good: tells the server, closes the links and the socket. A pending `join()` rejects. */
  leave(): void {
    if (this.#phase === 'left') return;
    this.#signaling?.send({ type: 'leave' });
    this.#joined?.reject({ code: 'ERR_LEFT', message: 'left the room before joining it' });
    this.#joined = null;
    this.#teardown('left');
  }

  #connect(): void {
    const signaling = new SignalingClient(this.#options.url, this.#deps.createSocket);
    this.#signaling = signaling;
    signaling.on('open', () => {
      const previous = this.#welcome;
      signaling.send({
        type: 'join',
        v: PROTOCOL_VERSION,
        room: this.#options.room,
        name: this.#options.name,
        identity: this.#identities.publicText,
        ...(previous ? { resume: { peerId: previous.peerId, token: previous.resumeToken } } : {}),
      });
    });
    signaling.on('message', (message) => this.#onServerMessage(message));
    signaling.on('invalid', (error) => {
      this.#fail({ code: 'ERR_PROTOCOL', message: `the server sent something this page does not understand (${error.message})` });
    });
    signaling.on('close', ({ code, reason }) => this.#onSocketClosed(signaling, code, reason));
  }

  #onSocketClosed(signaling: SignalingClient, code: number, reason: string): void {
    if (this.#signaling !== signaling || this.#phase === 'left' || this.#phase === 'failed') return;
    if (this.#welcome === null || code === CloseCode.Superseded) {
      this.#fail({
        code: 'ERR_DISCONNECTED',
        message: `could not reach the server${reason ? ` (${reason})` : ''} [${code}]; check the Server address and join again`,
      });
      return;
    }
    this.#phase = 'reconnecting';
    this.#changed();
    const delay = backoffDelay(this.#reconnectAttempt, this.#liveness.reconnect, this.#deps.random ?? Math.random);
    this.#reconnectAttempt += 1;
    this.#later(delay, () => this.#connect());
  }

  #onServerMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        return this.#onWelcome(message);
      case 'roster':
        return this.#onRoster(message);
      case 'hello':
        // The connection's join challenge: only a private-room join signs it, and this page joins open rooms.
        return;
      case 'signal':
        // Sealed signals belong to private rooms; the server never relays one into an open room.
        if (message.data.type === 'sealed') return;
        return this.#role?.handleSignal(message.from, message.data);
      case 'error':
        // A refused join (name taken meanwhile, room full) ends the session; other refusals are shown.
        if (this.#phase !== 'connected') return this.#fail({ code: message.code, message: message.message });
        return this.#showBriefly({ code: message.code, message: message.message });
      default:
        assertNever(message);
    }
  }

  #onWelcome(message: WelcomeMessage): void {
    const previous = this.#welcome;
    this.#welcome = message;
    this.#phase = 'connected';
    this.#reconnectAttempt = 0;
    if (previous === null) {
      this.#timeline.addSystem(this.#deps.randomId(), `You joined room ${message.room} as ${this.#options.name}`, this.#deps.now());
      this.#joined?.resolve();
      this.#joined = null;
    } else if (previous.peerId !== message.peerId) {
      // The server could not resume the old id (it restarted with a new secret): carry on as its successor.
      this.#outbox.reassign(message.peerId);
      this.#role?.close();
      this.#role = null;
      this.#roster = emptyRoster;
    }
    this.#changed();
  }

  #onRoster(message: RosterMessage): void {
    const previous = this.#roster;
    const next: Roster = { members: message.members, hostId: message.hostId };
    this.#roster = next;
    for (const line of rosterChanges(previous, next, this.#welcome?.peerId ?? null)) {
      this.#timeline.addSystem(this.#deps.randomId(), line, this.#deps.now());
    }
    for (const name of this.#identities.learn(next)) {
      const line = `${name}'s keys have changed since this browser last saw ${name}. Compare safety numbers (People) before trusting messages from ${name}.`;
      this.#timeline.addSystem(this.#deps.randomId(), line, this.#deps.now());
    }
    this.#adoptRole();
    this.#changed();
  }

  /** Plays the role the roster gives this tab: host when it names us, else a member linked to the named host. */
  #adoptRole(): void {
    const { hostId } = this.#roster;
    const selfId = this.#welcome?.peerId;
    if (selfId === undefined || hostId === null || this.#phase !== 'connected') return;
    if (hostId === selfId) {
      if (this.#role instanceof HostRole) this.#role.updateRoster(this.#roster);
      else this.#becomeHost();
      this.#handOverIfWorn();
      return;
    }
    if (this.#role instanceof MemberRole && this.#role.hostId === hostId) return;
    this.#role?.close();
    this.#role = this.#createMemberRole(hostId);
  }

  #becomeHost(): void {
    this.#role?.close();
    this.#role = new HostRole(this.#roleContext());
    // A tab that handed the role over once and got it back may need to hand it over again.
    this.#handoverRequested = false;
    // What no host acknowledged is in this tab's timeline, which every member's link receives as history.
    for (const message of this.#outbox.drain()) this.#timeline.setStatus(message.id, 'delivered');
  }

  /** Near the browser's lifetime limit of peer connections, pass the host role on while there is still room. */
  #handOverIfWorn(): void {
    if (this.#peerConnections >= this.#liveness.peerConnectionBudget) this.#requestHandover();
  }

  /** Asks the server to make someone else host (once per time this tab becomes host), if there is someone. */
  #requestHandover(): void {
    if (!(this.#role instanceof HostRole) || this.#handoverRequested || this.#roster.members.length < 2) return;
    this.#handoverRequested = true;
    this.#signaling?.send({ type: 'handover' });
  }

  /** A member role linked to `hostId`, or null when no link could be made (a re-link is scheduled). */
  #createMemberRole(hostId: string): MemberRole | null {
    try {
      const role: MemberRole = new MemberRole(this.#roleContext(), hostId, {
        onHostSync: (have) => {
          this.#relinkAttempt = 0;
          this.#linkFailures = 0;
          if (this.#error?.code === 'ERR_LINK_FAILED') this.#error = null;
          this.#resendMissing(role, have);
        },
        onAck: (id) => {
          if (this.#outbox.acknowledge(id) && this.#timeline.setStatus(id, 'delivered')) this.#changed();
        },
        onReject: (code, text) => this.#showBriefly({ code, message: `the host refused a message: ${text}` }),
        onSilent: () => this.#signaling?.send({ type: 'host-unreachable' }),
        onLinkError: (error) => this.#onLinkFailed(error),
        onForgery: (claimedName) => this.#warnForgery(claimedName),
        onClose: () => this.#onHostLinkClosed(role),
      });
      return role;
    } catch (error) {
      this.#onLinkFailed({ code: 'ERR_CREATE_LINK', message: error instanceof Error ? error.message : String(error) });
      this.#scheduleRelink();
      return null;
    }
  }

  /**
   * A link failed or could not be made. The first failures are ordinary (a host that just left); after several in a
   * row the person is told, with what to do, while re-linking goes on. A host that cannot make links hands its role on.
   */
  #onLinkFailed(error: LinkError): void {
    this.#linkFailures += 1;
    if (this.#role instanceof HostRole) {
      this.#error = {
        code: 'ERR_LINK_FAILED',
        message: `this tab cannot open more connections (${error.message}); reload the page to take part again`,
      };
      this.#requestHandover();
      this.#changed();
      return;
    }
    if (this.#linkFailures >= MAX_QUIET_LINK_FAILURES) {
      this.#error = {
        code: 'ERR_LINK_FAILED',
        message: `cannot connect to the host (${error.code}: ${error.message}); still trying. If this goes on, reload the page`,
      };
      this.#changed();
    }
  }

  /** Sends the host what it lacks of this tab's messages; what it already has counts as acknowledged. */
  #resendMissing(role: MemberRole, have: ReadonlySet<string>): void {
    const selfId = this.#welcome?.peerId;
    const own = this.#timeline.recentChats(HISTORY_LIMIT).filter((message) => message.from === selfId);
    const plan = this.#outbox.planResend(own, have);
    for (const id of plan.acknowledged) this.#timeline.setStatus(id, 'delivered');
    for (const message of plan.resend) role.send(message);
    // Everyone else's signed messages the host lacks are handed on too: their authors may have left before the
    // others got them.
    for (const chat of this.#timeline.recentChats(HISTORY_LIMIT)) {
      if (chat.from !== selfId && !have.has(messageKey(chat))) role.send({ type: 'forward', chat });
    }
    this.#changed();
  }

  /** The link to the host closed: after a short backoff, link again to whoever the roster names then. */
  #onHostLinkClosed(role: MemberRole): void {
    if (this.#role !== role) return;
    this.#role = null;
    this.#changed();
    this.#scheduleRelink();
  }

  /** After a backoff, link again to whoever the roster names then. */
  #scheduleRelink(): void {
    const delay = backoffDelay(this.#relinkAttempt, this.#liveness.relink, this.#deps.random ?? Math.random);
    this.#relinkAttempt += 1;
    this.#later(delay, () => {
      if (this.#role === null) this.#adoptRole();
    });
  }

  #roleContext(): RoleContext {
    const selfId = this.#welcome?.peerId;
    if (selfId === undefined) throw new Error('no role before the server assigned a peer id');
    const iceServers: readonly IceServer[] = this.#welcome?.iceServers ?? [];
    return {
      selfId,
      timeline: this.#timeline,
      liveness: this.#liveness,
      now: this.#deps.now,
      roster: () => this.#roster,
      sendSignal: (to: string, data: SignalData) => this.#signaling?.send({ type: 'signal', to, data }),
      createLink: (initiator: boolean): DataLink => {
        this.#peerConnections += 1;
        queueMicrotask(() => this.#handOverIfWorn());
        const create = this.#deps.createLink ?? createPeerLink;
        return create({ initiator, iceServers, wrtc: this.#deps.wrtc, extraConfig: this.#deps.extraRtcConfig });
      },
      linkFailed: (error) => this.#onLinkFailed(error),
      verifier: this.#identities.verifier,
      identity: this.#identities.publicText,
      admit: (chat, options) => this.#admit(chat, options?.asHistory ?? false),
      changed: () => this.#changed(),
    };
  }

  #markOverdue(): void {
    let changed = false;
    for (const id of this.#outbox.takeOverdue(this.#deps.now(), this.#liveness.failedAfterMs)) {
      changed = this.#timeline.setStatus(id, 'failed') || changed;
    }
    if (changed) this.#changed();
  }

  #later(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#phase !== 'left' && this.#phase !== 'failed') action();
    }, delayMs);
    this.#timers.add(timer);
  }

  /**
   * Adds a relayed message whose signature checked out: shown under the name its key has in the rosters (or, for a
   * key no roster named, the name it came with, marked unverified), and as one's own when one's key signed it.
   */
  #admit(chat: DeliveredChat, asHistory: boolean): AddChatResult {
    const known = this.#identities.nameOf(chat.author);
    const message = known === undefined || known === chat.name ? chat : { ...chat, name: known };
    const own = chat.author === this.#identities.publicText;
    return this.#timeline.addChat(message, { receivedAt: this.#deps.now(), own, unverified: known === undefined, asHistory });
  }

  /** A message failed its signature check: say so, once per notice period (a tampering host may send many). */
  #warnForgery(claimedName: string): void {
    const now = this.#deps.now();
    if (now - this.#lastForgeryWarning < this.#liveness.noticeMs) return;
    this.#lastForgeryWarning = now;
    const line = `A message claiming to be from ${claimedName} did not carry a valid signature and was not shown. The host may be altering messages.`;
    this.#timeline.addSystem(this.#deps.randomId(), line, now);
    this.#changed();
  }

  /** Shows an error that concerns one moment (a refused message, a server's complaint) and clears it later. */
  #showBriefly(error: SessionError): void {
    this.#error = error;
    this.#changed();
    this.#later(this.#liveness.noticeMs, () => {
      if (this.#error !== error) return;
      this.#error = null;
      this.#changed();
    });
  }

  #fail(error: SessionError): void {
    this.#error = error;
    this.#joined?.reject(error);
    this.#joined = null;
    this.#teardown('failed');
  }

  #teardown(phase: 'left' | 'failed'): void {
    this.#phase = phase;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    clearInterval(this.#overdueCheck);
    const role = this.#role;
    this.#role = null;
    role?.close();
    this.#signaling?.close();
    this.#changed();
  }

  #changed(): void {
    this.emit('change', this.snapshot());
  }
}

export type { RoomSessionDeps, RoomSessionOptions, SessionError, SessionPhase, SessionSnapshot } from './session-types.ts';
