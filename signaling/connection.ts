import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { CloseCode, ErrorCode } from '../shared/errors.ts';
import { PROTOCOL_VERSION } from '../shared/limits.ts';
import { parseClientMessage, type ClientMessage } from '../shared/protocol/client-message.ts';
import type { IceServer, SignalData } from '../shared/protocol/fields.ts';
import type { ServerMessage } from '../shared/protocol/server-message.ts';
import { assertNever } from '../shared/result.ts';
import { hasMember, maySignal, type Roster } from '../shared/roster.ts';
import { probeSocket } from './heartbeat.ts';
import type { ServerMetrics } from './metrics.ts';
import type { ServerLimits } from './server-limits.ts';
import { FrameThrottle } from '../shared/rate-limit.ts';
import type { ResumeTokens } from './resume-tokens.ts';
import type { RoomRegistry } from './rooms.ts';

/** What every connection of one server shares. */
export interface ConnectionContext {
  readonly registry: RoomRegistry;
  /** The sockets of this process, by the peer id they joined as. */
  readonly peers: Map<string, Connection>;
  readonly iceServers: readonly IceServer[];
  /** Put in `welcome` so that invite links made on localhost work for others. */
  readonly shareUrl: string | undefined;
  readonly logger: Logger;
  readonly newPeerId: () => string;
  readonly resumeTokens: ResumeTokens;
  /** How long a host has to answer a liveness probe after a member reported it silent. */
  readonly probeTimeoutMs: number;
  readonly limits: ServerLimits;
  readonly metrics: ServerMetrics;
}

/** Protocol errors a socket may make before it is closed with 4002. */
const MAX_VIOLATIONS = 20;

type State =
  | { readonly phase: 'fresh' }
  | { readonly phase: 'joining' }
  | { readonly phase: 'joined'; readonly roomId: string; readonly peerId: string }
  | { readonly phase: 'closed' };

/**
 * One client's socket: parses each frame, refuses bad ones with a typed error, and applies joins, signals and leaves
 * to the room registry. Nothing one connection does can throw into another's.
 */
export class Connection {
  readonly #socket: WebSocket;
  readonly #context: ConnectionContext;
  readonly #baseLogger: Logger;
  readonly #ip: string;
  #childLogger: Logger | undefined;
  /** Sends are corked until the end of the tick, so several messages to one socket leave in one write. */
  #corked = false;
  #state: State = { phase: 'fresh' };
  #violations = 0;
  #probing = false;
  readonly #throttle: FrameThrottle;
  readonly #joinDeadline: ReturnType<typeof setTimeout>;
  /** Signaling links this socket stands for: one, or one per other member while it hosts (scales its rate limit). */
  #links = 1;

