import type { Logger } from 'pino';
import type { RawData } from 'ws';
import { CloseCode, ErrorCode } from '../shared/errors.ts';
import { parseClientMessage, type ClientMessage } from '../shared/protocol/client-message.ts';
import { fromBase64url } from '../shared/crypto/encoding.ts';
import { JOIN_CHALLENGE_BYTES } from '../shared/crypto/private-room.ts';
import type { WireSignalData } from '../shared/protocol/fields.ts';
import type { ServerMessage } from '../shared/protocol/server-message.ts';
import { assertNever } from '../shared/result.ts';
import { probeSocket } from './heartbeat.ts';
import type { HostWatch, WatchedHost } from './host-watch.ts';
import type { Deadlines } from './deadlines.ts';
import type { ServerMetrics } from './metrics.ts';
import { unavailable, type JoinRequest, type LogLevel, type PeerSocket, type RoomService, type Seat } from './room-service.ts';
import { helloFrame } from './server-frames.ts';
import type { ServerSocket } from './server-socket.ts';
import { textFrame } from './text-frame.ts';
import { signalingLimits, type ServerLimits } from './server-limits.ts';
import type { SocketOwner, SocketTable } from './socket-table.ts';
import { FrameThrottle, ViolationMeter, type RatePolicy } from '../shared/rate-limit.ts';

/** What every connection of one server shares. */
export interface ConnectionContext {
  readonly rooms: RoomService;
  readonly limits: ServerLimits;
  readonly metrics: ServerMetrics;
  /** Time for the socket's limits, in ms. */
  readonly now: () => number;
  /** A fresh random join challenge (JOIN_CHALLENGE_BYTES) as base64url text, one per connection. */
  readonly newChallenge: () => string;
  /** Sockets not yet admitted into a room; each one still held when its time is up gets `joinTimedOut`. */
  readonly joinDeadlines: Deadlines<Connection>;
  /** Pings hosts whose pages answer, and drops those that stop. */
  readonly hostWatch: HostWatch;
  /** The server's logger; a connection adds its client address to each line. */
  readonly logger: Logger;
  /** A socket from `ip` closed (the server counts connections per address). */
  readonly connectionClosed: (ip: string) => void;
  /** Every socket's rate limit: MESSAGE_BURST at once, MESSAGES_PER_SECOND after. */
  readonly framePolicy: RatePolicy;
  /** The open sockets, and the listeners they share. */
  readonly connections: SocketTable;
}

/**
 * A connection's yes/no facts, as bits of one number: four boolean fields would cost 24 more bytes of every idle
 * socket. `probing`: a WebSocket ping is out. `answersPing`: the client joined with `answersPing` (its own code answers
 * `ping`, and it is watched that way while it hosts). `heard`: a frame came since the host watch last asked. `spoke`: a
 * frame passed the rate limit without a throttle (see `#admit`).
 */
const Flag = { probing: 1, answersPing: 2, heard: 4, spoke: 8 } as const;
type Flag = (typeof Flag)[keyof typeof Flag];

/** Where a connection stands: before a join, while one is under way, in a room (its seat), or done. */
type State = 'fresh' | 'joining' | Seat | 'closed';

/**
 * One client's socket: parses each frame, applies the rate limit, refuses bad frames with a typed error, and passes
 * joins, signals and leaves to the room service. Nothing one connection does can throw into another's.
 *
 * Memory: a server holds thousands of these idle, so a connection keeps only what it needs while idle (measured with
 * heap snapshots, `npm run bench` compares with PeerServer): no child logger (one is made per log call), no closures
 * of its own (its socket's listeners are shared: {@link SocketTable}), its join challenge as text and only until
 * it joins, no join timer at all (one for the server: {@link Deadlines}), its seat as the state itself, and its rate limit and violation meter only
 * while they hold something a new one would not (on a policy all sockets share).
 */
