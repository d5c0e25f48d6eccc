import type { Logger } from 'pino';
import { ErrorCode } from '../shared/errors.ts';
import { PROTOCOL_VERSION } from '../shared/limits.ts';
import { isOffer, type IceServer, type WireSignalData } from '../shared/protocol/fields.ts';
import type { RosterEntry, ServerMessage } from '../shared/protocol/server-message.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { hasMember, maySignal, type Roster } from '../shared/roster.ts';
import {
  accessError,
  openRoom,
  privateRoomText,
  provePrivateJoin,
  signalFormError,
  type AccessError,
  type PrivateClaim,
  type RoomAccess,
} from './private-rooms.ts';
import type { ResumeTokens } from './resume-tokens.ts';
import type { JoinError, RoomRegistry } from './rooms.ts';
import { signalingLimits } from './server-limits.ts';
import { OfferThrottle, RecentChanges } from './signal-guards.ts';

/**
 * One client's socket as the room service sees it: the few things the service may do to a connection. The service
 * never holds a connection itself, so no connection reaches into another.
 */
export interface PeerSocket {
  /** False once the socket is closing, closed or superseded: it takes no further part in a room. */
  readonly isOpen: boolean;
  /** Logs with the socket's context (its client address). */
  readonly logger: Logger;
  /** Sends one message if the socket is open; `json` is the message already serialized (one roster, many sockets). */
  send(message: ServerMessage, json?: string): void;
  /** Another socket resumed this peer id: close this one without taking the person out of the room. */
  supersede(): void;
  /** Checks that the socket is alive; terminates it when no pong comes within `timeoutMs`. */
  probe(timeoutMs: number): void;
  /** The signaling links this socket stands for: one, or one per other member while it hosts (scales its rate limit). */
  setLinks(links: number): void;
  /** Whether this socket hosts other members now: a host's page is pinged and dropped when it stops answering. */
  setHosting(hostsOthers: boolean): void;
}

/** Where an admitted socket sits: its room, the peer id it joined as, and the room's kind (fixed while it has members). */
export interface Seat {
  readonly roomId: string;
  readonly peerId: string;
  /** Decides which signals the seat may send: sealed in a private room, plain in an open one. */
  readonly access: RoomAccess['kind'];
}

/** A `join` as the client sent it. */
export interface JoinRequest {
  readonly roomId: string;
  readonly name: string;
  readonly resume?: { readonly peerId: string; readonly token: string } | undefined;
  /** The person's public identity, shown to the room in the roster. */
  readonly identity?: string | undefined;
  /** For a private room: the room key and its signature over the room and `challenge`. */
  readonly private?: PrivateClaim | undefined;
  /** The join challenge this connection sent in its `hello`; a private claim must sign this one. */
  readonly challenge: Uint8Array;
}

/** A request refused with a stable code and a text for people. */
export interface Refusal {
  readonly code: ErrorCode;
  readonly message: string;
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
}

/**
 * The rooms of one server process: admits sockets into rooms (resume included), routes signals between a member and
 * its host with the sender stamped here, announces every roster change, and passes the host role on. Rosters live in
 * the registry; this service keeps only which socket stands for which peer id.
 */
export class RoomService {
  readonly #options: RoomServiceOptions;
  /** The sockets of this process, by the peer id they joined as. */
  readonly #peers = new Map<string, PeerSocket>();
  /** Who left or stopped hosting each room lately: late signals to them are races. */
  readonly #recent: RecentChanges;
  /** Offers from each member to its host: each one costs the host a peer connection. */
  readonly #offers: OfferThrottle;

