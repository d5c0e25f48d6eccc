import { ErrorCode } from '../shared/errors.ts';
import { isOffer, type IceServer, type WireSignalData } from '../shared/protocol/fields.ts';
import type { RosterEntry, ServerMessage } from '../shared/protocol/server-message.ts';
import { assertNever, err, ok, type Result } from '../shared/result.ts';
import { hasMember, maySignal, type Roster } from '../shared/roster.ts';
import {
  accessError,
  openRoom,
  privateRoomText,
  provePrivateJoin,
  signalFormError,
  type PrivateClaim,
  type RoomAccess,
} from './private-rooms.ts';
import type { ResumeTokens } from './resume-tokens.ts';
import { RosterOutbox } from './roster-outbox.ts';
import type { JoinError, RoomRegistry, RoomView } from './rooms.ts';
import type { ClusterLink, LocalSeat, NodeInbox, NodeMessage } from './cluster-link.ts';
import { RosterVersions } from './roster-versions.ts';
import { WelcomeFrames } from './server-frames.ts';
import { textFrame } from './text-frame.ts';
import { accessRefusal, badTarget, joinErrorText, tooManyOffers, unavailable, type Refusal } from './refusals.ts';
import { signalingLimits } from './server-limits.ts';
import { OfferThrottle, RecentChanges } from './signal-guards.ts';

export { unavailable, type Refusal } from './refusals.ts';

/** The levels a socket logs at. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * One client's socket as the room service sees it: the few things the service may do to a connection. The service
 * never holds a connection itself, so no connection reaches into another.
 */
export interface PeerSocket {
  /** False once the socket is closing, closed or superseded: it takes no further part in a room. */
  readonly isOpen: boolean;
  /** Logs one line with the socket's context (its client address). */
  log(level: LogLevel, fields: Record<string, unknown>, message: string): void;
  /** Sends one message if the socket is open. */
  send(message: ServerMessage): void;
  /** Sends one message already framed by textFrame (one roster, many sockets), never an `error`, if the socket is open. */
  sendFrame(frame: Buffer): void;
  /** Another socket resumed this peer id: close this one without taking the person out of the room. */
  supersede(): void;
  /** Checks that the socket is alive; terminates it when no pong comes within `timeoutMs`. */
  probe(timeoutMs: number): void;
  /** The signaling links this socket stands for: one, or one per other member while it hosts (scales its rate limit). */
  setLinks(links: number): void;
  /** Whether this socket hosts other members now: a host's page is pinged and dropped when it stops answering. */
  setHosting(hostsOthers: boolean): void;
}

/**
 * Where an admitted socket sits: its room, its roster entry (the peer id it joined as, `entry.id`), and the room's
 * access (fixed while the room has members), which decides which signals the seat may send: sealed in a private room,
 * plain in an open one. The very object the service keeps for the socket, not a copy: an idle connection costs one.
 */
export type Seat = LocalSeat;

/** A `join` as the client sent it. */
export interface JoinRequest {
  readonly roomId: string;
  readonly name: string;
  readonly resume?: { readonly peerId: string; readonly token: string } | undefined;
  /** The person's public identity, shown to the room in the roster. */
  readonly identity?: string | undefined;
  /** For a private room: the room key and its signature over the room and `challenge`. */
  readonly private?: PrivateClaim | undefined;
  /** The join challenge this connection sent in its `hello`; a private claim must sign this one (empty without one). */
  readonly challenge: Uint8Array;
}

/**
 * What became of one signal. `refused` is answered with an error; `violation` says whether it also counts toward the
 * protocol errors that close a socket.
 */
export type SignalOutcome =
  | { readonly kind: 'delivered' }
  /** A race (the target just left or changed role): dropped without an answer. */
  | { readonly kind: 'dropped' }
  | ({ readonly kind: 'refused'; readonly violation: boolean } & Refusal);

/** What the room service needs. */
export interface RoomServiceOptions {
  readonly registry: RoomRegistry;
  readonly iceServers: readonly IceServer[];
  /** Put in `welcome` so that invite links made on localhost work for others. */
  readonly shareUrl: string | undefined;
  /** Put in `welcome`: the largest file clients may send. */
  readonly maxFileBytes?: number | undefined;
  readonly newPeerId: () => string;
  readonly resumeTokens: ResumeTokens;
  /** How long a host has to answer a liveness probe after a member reported it silent. */
  readonly probeTimeoutMs: number;
  /** Time for the signal guards, in ms; Date.now unless a test drives it. */
  readonly now?: (() => number) | undefined;
  /** The other nodes sharing the registry; absent when this process serves alone. */
  readonly cluster?: ClusterLink | undefined;
  /** Counts signals sent to and received from other nodes. */
  readonly onCrossNodeSignal?: ((direction: 'sent' | 'received') => void) | undefined;
}

