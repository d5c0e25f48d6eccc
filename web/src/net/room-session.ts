import { MAX_TEXT_LENGTH, PROTOCOL_VERSION } from '../../../shared/limits.ts';
import type { DeliveredChat, OutgoingChat } from '../../../shared/protocol/envelope.ts';
import type { IceServer, SignalData } from '../../../shared/protocol/fields.ts';
import type { RosterMessage, ServerMessage } from '../../../shared/protocol/server-message.ts';
import { assertNever, err, ok, type Result } from '../../../shared/result.ts';
import { emptyRoster, type Roster } from '../../../shared/roster.ts';
import { Timeline, type TimelineEntry } from '../../../shared/timeline.ts';
import { Emitter } from './emitter.ts';
import { HostRole } from './host-role.ts';
import { MemberRole } from './member-role.ts';
import { PeerLink, type WebRtcImplementation } from './peer-link.ts';
import type { RoleContext } from './role-context.ts';
import { rosterChanges } from './roster-changes.ts';
import { SignalingClient, type WebSocketFactory } from './signaling-client.ts';

/** Where the session is, as a person would put it. */
export type SessionPhase = 'connecting' | 'connected' | 'left' | 'failed';

/** A failure a person should read: a stable code and a sentence. */
export interface SessionError {
  readonly code: string;
  readonly message: string;
}

/** Everything the UI shows about a room, at one moment. */
export interface SessionSnapshot {
  readonly phase: SessionPhase;
  readonly room: string;
  readonly name: string;
  readonly selfId: string | null;
  readonly roster: Roster;
  readonly role: 'host' | 'member' | null;
  /** For members: whether the data channel to the host is open. Hosts are always linked to themselves. */
  readonly linkedToHost: boolean;
  readonly timeline: readonly TimelineEntry[];
  readonly error: SessionError | null;
  /** The server's address for people elsewhere, when it knows one. */
  readonly shareUrl: string | undefined;
}

/** What the session reports. */
export interface RoomSessionEvents extends Record<string, unknown> {
  change: SessionSnapshot;
}

/** What a session needs from its surroundings; browsers and Node supply different ones. */
export interface RoomSessionDeps {
  readonly createSocket: WebSocketFactory;
  /** A WebRTC implementation for Node; browsers leave it out. */
  readonly wrtc?: WebRtcImplementation | undefined;
  /** Extra RTCConfiguration keys (Node libraries' bind address, for example). */
  readonly extraRtcConfig?: Record<string, unknown> | undefined;
  /** A fresh unique id (message ids, system line ids). */
  readonly randomId: () => string;
  readonly now: () => number;
}

/** Which room, as whom, through which server. */
export interface RoomSessionOptions {
  /** The signaling WebSocket URL (ws://host:port/ws). */
  readonly url: string;
  readonly room: string;
  readonly name: string;
}

/**
 * One person in one room: the signaling socket, the role this tab plays (host or member, as the roster says), the
 * timeline, and this tab's messages that the host has not yet acknowledged.
 */
export class RoomSession extends Emitter<RoomSessionEvents> {
  readonly #options: RoomSessionOptions;
  readonly #deps: RoomSessionDeps;
  readonly #timeline = new Timeline();
  /** This tab's messages not yet acknowledged by a host, in the order they were written. */
  readonly #unacknowledged = new Map<string, OutgoingChat>();
  #signaling: SignalingClient | null = null;
  #iceServers: readonly IceServer[] = [];
  #shareUrl: string | undefined;
  #phase: SessionPhase = 'connecting';
  #selfId: string | null = null;
  #roster: Roster = emptyRoster;
  #role: HostRole | MemberRole | null = null;
  #error: SessionError | null = null;
  #seq = 0;
  #joined: { resolve: () => void; reject: (error: SessionError) => void } | null = null;

  constructor(options: RoomSessionOptions, deps: RoomSessionDeps) {
    super();
    this.#options = options;
    this.#deps = deps;
  }

  /** The current state. */
  snapshot(): SessionSnapshot {
    const role = this.#role;
    return {
      phase: this.#phase,
      room: this.#options.room,
      name: this.#options.name,
      selfId: this.#selfId,
      roster: this.#roster,
      role: role instanceof HostRole ? 'host' : role instanceof MemberRole ? 'member' : null,
      linkedToHost: role instanceof HostRole || (role instanceof MemberRole && role.isOpen),
      timeline: this.#timeline.entries(),
      error: this.#error,
      shareUrl: this.#shareUrl,
    };
  }