  constructor(options: RoomServiceOptions) {
    this.#options = options;
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
      socket.logger.error({ err: error, room: request.roomId }, 'room registry failed during a join');
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
    let roster: Roster;
    if (current && hasMember(current, peerId)) {
      // A resume token is no key: taking over a seat in a private room needs this connection's own proof too.
      const stored = await registry.access(roomId);
      const refused = stored && accessError(stored, access.value);
      if (refused) return err(accessRefusal(refused));
      // The old socket is still in the roster (its loss not yet noticed): this one takes its place, host role included.
      this.#peers.get(peerId)?.supersede();
      this.#peers.delete(peerId);
      roster = current;
    } else {
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
    this.#peers.set(peerId, socket);
    const kind = access.value.kind;
    socket.logger.info({ room: roomId, peer: peerId, resumed: resuming, access: kind, members: roster.members.length }, 'joined');
    const { iceServers, shareUrl, maxFileBytes } = this.#options;
    socket.send({
      type: 'welcome',
      v: PROTOCOL_VERSION,
      peerId,
      room: roomId,
      iceServers: [...iceServers],
      resumeToken: resumeTokens.issue(roomId, peerId),
      ...(shareUrl ? { shareUrl } : {}),
      ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
    });
    await this.#announce(roomId, roster);
    return ok({ roomId, peerId, access: kind });
  }

  /** Takes `socket` out of its room (a `leave` or a closed socket) unless a newer socket has resumed its seat. */
  async depart(socket: PeerSocket, seat: Seat): Promise<void> {
    if (this.#peers.get(seat.peerId) !== socket) return;
    this.#peers.delete(seat.peerId);
    socket.logger.info({ room: seat.roomId, peer: seat.peerId }, 'left');
    await this.#remove(seat.roomId, seat.peerId);
  }

  /**
   * Forwards one signal from `seat` to `to`, a new object with `from` stamped here: the sender's claims never pass.
   * Only a member and its room's host signal each other; a signal that crossed a roster change on its way (its target
   * just left or lost the host role, or its sender just stopped hosting) is dropped without an answer. A member's
   * offers to its host pass the offer limit. In a private room only sealed signals pass, in an open room only plain
   * ones; the server never opens a sealed one.
   */
  async signal(seat: Seat, to: string, data: WireSignalData): Promise<SignalOutcome> {
    const { roomId, peerId } = seat;
    const wrongForm = signalFormError(seat.access, data);
    if (wrongForm) return { kind: 'refused', code: wrongForm, message: privateRoomText(wrongForm), violation: true };
    const roster = await this.#options.registry.roster(roomId);
    if (roster && maySignal(roster, peerId, to)) {
      const target = this.#peers.get(to);
      // In the roster without a socket here: it is joining or leaving at this very moment.
      if (!target) return { kind: 'dropped' };
      if (isOffer(data) && to === roster.hostId) {
        const verdict = this.#offers.judge(peerId, to);
        if (verdict !== 'pass') return { kind: 'refused', ...tooManyOffers, violation: verdict === 'violation' };
      }
      target.send({ type: 'signal', from: peerId, data });
      return { kind: 'delivered' };
    }
    const recent = (id: string): boolean => this.#recent.has(roomId, id);
    const raced = roster !== null && hasMember(roster, peerId) && to !== peerId && (recent(to) || recent(peerId));
    return raced ? { kind: 'dropped' } : { kind: 'refused', ...badTarget, violation: true };
  }

  /** A member reports its host silent: the host's socket is probed, and dropped unless it answers in time. */
  async probeHost(seat: Seat): Promise<void> {
    const roster = await this.#options.registry.roster(seat.roomId);
    if (!roster?.hostId || roster.hostId === seat.peerId) return;
    this.#peers.get(roster.hostId)?.probe(this.#options.probeTimeoutMs);
  }

  /** The host asks to pass its role on; anyone else asking changes nothing. */
  async handOver(seat: Seat): Promise<void> {
    const roster = await this.#options.registry.handOver(seat.roomId, seat.peerId);
    if (roster) this.#recent.note(seat.roomId, seat.peerId);
    await this.#announce(seat.roomId, roster);
  }

  /**
   * Adds a member in the registry. When that fails, the member is taken out again (best effort): a shared store that
   * timed out may still have written it, and a member without a socket would stay in the roster for good.
   */
  async #add(socket: PeerSocket, roomId: string, entry: RosterEntry, access: RoomAccess): Promise<Result<Roster, JoinError>> {
    try {
      return await this.#options.registry.join(roomId, entry, access);
    } catch (error) {
      this.#remove(roomId, entry.id).catch((undoError: unknown) => {
        socket.logger.error({ err: undoError, room: roomId }, 'undoing a failed join failed');
      });
      throw error;
    }
  }

  /** Takes a peer out of the registry's roster, remembers it for late signals, and announces the room. */
  async #remove(roomId: string, peerId: string): Promise<void> {
    this.#offers.forget(peerId);
    const roster = await this.#options.registry.leave(roomId, peerId);
    if (roster?.members.length === 0) this.#recent.forgetRoom(roomId);
    else if (roster) this.#recent.note(roomId, peerId);
    await this.#announce(roomId, roster);
  }

  /** Sends the roster to every member of the room that is connected to this process. */
  async #announce(roomId: string, roster: Roster | null): Promise<void> {
    if (!roster || roster.hostId === null) return;
    const message: ServerMessage = { type: 'roster', hostId: roster.hostId, members: [...roster.members] };
    // Serialized once for the whole room: a roster of 100 is about 15 KB, and a join sends it to every member.
    const json = JSON.stringify(message);
    for (const member of roster.members) {
      const socket = this.#peers.get(member.id);
      if (!socket) continue;
      // A host signals with every other member, so its rate limit scales with them; a member has one link.
      socket.setLinks(roster.hostId === member.id ? Math.max(1, roster.members.length - 1) : 1);
      socket.setHosting(roster.hostId === member.id && roster.members.length > 1);
      socket.send(message, json);
    }
  }
}

const badTarget: Refusal = {
  code: ErrorCode.BadTarget,
  message: 'signals go only between a member and the host of the same room',
};

const tooManyOffers: Refusal = {
  code: ErrorCode.TooManyOffers,
  message: 'too many offers to the host; the host was not asked to link again, wait a second',
};

/** The answer to a request the registry failed: nothing changed, and the client may retry. */
export const unavailable: Refusal = {
  code: ErrorCode.Unavailable,
  message: 'the server could not reach its room registry; nothing changed, try again shortly',
};

function accessRefusal(code: AccessError): Refusal {
  return { code, message: privateRoomText(code) };
}

function joinErrorText(code: JoinError, name: string): string {
  switch (code) {
    case ErrorCode.NameTaken:
      return `the name "${name}" is taken in this room; pick another`;
    case ErrorCode.RoomFull:
      return 'the room is full; try again later or use another room';
    default:
      return privateRoomText(code);
  }
}