  constructor(socket: WebSocket, context: ConnectionContext, logger: Logger, ip: string) {
    this.#socket = socket;
    this.#context = context;
    this.#baseLogger = logger;
    this.#ip = ip;
    this.#throttle = new FrameThrottle(context.limits.messageBurst, context.limits.messagesPerSecond);
    this.#joinDeadline = setTimeout(() => {
      if (this.#state.phase !== 'fresh') return;
      this.#context.metrics.cut('join_timeout');
      this.#socket.close(CloseCode.JoinTimeout, 'no join in time');
    }, context.limits.joinTimeoutMs);
    this.#joinDeadline.unref();
    socket.on('message', (data, isBinary) => this.#onFrame(data, isBinary));
    socket.on('close', () => this.#onClose());
  }

  /**
   * Sends one message if the socket is open. A client that does not read what it is sent (its unsent data passes
   * the buffer cap) is cut off rather than allowed to grow the server's memory.
   */
  send(message: ServerMessage): void {
    if (this.#socket.readyState !== this.#socket.OPEN) return;
    if (this.#socket.bufferedAmount > this.#context.limits.maxBufferedBytes) {
      this.#logger.warn({ buffered: this.#socket.bufferedAmount }, 'slow reader cut off');
      this.#context.metrics.cut('slow_reader');
      this.#socket.terminate();
      return;
    }
    if (message.type === 'error') this.#context.metrics.error(message.code);
    this.#cork();
    this.#socket.send(JSON.stringify(message));
  }

  /** The connection's logger, made on first use: idle sockets never pay for a child logger. */
  get #logger(): Logger {
    this.#childLogger ??= this.#baseLogger.child({ ip: this.#ip });
    return this.#childLogger;
  }

  /**
   * A relay burst (many signals arriving in one read) otherwise costs one write system call per message: the profile
   * of `npm run bench` showed writev as the server's largest cost. ws exposes no cork of its own, so the net.Socket
   * underneath (`_socket`, stable across ws 8) is corked until the end of the current tick.
   */
  #cork(): void {
    if (this.#corked) return;
    const raw = (this.#socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    if (!raw) return;
    this.#corked = true;
    raw.cork();
    process.nextTick(() => {
      this.#corked = false;
      raw.uncork();
    });
  }

  #onFrame(data: import('ws').RawData, isBinary: boolean): void {
    // Once the server has decided to close, whatever else the client sends is ignored.
    if (this.#socket.readyState !== this.#socket.OPEN) return;
    if (isBinary) {
      this.#refuse(ErrorCode.BadMessage, 'binary frames are not part of the protocol; send JSON text');
      this.#context.metrics.cut('binary_frame');
      this.#socket.close(CloseCode.BinaryFrame, 'binary frame');
      return;
    }
    if (!this.#admit()) return;
    const parsed = parseClientMessage(rawToString(data));
    if (!parsed.ok) {
      this.#refuse(parsed.error.code, parsed.error.message);
      return;
    }
    this.#context.metrics.message(parsed.value.type);
    this.#handle(parsed.value).catch((error: unknown) => {
      this.#logger.error({ err: error, type: parsed.value.type }, 'message handler failed');
    });
  }

  async #handle(message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'join':
        return this.#join(message.room, message.name, message.resume?.peerId, message.resume?.token, message.identity);
      case 'signal':
        return this.#signal(message.to, message.data);
      case 'leave':
        return this.#leave();
      case 'host-unreachable':
        return this.#probeHost();
      case 'handover':
        return this.#handOver();
      default:
        assertNever(message);
    }
  }

  async #join(roomId: string, name: string, resumeId?: string, resumeToken?: string, identity?: string): Promise<void> {
    if (this.#state.phase !== 'fresh') {
      this.#refuse(ErrorCode.AlreadyJoined, 'this connection has already joined a room');
      return;
    }
    this.#state = { phase: 'joining' };
    const { registry, resumeTokens } = this.#context;
    // A valid resume claim keeps the peer id; an invalid one is not an error: the client gets a new id (a successor).
    const resuming = resumeId !== undefined && resumeToken !== undefined && resumeTokens.verify(roomId, resumeId, resumeToken);
    const peerId = resuming ? resumeId : this.#context.newPeerId();
    const current = resuming ? await registry.roster(roomId) : null;
    let roster: Roster;
    if (current && hasMember(current, peerId)) {
      // The old socket is still in the roster (its loss not yet noticed): this one takes its place, host role included.
      this.#context.peers.get(peerId)?.supersede();
      roster = current;
    } else {
      const result = await registry.join(roomId, { id: peerId, name, ...(identity === undefined ? {} : { identity }) });
      if (!result.ok) {
        this.#state = { phase: 'fresh' };
        this.send({ type: 'error', code: result.error, message: joinErrorText(result.error, name) });
        return;
      }
      roster = result.value;
    }
    if ((this.#state as State).phase === 'closed') {
      // The socket went away while the registry was working; undo the join.
      await this.#announce(roomId, await registry.leave(roomId, peerId));
      return;
    }
    this.#state = { phase: 'joined', roomId, peerId };
    clearTimeout(this.#joinDeadline);
    this.#context.peers.set(peerId, this);
    this.#logger.info({ room: roomId, peer: peerId, resumed: resuming, members: roster.members.length }, 'joined');
    const { iceServers, shareUrl } = this.#context;
    this.send({
      type: 'welcome',
      v: PROTOCOL_VERSION,
      peerId,
      room: roomId,
      iceServers: [...iceServers],
      resumeToken: resumeTokens.issue(roomId, peerId),
      ...(shareUrl ? { shareUrl } : {}),
    });
    await this.#announce(roomId, roster);
  }

  /** Another socket resumed this peer id: close this one without taking the person out of the room. */
  supersede(): void {
    const state = this.#state;
    this.#state = { phase: 'closed' };
    if (state.phase === 'joined' && this.#context.peers.get(state.peerId) === this) this.#context.peers.delete(state.peerId);
    this.#socket.close(CloseCode.Superseded, 'resumed on another connection');
  }

  async #probeHost(): Promise<void> {
    const state = this.#state;
    if (state.phase !== 'joined') {
      this.#refuse(ErrorCode.NotJoined, 'join a room first');
      return;
    }
    const roster = await this.#context.registry.roster(state.roomId);
    if (!roster?.hostId || roster.hostId === state.peerId) return;
    this.#context.peers.get(roster.hostId)?.probe(this.#context.probeTimeoutMs);
  }

  /** Checks that this socket is alive; terminates it when no pong comes in time. One probe at a time. */
  probe(timeoutMs: number): void {
    if (this.#probing) return;
    this.#probing = true;
    this.#socket.once('pong', () => {
      this.#probing = false;
    });
    probeSocket(this.#socket, timeoutMs);
  }

  async #handOver(): Promise<void> {
    const state = this.#state;
    if (state.phase !== 'joined') {
      this.#refuse(ErrorCode.NotJoined, 'join a room first');
      return;
    }
    await this.#announce(state.roomId, await this.#context.registry.handOver(state.roomId, state.peerId));
  }

  async #signal(to: string, data: SignalData): Promise<void> {
    const state = this.#state;
    if (state.phase !== 'joined') {
      this.#refuse(ErrorCode.NotJoined, 'join a room before signaling');
      return;
    }
    const roster = await this.#context.registry.roster(state.roomId);
    const target = this.#context.peers.get(to);
    if (!roster || !target || !maySignal(roster, state.peerId, to)) {
      this.#refuse(ErrorCode.BadTarget, 'signals go only between a member and the host of the same room');
      return;
    }
    // A new object with `from` stamped here: the sender's own claims are never forwarded.
    target.send({ type: 'signal', from: state.peerId, data });
  }

  async #leave(): Promise<void> {
    await this.#departFromRoom();
    this.#socket.close(CloseCode.Normal, 'left');
  }

  #onClose(): void {
    clearTimeout(this.#joinDeadline);
    this.#departFromRoom().catch((error: unknown) => this.#logger.error({ err: error }, 'cleanup after close failed'));
  }

  async #departFromRoom(): Promise<void> {
    const state = this.#state;
    this.#state = { phase: 'closed' };
    if (state.phase !== 'joined') return;
    this.#context.peers.delete(state.peerId);
    this.#logger.info({ room: state.roomId, peer: state.peerId }, 'left');
    await this.#announce(state.roomId, await this.#context.registry.leave(state.roomId, state.peerId));
  }

  /** Sends the roster to every member of the room that is connected to this process. */
  async #announce(roomId: string, roster: Roster | null): Promise<void> {
    if (!roster || roster.hostId === null) return;
    const message: ServerMessage = { type: 'roster', hostId: roster.hostId, members: [...roster.members] };
    for (const member of roster.members) {
      const peer = this.#context.peers.get(member.id);
      if (!peer) continue;
      peer.#countLinks(roster, member.id);
      peer.send(message);
    }
  }

  /** A host signals with every other member, so its rate limit scales with them; a member has one link. */
  #countLinks(roster: Roster, selfId: string): void {
    this.#links = roster.hostId === selfId ? Math.max(1, roster.members.length - 1) : 1;
  }

  /**
   * Applies the rate limit to one frame; false when it is dropped. Dropped frames are not protocol errors (a host
   * catching up after a hand-over may brush the limit); a flood that goes on past the refusals is closed with 4002.
   */
  #admit(): boolean {
    const verdict = this.#throttle.judge(this.#links);
    if (verdict === 'warn') this.send({ type: 'error', code: ErrorCode.RateLimited, message: 'too many messages; slow down' });
    if (verdict === 'cut') {
      this.#logger.warn('message flood cut off');
      this.#context.metrics.cut('rate_limited');
      this.#socket.close(CloseCode.ProtocolViolation, 'message flood');
    }
    return verdict === 'pass';
  }

  #refuse(code: string, text: string): void {
    this.send({ type: 'error', code, message: text });
    this.#violations += 1;
    if (this.#violations > MAX_VIOLATIONS && this.#socket.readyState === this.#socket.OPEN) {
      this.#context.metrics.cut('protocol_violation');
      this.#socket.close(CloseCode.ProtocolViolation, 'too many protocol errors');
    }
  }
}

function rawToString(data: import('ws').RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function joinErrorText(code: string, name: string): string {
  return code === ErrorCode.NameTaken
    ? `the name "${name}" is taken in this room; pick another`
    : 'the room is full; try again later or use another room';
}
