import { backoffDelay } from '../../../shared/backoff.ts';
import { CloseCode } from '../../../shared/errors.ts';
import { defaultLiveness, type LivenessPolicy } from '../../../shared/liveness.ts';
import type { DeliveredChat } from '../../../shared/protocol/envelope.ts';
import type { IceServer, SignalData } from '../../../shared/protocol/fields.ts';
import type { RosterMessage, ServerMessage, WelcomeMessage } from '../../../shared/protocol/server-message.ts';
import { assertNever, type Result } from '../../../shared/result.ts';
import { emptyRoster, type Roster } from '../../../shared/roster.ts';
import { generateIdentity } from '../../../shared/crypto/identity.ts';
import { systemRandom } from '../../../shared/crypto/random.ts';
import type { SafetyNumber } from '../../../shared/crypto/safety-number.ts';
import { Emitter } from './emitter.ts';
import type { RoomSessionDeps, RoomSessionEvents, RoomSessionOptions, SessionError, SessionPhase, SessionSnapshot } from './session-types.ts';
import { HostRole } from './host-role.ts';
import { MemberRole } from './member-role.ts';
import type { DataLink, LinkError } from './link.ts';
import { createPeerLink } from './peer-link.ts';
import type { RoleContext } from './role-context.ts';
import { RoomIdentities } from './room-identities.ts';
import { RoomLog } from './room-log.ts';
import { joinMessage, openRoomSignals, privateRoomSignals, type SignalCodec } from './signal-codec.ts';
import { Timers } from './timers.ts';
import { Handover } from './handover.ts';
import { MessageSealing } from './message-sealing.ts';
import { post } from './outgoing.ts';
import { FileHub } from './files/file-hub.ts';
import { LinkTrouble } from './link-trouble.ts';
import { TypingOnDemand } from './typing-on-demand.ts';
import { MemoryTrustStore } from './trust-store.ts';
import { SignalingClient } from './signaling-client.ts';

/**
 * One person in one room: the signaling socket (re-established with backoff when it drops, resuming the same peer
 * id), the role this tab plays (host or member, as the roster says), the timeline, and this tab's messages that no
 * host has acknowledged yet.
 */