/** A socket of this process and the seat it holds, in one object (handed to the socket as its {@link Seat}). */
interface LocalPeer extends LocalSeat {
  readonly socket: PeerSocket;
}

/**
 * The rooms of one server process: admits sockets into rooms (resume included), routes signals between a member and
 * its host with the sender stamped here, announces every roster change, and passes the host role on. Rosters live in
 * the registry; this service keeps only which socket stands for which peer id.
 */
export class RoomService implements NodeInbox {
  readonly #options: RoomServiceOptions;
  /** The sockets of this process, by the peer id they joined as. */
  readonly #peers = new Map<string, LocalPeer>();
  /** The newest roster announced in each room with a member here (several nodes announce one room). */
  readonly #versions = new RosterVersions();
  /** Departures whose registry change is under way. */
  readonly #departing = new Set<Promise<void>>();
  /** Who left or stopped hosting each room lately: late signals to them are races. */
  readonly #recent: RecentChanges;
  /** Offers from each member to its host: each one costs the host a peer connection. */
  readonly #offers: OfferThrottle;
  /** Rosters on their way: a burst of changes in one turn sends each member two, not one per change. */
  readonly #rosters = new RosterOutbox(setImmediate, (peerId) => this.#peers.get(peerId)?.socket);
  /** Every join's `welcome`, with the fields they share serialized once. */
  readonly #welcomes: WelcomeFrames;

  constructor(options: RoomServiceOptions) {
    this.#options = options;
    const { iceServers, shareUrl, maxFileBytes } = options;
    this.#welcomes = new WelcomeFrames({ iceServers: [...iceServers], shareUrl: shareUrl || undefined, maxFileBytes });
    const { departureGraceMs, departuresPerRoom, offerBurst, offersPerSecond, offerPatience } = signalingLimits;
    this.#recent = new RecentChanges(departureGraceMs, departuresPerRoom, options.now);
    this.#offers = new OfferThrottle(offerBurst, offersPerSecond, offerPatience, options.now);
  }

  /** Sockets that have joined a room. */
  get peerCount(): number {
    return this.#peers.size;
  }

  /**
   * Admits `socket` into a room: welcomes it and announces the new roster. A valid resume claim keeps the peer id (and
   * supersedes the socket that held it); an invalid one is not an error: the client gets a new id (a successor).
   * A registry failure is refused with ERR_UNAVAILABLE, and a join the registry may have half made is undone.
   */
  async join(socket: PeerSocket, request: JoinRequest): Promise<Result<Seat, Refusal>> {
    try {
      return await this.#admit(socket, request);
    } catch (error) {
      socket.log('error', { err: error, room: request.roomId }, 'room registry failed during a join');
      return err(unavailable);
    }
  }