  /** Connects and joins; resolves once the server has admitted this person, rejects with the server's reason. */
  join(): Promise<void> {
    if (this.#signaling) throw new Error('join() was already called');
    return new Promise((resolve, reject) => {
      this.#joined = { resolve, reject };
      this.#connect();
    });
  }

  /** Sends a chat message from this person. Refuses empty or over-long text and sending outside a room. */
  send(text: string): Result<DeliveredChat, SessionError> {
    if (this.#phase !== 'connected' || this.#selfId === null || this.#role === null) {
      return err({ code: 'ERR_NOT_CONNECTED', message: 'not connected to the room' });
    }
    if (text.trim().length === 0) return err({ code: 'ERR_EMPTY', message: 'the message is empty' });
    if (text.length > MAX_TEXT_LENGTH) {
      return err({ code: 'ERR_TOO_LONG', message: `messages are limited to ${MAX_TEXT_LENGTH} characters` });
    }
    this.#seq += 1;
    const outgoing: OutgoingChat = {
      v: PROTOCOL_VERSION,
      type: 'chat',
      id: this.#deps.randomId(),
      from: this.#selfId,
      seq: this.#seq,
      ts: this.#deps.now(),
      body: { text },
    };
    const delivered: DeliveredChat = { ...outgoing, name: this.#options.name };
    if (this.#role instanceof HostRole) {
      this.#timeline.addChat(delivered, true, 'delivered');
      this.#role.broadcastOwn(delivered);
    } else {
      this.#timeline.addChat(delivered, true, 'pending');
      this.#unacknowledged.set(outgoing.id, outgoing);
      this.#role.send(outgoing);
    }
    this.#changed();
    return ok(delivered);
  }

  /** Leaves the room for good: tells the server, closes the links and the socket. */
  leave(): void {
    if (this.#phase === 'left') return;
    this.#signaling?.send({ type: 'leave' });
    this.#teardown('left');
  }

  #connect(): void {
    const signaling = new SignalingClient(this.#options.url, this.#deps.createSocket);
    this.#signaling = signaling;
    signaling.on('open', () => {
      signaling.send({ type: 'join', v: PROTOCOL_VERSION, room: this.#options.room, name: this.#options.name });
    });
    signaling.on('message', (message) => this.#onServerMessage(message));
    signaling.on('invalid', (error) => {
      this.#fail({ code: 'ERR_PROTOCOL', message: `the server sent something this page does not understand (${error.message})` });
    });
    signaling.on('close', ({ code, reason }) => {
      if (this.#phase === 'left' || this.#phase === 'failed') return;
      this.#fail({
        code: 'ERR_DISCONNECTED',
        message: `lost the connection to the server${reason ? ` (${reason})` : ''} [${code}]; check the Server address and join again`,
      });
    });
  }

  #onServerMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        this.#selfId = message.peerId;
        this.#iceServers = message.iceServers;
        this.#shareUrl = message.shareUrl;
        this.#phase = 'connected';
        this.#timeline.addSystem(this.#deps.randomId(), `You joined room ${message.room} as ${this.#options.name}`, this.#deps.now());
        this.#joined?.resolve();
        this.#joined = null;
        return this.#changed();
      case 'roster':
        return this.#onRoster(message);
      case 'signal':
        return this.#role?.handleSignal(message.from, message.data);
      case 'error':
        if (this.#phase === 'connecting') return this.#fail({ code: message.code, message: message.message });
        this.#error = { code: message.code, message: message.message };
        return this.#changed();
      default:
        assertNever(message);
    }
  }

  #onRoster(message: RosterMessage): void {
    const previous = this.#roster;
    const next: Roster = { members: message.members, hostId: message.hostId };
    this.#roster = next;
    for (const line of rosterChanges(previous, next, this.#selfId)) {
      this.#timeline.addSystem(this.#deps.randomId(), line, this.#deps.now());
    }
    this.#adoptRole();
    this.#changed();
  }

  /** Plays the role the roster gives this tab: host when it names us, else a member linked to the named host. */
  #adoptRole(): void {
    const { hostId } = this.#roster;
    if (this.#selfId === null || hostId === null) return;
    if (hostId === this.#selfId) {
      if (!(this.#role instanceof HostRole)) this.#becomeHost();
      else this.#role.updateRoster(this.#roster);
      return;
    }
    if (this.#role instanceof MemberRole && this.#role.hostId === hostId) return;
    this.#role?.close();
    this.#role = this.#createMemberRole(hostId);
  }

  #becomeHost(): void {
    this.#role?.close();
    const host = new HostRole(this.#roleContext());
    this.#role = host;
    // What no host acknowledged is ours to deliver now: the new host's timeline already has it.
    for (const id of this.#unacknowledged.keys()) this.#timeline.setStatus(id, 'delivered');
    this.#unacknowledged.clear();
  }

  #createMemberRole(hostId: string): MemberRole {
    const role: MemberRole = new MemberRole(this.#roleContext(), hostId, {
      onOpen: () => {
        for (const message of this.#unacknowledged.values()) role.send(message);
      },
      onAck: (id) => {
        if (this.#unacknowledged.delete(id) && this.#timeline.setStatus(id, 'delivered')) this.#changed();
      },
      onReject: (code, text) => {
        this.#error = { code, message: `the host refused a message: ${text}` };
        this.#changed();
      },
      onClose: () => this.#onHostLinkClosed(role),
    });
    return role;
  }

  /** The link to the host closed: if the roster still names that host, offer a new link. */
  #onHostLinkClosed(role: MemberRole): void {
    if (this.#role !== role || this.#phase !== 'connected') return;
    this.#role = null;
    this.#changed();
    this.#adoptRole();
  }

  #roleContext(): RoleContext {
    const selfId = this.#selfId;
    if (selfId === null) throw new Error('no role before the server assigned a peer id');
    return {
      selfId,
      timeline: this.#timeline,
      roster: () => this.#roster,
      sendSignal: (to: string, data: SignalData) => this.#signaling?.send({ type: 'signal', to, data }),
      createLink: (initiator: boolean) =>
        new PeerLink({ initiator, iceServers: this.#iceServers, wrtc: this.#deps.wrtc, extraConfig: this.#deps.extraRtcConfig }),
      changed: () => this.#changed(),
    };
  }

  #fail(error: SessionError): void {
    this.#error = error;
    this.#joined?.reject(error);
    this.#joined = null;
    this.#teardown('failed');
  }

  #teardown(phase: 'left' | 'failed'): void {
    this.#phase = phase;
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