export class Connection implements PeerSocket, WatchedHost, SocketOwner {
  readonly #socket: ServerSocket;
  readonly #context: ConnectionContext;
  readonly #ip: string;
  /** {@link Flag} bits. */
  #flags = 0;
  #state: State = 'fresh';
  /** Made at the first protocol error: most sockets never make one. */
  #violations: ViolationMeter | undefined;
  /** Made at the second frame, and dropped again whenever it is full (see {@link Connection.shed}). */
  #throttle: FrameThrottle | undefined;
  /** Signaling links this socket stands for: one, or one per other member while it hosts (scales its rate limit). */
  #links = 1;
  /**
   * This connection's join challenge, sent in `hello`. A private join must sign it, so a proof made for one
   * connection (seen by whoever relays or logs traffic, or a member's own old one) is no proof on any other. Kept as
   * the base64url text sent (a third of a Buffer's memory) and decoded for the one join that needs it; dropped once
   * joined (a socket joins once).
   */
  #challenge: string | undefined;

  constructor(socket: ServerSocket, context: ConnectionContext, ip: string) {
    this.#socket = socket;
    this.#context = context;
    this.#ip = ip;
    // The deadline holds until the socket is really admitted: a join the registry is still working on (or that failed
    // and was not retried) does not keep a socket open.
    context.joinDeadlines.add(this);
    context.connections.add(socket, this);
    // First frame, before any join: a client that joins an open room at once need not wait for it.
    this.#challenge = context.newChallenge();
    this.sendFrame(textFrame(helloFrame(this.#challenge)));
  }

  get isOpen(): boolean {
    return this.#state !== 'closed' && this.#socket.readyState === this.#socket.OPEN;
  }

  /** Sends one message if the socket is open (see {@link Connection.sendFrame}). */
  send(message: ServerMessage): void {
    if (!this.#writable()) return;
    if (message.type === 'error') this.#context.metrics.error(message.code);
    this.#socket.sendFrame(textFrame(JSON.stringify(message)));
  }

  /** Sends one message already framed by textFrame (never an `error`: those are counted by code) if the socket is open. */
  sendFrame(frame: Buffer): void {
    if (this.#writable()) this.#socket.sendFrame(frame);
  }

  /**
   * Whether the socket takes a further frame. A client that does not read what it is sent (its unsent data passes the
   * buffer cap) is cut off rather than allowed to grow the server's memory.
   */
  #writable(): boolean {
    if (this.#socket.readyState !== this.#socket.OPEN) return false;
    if (this.#socket.bufferedAmount <= this.#context.limits.maxBufferedBytes) return true;
    this.log('warn', { buffered: this.#socket.bufferedAmount }, 'slow reader cut off');
    this.#context.metrics.cut('slow_reader');
    this.#socket.terminate();
    return false;
  }

  /**
   * Logs one line with the socket's client address. Neither a child logger kept per socket (about 330 bytes of every
   * idle connection) nor one made per line (about 1 µs, and a join and a leave are logged at `info`, which production
   * may leave off): the address joins the line's fields, and only when the level is on.
   */
  log(level: LogLevel, fields: Record<string, unknown>, message: string): void {
    const logger = this.#context.logger;
    if (logger.isLevelEnabled(level)) logger[level]({ ip: this.#ip, ...fields }, message);
  }

  /** One frame from the client (called by the socket's shared listener). */
  receive(data: RawData, isBinary: boolean): void {
    // Once the server has decided to close, whatever else the client sends is ignored.
    if (this.#socket.readyState !== this.#socket.OPEN) return;
    if (isBinary) {
      this.#refuse(ErrorCode.BadMessage, 'binary frames are not part of the protocol; send JSON text');
      this.#context.metrics.cut('binary_frame');
      this.#socket.close(CloseCode.BinaryFrame, 'binary frame');
      return;
    }
    // Any frame proves the client's code ran, whatever becomes of it: the host watch counts it.
    this.#set(Flag.heard, true);
    if (!this.#admit()) return;
    const parsed = parseClientMessage(rawToString(data));
    if (!parsed.ok) {
      this.#refuse(parsed.error.code, parsed.error.message);
      return;
    }
    this.#context.metrics.message(parsed.value.type);
    this.#handle(parsed.value).catch((error: unknown) => {
      // A registry that failed (a join handles its own): nothing changed, and the client hears so and may retry.
      this.log('error', { err: error, type: parsed.value.type }, 'message handler failed');
      this.send({ type: 'error', code: unavailable.code, message: unavailable.message });
    });
  }

  async #handle(message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'join':
        // Only a join that can succeed says how this socket is watched; a second one is refused below.
        if (this.#state === 'fresh') this.#set(Flag.answersPing, message.answersPing === true);
        return this.#join({
          roomId: message.room,
          name: message.name,
          resume: message.resume,
          identity: message.identity,
          private: message.private,
          // Only a private claim signs the challenge: an open join need not decode it.
          challenge: message.private ? this.#challengeBytes() : new Uint8Array(0),
        });
      case 'signal':
        return this.#signal(message.to, message.data);
      case 'leave':
        return this.#leave();
      case 'host-unreachable':
        return this.#inRoom((seat) => this.#context.rooms.probeHost(seat));
      case 'handover':
        return this.#inRoom((seat) => this.#context.rooms.handOver(seat));
      case 'pong': // Counted above, as every frame is.
        return;
      default:
        assertNever(message);
    }
  }

  /** The join challenge as bytes (it always decodes: this connection encoded it, and only a joined one drops it). */
  #challengeBytes(): Uint8Array {
    const bytes = fromBase64url(this.#challenge ?? '', JOIN_CHALLENGE_BYTES);
    return bytes.ok ? bytes.value : new Uint8Array(JOIN_CHALLENGE_BYTES);
  }

  async #join(request: JoinRequest): Promise<void> {
    if (this.#state !== 'fresh') {
      this.#refuse(ErrorCode.AlreadyJoined, 'this connection has already joined a room');
      return;
    }
    this.#state = 'joining';
    const outcome = await this.#context.rooms.join(this, request);
    if (!outcome.ok) {
      if (this.#state === 'joining') this.#state = 'fresh';
      this.log('debug', { room: request.roomId, code: outcome.error.code }, 'join refused');
      this.send({ type: 'error', code: outcome.error.code, message: outcome.error.message });
      return;
    }
    this.#state = outcome.value;
    this.#challenge = undefined;
    this.#context.joinDeadlines.delete(this);
  }

  /** The join timeout passed before the socket was admitted into a room. */
  joinTimedOut(): void {
    if (typeof this.#state === 'object' || this.#state === 'closed') return;
    this.#context.metrics.cut('join_timeout');
    this.#socket.close(CloseCode.JoinTimeout, 'no join in time');
  }

  /** Another socket resumed this peer id: close this one without taking the person out of the room. */
  supersede(): void {
    this.#state = 'closed';
    this.#socket.close(CloseCode.Superseded, 'resumed on another connection');
  }

  /**
   * Checks that this socket is alive; terminates it when no pong comes in time. One probe at a time. A client that
   * answers `ping` is not probed: while it hosts, the host watch pings it already, and a WebSocket pong would only say
   * that its browser is alive, not its page.
   */
  probe(timeoutMs: number): void {
    if (this.#has(Flag.probing) || this.#has(Flag.answersPing)) return;
    this.#set(Flag.probing, true);
    this.#socket.once('pong', () => {
      this.#set(Flag.probing, false);
    });
    probeSocket(this.#socket, timeoutMs);
  }

  setLinks(links: number): void {
    this.#links = links;
  }

  setHosting(hostsOthers: boolean): void {
    if (hostsOthers && this.#has(Flag.answersPing) && this.isOpen) this.#context.hostWatch.watch(this);
    else this.#context.hostWatch.unwatch(this);
  }

  takeHeard(): boolean {
    const heard = this.#has(Flag.heard);
    this.#set(Flag.heard, false);
    return heard;
  }

  ping(): void {
    this.send({ type: 'ping' });
  }

  cutSilent(): void {
    this.log('info', {}, 'host stopped answering pings');
    this.#context.metrics.cut('host_silent');
    this.#socket.terminate();
  }

  /** Runs a room-scoped request, or refuses it before a join. */
  async #inRoom(action: (seat: Seat) => Promise<void>): Promise<void> {
    const state = this.#state;
    if (typeof state !== 'object') {
      this.#refuse(ErrorCode.NotJoined, 'join a room first');
      return;
    }
    await action(state);
  }

  async #signal(to: string, data: WireSignalData): Promise<void> {
    const state = this.#state;
    if (typeof state !== 'object') {
      this.#refuse(ErrorCode.NotJoined, 'join a room before signaling');
      return;
    }
    const outcome = await this.#context.rooms.signal(state, to, data);
    if (outcome.kind === 'refused') this.#refuse(outcome.code, outcome.message, outcome.violation);
    if (outcome.kind === 'dropped') this.#context.metrics.lateSignal();
  }

  async #leave(): Promise<void> {
    try {
      await this.#departFromRoom();
    } finally {
      this.#socket.close(CloseCode.Normal, 'left');
    }
  }

  /** The socket closed (called by its shared listener). */
  closed(): void {
    this.#context.joinDeadlines.delete(this);
    this.#context.connectionClosed(this.#ip);
    this.#context.hostWatch.unwatch(this);
    this.#departFromRoom().catch((error: unknown) => this.log('error', { err: error }, 'cleanup after close failed'));
  }

  async #departFromRoom(): Promise<void> {
    const state = this.#state;
    this.#state = 'closed';
    if (typeof state === 'object') await this.#context.rooms.depart(this, state);
  }

  /**
   * Applies the rate limit to one frame; false when it is dropped. Dropped frames are not protocol errors (a host
   * catching up after a hand-over may brush the limit); a flood that goes on past the refusals is closed with 4002.
   */
  #admit(): boolean {
    if (!this.#throttle) {
      // A new throttle passes any first frame (its bucket is full), so none is made for it: a socket that only joined
      // and idles never has one. The second frame makes it and counts the first, ignoring the refill between the two
      // (at most one token stricter).
      if (!this.#has(Flag.spoke)) {
        this.#set(Flag.spoke, true);
        return true;
      }
      this.#throttle = new FrameThrottle(this.#context.framePolicy);
      this.#throttle.judge(this.#links);
    }
    const verdict = this.#throttle.judge(this.#links);
    if (verdict === 'warn') this.send({ type: 'error', code: ErrorCode.RateLimited, message: 'too many messages; slow down' });
    if (verdict === 'cut') {
      this.log('warn', {}, 'message flood cut off');
      this.#context.metrics.cut('rate_limited');
      this.#socket.close(CloseCode.ProtocolViolation, 'message flood');
    }
    return verdict === 'pass';
  }

  /** Answers a refused request; a violation also counts toward the cut (4002). */
  #refuse(code: string, text: string, violation = true): void {
    this.send({ type: 'error', code, message: text });
    if (!violation) return;
    this.#violations ??= new ViolationMeter(signalingLimits.maxViolations, signalingLimits.violationWindowMs, this.#context.now);
    if (this.#violations.record() && this.#socket.readyState === this.#socket.OPEN) {
      this.#context.metrics.cut('protocol_violation');
      this.#socket.close(CloseCode.ProtocolViolation, 'too many protocol errors');
    }
  }

  /**
   * Drops the limits' state where it is back to a new socket's (a full bucket, a drained violation meter): most
   * connections idle after their first seconds, and the state is made again at need. Called now and then for every
   * socket (see SocketTable.shed).
   */
  shed(): void {
    if (this.#throttle?.resting) {
      this.#throttle = undefined;
      this.#set(Flag.spoke, false);
    }
    if (this.#violations?.drained) this.#violations = undefined;
  }

  #has(flag: Flag): boolean {
    return (this.#flags & flag) !== 0;
  }

  #set(flag: Flag, on: boolean): void {
    this.#flags = on ? this.#flags | flag : this.#flags & ~flag;
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