export class RoomSession extends Emitter<RoomSessionEvents> {
  readonly #options: RoomSessionOptions;
  readonly #deps: RoomSessionDeps;
  readonly #liveness: LivenessPolicy;
  readonly #identities: RoomIdentities;
  readonly #log: RoomLog;
  /** How signals and the join look on the wire: plain, or sealed and proven for a private room. */
  readonly #signals: SignalCodec;
  #signaling: SignalingClient | null = null;
  #welcome: WelcomeMessage | null = null;
  #phase: SessionPhase = 'connecting';
  #roster: Roster = emptyRoster;
  #role: HostRole | MemberRole | null = null;
  #error: SessionError | null = null;
  #reconnectAttempt = 0;
  readonly #handover: Handover;
  /** File transfers: `sendFile(blob, name, to?)` (to the room or one person, up to the server's limit), `cancel(transfer)`, `limit`. */
  readonly files: FileHub;
  readonly #linkTrouble = new LinkTrouble();
  /** Everything scheduled; cancelled when the session ends, and nothing runs once it has. */
  readonly #timers = new Timers();
  /** Who else is typing, and this person's own typing (`composing`, `sent`, `enabled`): see room-typing.ts, loaded when someone first types. */
  readonly typing = new TypingOnDemand({ now: () => this.#deps.now(), roster: () => this.#roster, role: () => this.#role, later: (ms, action) => this.#later(ms, action), changed: () => this.#changed() });
  #overdueCheck: ReturnType<typeof setInterval> | undefined;
  #joined: { resolve: () => void; reject: (error: SessionError) => void } | null = null;

  constructor(options: RoomSessionOptions, deps: RoomSessionDeps) {
    super();
    this.#options = options;
    this.#deps = deps;
    this.#liveness = deps.liveness ?? defaultLiveness;
    this.#handover = new Handover(this.#liveness.peerConnectionBudget);
    const identity = deps.identity ?? generateIdentity(systemRandom);
    this.#identities = new RoomIdentities(identity, options.room, deps.trust ?? new MemoryTrustStore());
    this.#signals = options.privateRoom ? privateRoomSignals(options.privateRoom, systemRandom) : openRoomSignals;
    const sealing = new MessageSealing(identity, options.room, options.privateRoom, deps.randomBytes ?? systemRandom);
    this.#log = new RoomLog(this.#identities, sealing, { now: deps.now, randomId: deps.randomId, noticeMs: this.#liveness.noticeMs });
    const files = { log: this.#log, name: options.name, changed: () => this.#changed() };
    this.files = new FileHub({ ...deps, ...files, roster: () => this.#roster, randomBytes: deps.randomBytes ?? systemRandom, role: () => this.#role, welcome: () => this.#welcome });
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
      timeline: this.#log.entries(),
      error: this.#error,
      shareUrl: this.#welcome?.shareUrl,
      identity: this.#identities.publicText,
      keyStatus: this.#log.keyStatus(this.#roster),
      files: this.files.views(),
      typing: this.typing.names(),
    };
  }

  /** The safety number of this person and the member `peerId` (equal on both screens), or null without keys. */
  safetyNumberWith(peerId: string): SafetyNumber | null {
    return this.#log.safetyNumberWith(this.#roster, peerId);
  }

  /** Marks the member `peerId`'s current key verified (the person compared safety numbers) or not. */
  setVerified(peerId: string, verified: boolean): void {
    if (this.#log.setVerified(this.#roster, peerId, verified)) this.#changed();
  }

  /** Peer connections this tab has made in this session (Chrome allows about 500 per tab over its lifetime). */
  get peerConnections(): number {
    return this.#handover.connections;
  }

  /** Connects and joins; resolves once the server has admitted this person, rejects with the server's reason. */
  join(): Promise<void> {
    if (this.#signaling) throw new Error('join() was already called');
    return new Promise((resolve, reject) => {
      this.#joined = { resolve, reject };
      this.#overdueCheck = setInterval(() => this.#log.markOverdue(this.#liveness.failedAfterMs) && this.#changed(), 1000);
      this.#connect();
    });
  }

  /** Sends a chat message from this person (sealed in a private room); `post` (outgoing.ts) says what is refused. */
  send(text: string): Result<DeliveredChat, SessionError> {
    return this.#post(text);
  }

  /** Sends a private message, sealed for the roster member `peerId` alone; refused for oneself or someone not here. */
  privateMessage(peerId: string, text: string): Result<DeliveredChat, SessionError> {
    return this.#post(text, peerId);
  }

  #post(text: string, to?: string): Result<DeliveredChat, SessionError> {
    const selfId = this.#phase === 'connected' || this.#phase === 'reconnecting' ? this.#welcome?.peerId : undefined;
    const sent = post(this.#log, this.#role, { selfId, name: this.#options.name, roster: this.#roster, text, to });
    if (sent.ok) this.#changed();
    return sent;
  }

  /** Leaves the room for good: tells the server, closes the links and the socket. A pending `join()` rejects. */
  leave(): void {
    if (this.#phase === 'left') return;
    this.#signaling?.send({ type: 'leave' });
    this.#joined?.reject({ code: 'ERR_LEFT' });
    this.#joined = null;
    this.#teardown('left');
  }

  #connect(): void {
    const signaling = new SignalingClient(this.#options.url, this.#deps.createSocket);
    this.#signaling = signaling;
    // A private room's join signs the connection's challenge, so it waits for `hello`; an open room's goes at once.
    signaling.on('open', () => {
      if (!this.#signals.needsChallenge) this.#sendJoin(signaling, null);
    });
    signaling.on('message', (message) => this.#onServerMessage(message));
    signaling.on('invalid', (error) => {
      this.#fail({ code: 'ERR_PROTOCOL', detail: error.message });
    });
    signaling.on('close', ({ code, reason }) => this.#onSocketClosed(signaling, code, reason));
  }

  #sendJoin(signaling: SignalingClient, challenge: string | null): void {
    const fields = this.#signals.joinFields(challenge);
    if (fields === null) return this.#fail({ code: 'ERR_PROTOCOL' });
    const { room, name } = this.#options;
    signaling.send(joinMessage({ room, name, identity: this.#identities.publicText }, this.#welcome, fields));
  }

  #onSocketClosed(signaling: SignalingClient, code: number, reason: string): void {
    if (this.#signaling !== signaling || this.#phase === 'left' || this.#phase === 'failed') return;
    if (this.#welcome === null || code === CloseCode.Superseded) {
      this.#fail({ code: 'ERR_DISCONNECTED', detail: reason ? `${reason} [${code}]` : `[${code}]` });
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
      case 'hello': // The connection's join challenge: a private room's join signs it; an open room's went on open.
        if (this.#signals.needsChallenge && this.#signaling) this.#sendJoin(this.#signaling, message.challenge);
        return;
      case 'ping': // The server checks that this page's code runs (a hung host is replaced): answered at once.
        return void this.#signaling?.send({ type: 'pong' });
      case 'signal': {
        // A signal this room's peers could not have sent (unsealed in a private room, sealed by another key) is dropped.
        const data = this.#signals.open(message.from, this.#welcome?.peerId ?? '', message.data);
        if (data !== null) this.#role?.handleSignal(message.from, data);
        return;
      }
      case 'error':
        // A refused join (name taken meanwhile, room full) ends the session; other refusals are shown.
        if (this.#phase !== 'connected') return this.#fail({ code: message.code, detail: message.message });
        return this.#showBriefly({ code: message.code, detail: message.message });
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
      this.#log.note({ kind: 'welcome', room: message.room, name: this.#options.name });
      this.#joined?.resolve();
      this.#joined = null;
    } else if (previous.peerId !== message.peerId) {
      // The server could not resume the old id (it restarted with a new secret): carry on as its successor.
      this.#log.reassign(message.peerId);
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
    this.#log.rosterChanged(previous, next, this.#welcome?.peerId ?? null);
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
      if (this.#handover.worn) this.#requestHandover();
      return;
    }
    if (this.#role instanceof MemberRole && this.#role.hostId === hostId) return;
    this.#role?.close();
    this.#role = this.#createMemberRole(hostId);
  }

  #becomeHost(): void {
    this.#role?.close();
    this.#role = new HostRole(this.#roleContext());
    this.#handover.becameHost();
    this.#log.deliverAllAsHost();
  }

  /** Asks the server to make someone else host (see Handover). */
  #requestHandover(): void {
    if (this.#handover.claim(this.#role instanceof HostRole, this.#roster.members.length)) this.#signaling?.send({ type: 'handover' });
  }

  /** A member role linked to `hostId`, or null when no link could be made (a re-link is scheduled). */
  #createMemberRole(hostId: string): MemberRole | null {
    try {
      const role: MemberRole = new MemberRole(this.#roleContext(), hostId, {
        onHostSync: (have) => {
          this.#linkTrouble.recovered();
          if (this.#error?.code === 'ERR_LINK_FAILED') this.#error = null;
          this.#resendMissing(role, have);
        },
        onAck: (id) => {
          if (this.#log.acknowledge(id)) this.#changed();
          this.files.acknowledged(id);
        },
        onReject: (code, text) => this.#showBriefly({ code: 'ERR_HOST_REFUSED', detail: `${code}: ${text}` }),
        onSilent: () => this.#signaling?.send({ type: 'host-unreachable' }),
        onLinkError: (error) => this.#onLinkFailed(error),
        onForgery: (claimedName) => {
          if (this.#log.warnForgery(claimedName)) this.#changed();
        },
        onClose: () => this.#onHostLinkClosed(role),
      });
      return role;
    } catch (error) {
      this.#onLinkFailed({ code: 'ERR_CREATE_LINK', message: error instanceof Error ? error.message : String(error) });
      this.#scheduleRelink();
      return null;
    }
  }

  /** A link failed or could not be made: tell the person when it is worth telling (LinkTrouble); a host hands on. */
  #onLinkFailed(error: LinkError): void {
    const hosting = this.#role instanceof HostRole;
    const shown = this.#linkTrouble.failed(error, hosting);
    if (hosting) this.#requestHandover();
    if (shown === null) return;
    this.#error = shown;
    this.#changed();
  }

  /** Sends the host what it lacks of this tab's messages and of others' (see RoomLog.missingAt). */
  #resendMissing(role: MemberRole, have: ReadonlySet<string>): void {
    const selfId = this.#welcome?.peerId;
    if (selfId === undefined) return;
    const { send, acknowledged } = this.#log.missingAt(selfId, have);
    for (const message of send) role.send(message);
    for (const id of acknowledged) this.files.heldByHost(id);
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
    const delay = this.#linkTrouble.relinkDelay(this.#liveness.relink, this.#deps.random ?? Math.random);
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
      timeline: this.#log.timeline,
      liveness: this.#liveness,
      now: this.#deps.now,
      roster: () => this.#roster,
      sendSignal: (to: string, data: SignalData) => this.#signaling?.send({ type: 'signal', to, data: this.#signals.seal(selfId, to, data) }),
      createLink: (initiator: boolean): DataLink => {
        this.#handover.linkMade();
        queueMicrotask(() => this.#handover.worn && this.#requestHandover());
        const create = this.#deps.createLink ?? createPeerLink;
        return create({ initiator, iceServers, wrtc: this.#deps.wrtc, extraConfig: this.#deps.extraRtcConfig });
      },
      linkFailed: (error) => this.#onLinkFailed(error),
      verifier: this.#identities.verifier,
      identity: this.#identities.publicText,
      admit: (chat, options) => this.files.admitted(this.#log.admit(chat, options), chat, options),
      files: this.files,
      typing: this.typing,
      changed: () => this.#changed(),
    };
  }

  #later(delayMs: number, action: () => void): void {
    this.#timers.later(delayMs, () => {
      if (this.#phase !== 'left' && this.#phase !== 'failed') action();
    });
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
    this.#timers.cancelAll();
    clearInterval(this.#overdueCheck);
    const role = this.#role;
    this.#role = null;
    this.files.close(); // First: a host closing its links one by one must not tell members still linked that a sender left.
    role?.close();
    this.#signaling?.close();
    this.#changed();
  }

  #changed(): void {
    this.emit('change', this.snapshot());
  }
}

export type { RoomSessionDeps, RoomSessionOptions, SessionError, SessionPhase, SessionSnapshot } from './session-types.ts';
