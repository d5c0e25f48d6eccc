import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { CloseCode, ErrorCode } from '../shared/errors.ts';
import { PROTOCOL_VERSION } from '../shared/limits.ts';
import { parseClientMessage, type ClientMessage } from '../shared/protocol/client-message.ts';
import type { IceServer } from '../shared/protocol/fields.ts';
import type { ServerMessage } from '../shared/protocol/server-message.ts';
import { assertNever } from '../shared/result.ts';
import { maySignal, type Roster } from '../shared/roster.ts';
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
  readonly #logger: Logger;
  #state: State = { phase: 'fresh' };
  #violations = 0;

  constructor(socket: WebSocket, context: ConnectionContext, logger: Logger) {
    this.#socket = socket;
    this.#context = context;
    this.#logger = logger;
    socket.on('message', (data, isBinary) => this.#onFrame(data, isBinary));
    socket.on('close', () => this.#onClose());
  }

  /** Sends one message if the socket is open. */
  send(message: ServerMessage): void {
    if (this.#socket.readyState === this.#socket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  #onFrame(data: import('ws').RawData, isBinary: boolean): void {
    if (isBinary) {
      this.#refuse(ErrorCode.BadMessage, 'binary frames are not part of the protocol; send JSON text');
      this.#socket.close(CloseCode.BinaryFrame, 'binary frame');
      return;
    }
    const parsed = parseClientMessage(rawToString(data));
    if (!parsed.ok) {
      this.#refuse(parsed.error.code, parsed.error.message);
      return;
    }
    this.#handle(parsed.value).catch((error: unknown) => {
      this.#logger.error({ err: error, type: parsed.value.type }, 'message handler failed');
    });
  }

  async #handle(message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'join':
        return this.#join(message.room, message.name);
      case 'signal':
        return this.#signal(message.to, message.data);
      case 'leave':
        return this.#leave();
      default:
        assertNever(message);
    }
  }

  async #join(roomId: string, name: string): Promise<void> {
    if (this.#state.phase !== 'fresh') {
      this.#refuse(ErrorCode.AlreadyJoined, 'this connection has already joined a room');
      return;
    }
    this.#state = { phase: 'joining' };
    const peerId = this.#context.newPeerId();
    const result = await this.#context.registry.join(roomId, { id: peerId, name });
    if (!result.ok) {
      this.#state = { phase: 'fresh' };
      this.send({ type: 'error', code: result.error, message: joinErrorText(result.error, name) });
      return;
    }
    if ((this.#state as State).phase === 'closed') {
      // The socket went away while the registry was working; undo the join.
      await this.#announce(roomId, await this.#context.registry.leave(roomId, peerId));
      return;
    }
    this.#state = { phase: 'joined', roomId, peerId };
    this.#context.peers.set(peerId, this);
    this.#logger.info({ room: roomId, peer: peerId, members: result.value.members.length }, 'joined');
    const { iceServers, shareUrl } = this.#context;
    this.send({ type: 'welcome', v: PROTOCOL_VERSION, peerId, room: roomId, iceServers: [...iceServers], ...(shareUrl ? { shareUrl } : {}) });
    await this.#announce(roomId, result.value);
  }

  async #signal(to: string, data: import('../shared/protocol/fields.ts').SignalData): Promise<void> {
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
    for (const member of roster.members) this.#context.peers.get(member.id)?.send(message);
  }

  #refuse(code: string, text: string): void {
    this.send({ type: 'error', code, message: text });
    this.#violations += 1;
    if (this.#violations > MAX_VIOLATIONS) this.#socket.close(CloseCode.ProtocolViolation, 'too many protocol errors');
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