  async #admit(socket: PeerSocket, request: JoinRequest): Promise<Result<Seat, Refusal>> {
    const { registry, resumeTokens } = this.#options;
    const { roomId, name, resume, identity } = request;
    // Proof first: a private claim that does not check out changes nothing, resume token or not.
    const access = request.private ? provePrivateJoin(roomId, request.private, request.challenge) : ok(openRoom);
    if (!access.ok) return err(accessRefusal(access.error));
    const resuming = resume !== undefined && resumeTokens.verify(roomId, resume.peerId, resume.token);
    const peerId = resuming ? resume.peerId : this.#options.newPeerId();
    const current = resuming ? await registry.roster(roomId) : null;
    let roster: RoomView | null = null;
    if (current && hasMember(current, peerId)) {
      // A resume token is no key: taking over a seat in a private room needs this connection's own proof too.
      const stored = await registry.access(roomId);
      const refused = stored && accessError(stored, access.value);
      if (refused) return err(accessRefusal(refused));
      roster = await this.#takeOver(roomId, peerId, current);
    }
    // Not resuming, or the seat was taken out while this join was on its way (its old node was swept): a new seat.
    if (!roster) {
      const entry = { id: peerId, name, ...(identity === undefined ? {} : { identity }) };
      const result = await this.#add(socket, roomId, entry, access.value);
      if (!result.ok) return err({ code: result.error, message: joinErrorText(result.error, name) });
      roster = result.value;
    }
    if (!socket.isOpen) {
      // The socket went away while the registry was working (closed, or cut at the join deadline); undo the join.
      await this.#remove(roomId, peerId);
      return err({ code: ErrorCode.NotJoined, message: 'the connection closed while joining' });
    }
    const entry = roster.members.find((member) => member.id === peerId) ?? { id: peerId, name };
    const seat: LocalPeer = { socket, roomId, entry, access: access.value };
    this.#peers.set(peerId, seat);
    const kind = access.value.kind;
    socket.log('info', { room: roomId, peer: peerId, resumed: resuming, access: kind, members: roster.members.length }, 'joined');
    socket.sendFrame(textFrame(this.#welcomes.frame(peerId, roomId, resumeTokens.issue(roomId, peerId))));
    this.#announce(roomId, roster, peerId);
    return ok(seat);
  }

  /** Takes `socket` out of its room (a `leave` or a closed socket) unless a newer socket has resumed its seat. */
  async depart(socket: PeerSocket, seat: Seat): Promise<void> {
    const peerId = seat.entry.id;
    if (this.#peers.get(peerId)?.socket !== socket) return;
    this.#peers.delete(peerId);
    socket.log('info', { room: seat.roomId, peer: peerId }, 'left');
    const removal = this.#remove(seat.roomId, peerId);
    this.#departing.add(removal);
    try {
      await removal;
    } finally {
      this.#departing.delete(removal);
    }
  }

  /** Resolves once every departure under way has reached the registry (a node stopping waits for them). */
  async departed(): Promise<void> {
    await Promise.allSettled([...this.#departing]);
  }

  /**
   * Forwards one signal from `seat` to `to`, a new object with `from` stamped here: the sender's claims never pass.
   * Only a member and its room's host signal each other; a signal that crossed a roster change on its way (its target
   * just left or lost the host role, or its sender just stopped hosting) is dropped without an answer. A member's
   * offers to its host pass the offer limit. In a private room only sealed signals pass, in an open room only plain
   * ones; the server never opens a sealed one.
   */
  async signal(seat: Seat, to: string, data: WireSignalData): Promise<SignalOutcome> {
    const { roomId } = seat;
    const peerId = seat.entry.id;
    const wrongForm = signalFormError(seat.access.kind, data);
    if (wrongForm) return { kind: 'refused', code: wrongForm, message: privateRoomText(wrongForm), violation: true };
    const roster = await this.#options.registry.roster(roomId);
    if (roster && maySignal(roster, peerId, to)) {
      const target = this.#peers.get(to)?.socket;
      const remote = target ? undefined : this.#remoteNode(roster, to);
      // In the roster without a socket anywhere: it is joining or leaving at this very moment.
      if (!target && !remote) return { kind: 'dropped' };
      if (isOffer(data) && to === roster.hostId) {
        const verdict = this.#offers.judge(peerId, to);
        if (verdict !== 'pass') return { kind: 'refused', ...tooManyOffers, violation: verdict === 'violation' };
      }
      if (target) target.send({ type: 'signal', from: peerId, data });
      else if (remote) {
        remote.cluster.post(remote.node, { kind: 'signal', to, from: peerId, data });
        this.#options.onCrossNodeSignal?.('sent');
      }
      return { kind: 'delivered' };
    }
    const recent = (id: string): boolean => this.#recent.has(roomId, id);
    const raced = roster !== null && hasMember(roster, peerId) && to !== peerId && (recent(to) || recent(peerId));
    return raced ? { kind: 'dropped' } : { kind: 'refused', ...badTarget, violation: true };
  }

  /** A member reports its host silent: the host's socket is probed, and dropped unless it answers in time. */
  async probeHost(seat: Seat): Promise<void> {
    const roster = await this.#options.registry.roster(seat.roomId);
    if (!roster?.hostId || roster.hostId === seat.entry.id) return;
    const remote = this.#peers.has(roster.hostId) ? undefined : this.#remoteNode(roster, roster.hostId);
    if (remote) remote.cluster.post(remote.node, { kind: 'probe', peer: roster.hostId });
    else this.#peers.get(roster.hostId)?.socket.probe(this.#options.probeTimeoutMs);
  }

  /** The host asks to pass its role on; anyone else asking changes nothing. */
  async handOver(seat: Seat): Promise<void> {
    const roster = await this.#options.registry.handOver(seat.roomId, seat.entry.id);
    this.#announce(seat.roomId, roster);
  }

  receive(message: NodeMessage): void {
    switch (message.kind) {
      case 'signal': {
        // A signal whose target left this node meanwhile is a race, as on one node: dropped.
        this.#peers.get(message.to)?.socket.send({ type: 'signal', from: message.from, data: message.data });
        this.#options.onCrossNodeSignal?.('received');
        return;
      }
      case 'roster':
        this.#announceHere(message.room, message);
        return;
      case 'supersede':
        this.#peers.get(message.peer)?.socket.supersede();
        this.#peers.delete(message.peer);
        return;
      case 'probe':
        this.#peers.get(message.peer)?.socket.probe(this.#options.probeTimeoutMs);
        return;
      default:
        assertNever(message);
    }
  }

  async evict(roomId: string, peerId: string, node: string): Promise<void> {
    const roster = await this.#options.cluster?.evict(roomId, peerId, node);
    this.#announce(roomId, roster ?? null);
  }

  async reRegister(): Promise<void> {
    const cluster = this.#options.cluster;
    if (!cluster) return;
    for (const [peerId, seat] of [...this.#peers]) {
      const { socket } = seat;
      if (this.#peers.get(peerId)?.socket !== socket) continue;
      const roster = await cluster.restore(seat);
      if (roster && hasMember(roster, peerId)) this.#announce(seat.roomId, roster);
      else {
        // Its name was taken or the room filled while the store was away: it cannot come back as it was.
        socket.log('warn', { room: seat.roomId, peer: peerId }, 'seat lost with the room registry');
        this.#peers.delete(peerId);
        socket.supersede();
      }
    }
  }

  *localRooms(): Iterable<string> {
    const seen = new Set<string>();
    for (const seat of this.#peers.values()) {
      if (seen.has(seat.roomId)) continue;
      seen.add(seat.roomId);
      yield seat.roomId;
    }
  }

  /**
   * A resumed seat: the old socket is still in the roster (its loss not yet noticed), and this one takes its place,
   * host role included. A seat held on another node moves here; null when it vanished meanwhile.
   */
  async #takeOver(roomId: string, peerId: string, current: RoomView): Promise<RoomView | null> {
    const local = this.#peers.get(peerId);
    this.#peers.delete(peerId);
    local?.socket.supersede();
    const remote = this.#remoteNode(current, peerId);
    if (!remote) return current;
    remote.cluster.post(remote.node, { kind: 'supersede', peer: peerId });
    return remote.cluster.claim(roomId, peerId);
  }

  /** The other node that holds `peerId`'s socket, with the link to it; undefined on one node or when it is here. */
  #remoteNode(roster: RoomView, peerId: string): { cluster: ClusterLink; node: string } | undefined {
    const cluster = this.#options.cluster;
    const node = roster.nodes?.get(peerId);
    return cluster && node !== undefined && node !== cluster.nodeId ? { cluster, node } : undefined;
  }

  /**
   * Adds a member in the registry. When that fails, the member is taken out again (best effort): a shared store that
   * timed out may still have written it, and a member without a socket would stay in the roster for good.
   */
  async #add(socket: PeerSocket, roomId: string, entry: RosterEntry, access: RoomAccess): Promise<Result<RoomView, JoinError>> {
    try {
      return await this.#options.registry.join(roomId, entry, access);
    } catch (error) {
      this.#remove(roomId, entry.id).catch((undoError: unknown) => {
        socket.log('error', { err: undoError, room: roomId }, 'undoing a failed join failed');
      });
      throw error;
    }
  }

  /** Takes a peer out of the registry's roster, remembers it for late signals, and announces the room. */
  async #remove(roomId: string, peerId: string): Promise<void> {
    this.#offers.forget(peerId);
    const roster = await this.#options.registry.leave(roomId, peerId);
    this.#announce(roomId, roster);
  }

  /**
   * Sends the roster to every member of the room connected to this process, and to the other nodes that hold members
   * of it (each announces to its own).
   */
  #announce(roomId: string, roster: RoomView | null, newcomer?: string): void {
    if (!roster) return;
    this.#announceHere(roomId, roster, newcomer);
    const { cluster } = this.#options;
    if (!cluster || !roster.nodes || roster.version === undefined) return;
    const message: NodeMessage = { kind: 'roster', room: roomId, version: roster.version, hostId: roster.hostId, members: roster.members };
    for (const node of new Set(roster.nodes.values())) if (node !== cluster.nodeId) cluster.post(node, message);
  }

  /**
   * Sends the roster to the room's members on this process, unless a newer one was announced here already (nodes'
   * announcements of one room may cross). Members who just left or stopped hosting are remembered for late signals.
   */
  #announceHere(roomId: string, roster: Roster & { readonly version?: number | undefined }, newcomer?: string): void {
    const previous = this.#versions.advance(roomId, roster, roster.members.some((member) => this.#peers.has(member.id)));
    if (previous === undefined) return;
    if (roster.members.length === 0) this.#recent.forgetRoom(roomId);
    else for (const id of previous) this.#recent.note(roomId, id);
    if (roster.hostId === null) return;
    for (const member of roster.members) {
      const socket = this.#peers.get(member.id)?.socket;
      // A host signals with every other member, so its rate limit scales with them; a member has one link.
      socket?.setLinks(roster.hostId === member.id ? Math.max(1, roster.members.length - 1) : 1);
      socket?.setHosting(roster.hostId === member.id && roster.members.length > 1);
    }
    this.#rosters.post(roomId, roster, newcomer);
  }
}
