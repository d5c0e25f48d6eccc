import { afterAll, afterEach, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { parseServerMessage, type ServerMessage } from '../../shared/protocol/server-message.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './server.ts';

/** The server message whose `type` is `T`. */
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** How a socket ended, as the client saw it. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** Options of {@link WsClient.next}. */
export interface NextOptions<M> {
  /** Only a message that satisfies this counts; earlier messages of the same type are dropped as stale. */
  readonly where?: (message: M) => boolean;
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * A raw `ws` client for signaling tests. Every frame the server sends is checked against the server-message schema
 * (a frame that fails makes every wait reject), and is kept as the JSON the server actually sent, extra fields and
 * all, so tests can prove what was not forwarded. Waits are on conditions, never on time.
 */
export class WsClient {
  readonly socket: WebSocket;
  /** Every frame received, in order, as parsed JSON (for failure messages). */
  readonly received: unknown[] = [];
  readonly #inbox: Record<string, unknown>[] = [];
  readonly #wakers = new Set<() => void>();
  #closeInfo: CloseInfo | null = null;
  #problem: string | null = null;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data, isBinary) => this.#onFrame(data, isBinary));
    socket.on('close', (code, reason) => {
      this.#closeInfo = { code, reason: reason.toString('utf8') };
      this.#wake();
    });
  }

  /** Opens a socket to `url` (with ws's client `options`, if given) and resolves once it is open. */
  static open(url: string, options?: WebSocket.ClientOptions): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options);
      const client = new WsClient(socket);
      socket.once('open', () => {
        socket.off('error', reject);
        // Errors after open (a refused oversize frame, say) show up as close codes; keep the process alive.
        socket.on('error', () => undefined);
        resolve(client);
      });
      socket.once('error', reject);
    });
  }

  /** Sends `message` as JSON text. */
  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /**
   * Sends a frame exactly as given: a string as a text frame, a Buffer as a binary frame unless `binary` is false
   * (then its bytes go out as a text frame, unchecked: how to send invalid UTF-8).
   */
  sendRaw(frame: string | Buffer, binary: boolean = Buffer.isBuffer(frame)): void {
    this.socket.send(frame, { binary });
  }

  /**
   * Resolves with (and removes) the first queued message of `type` that satisfies `where`, waiting for it if need
   * be. Rejects after the timeout, or as soon as the socket closes without such a message.
   */
  next<T extends ServerMessage['type']>(type: T, options: NextOptions<ServerMessageOf<T>> = {}): Promise<ServerMessageOf<T>> {
    const { where = () => true, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
    return new Promise((resolve, reject) => {
      const finish = (error: Error | null, value?: ServerMessageOf<T>): void => {
        clearTimeout(timer);
        this.#wakers.delete(check);
        if (error) reject(error);
        else resolve(value as ServerMessageOf<T>);
      };
      const check = (): void => {
        if (this.#problem) return finish(new Error(this.#problem));
        const index = this.#inbox.findIndex((m) => m['type'] === type && where(m as ServerMessageOf<T>));
        if (index >= 0) {
          const [found] = this.#inbox.splice(index, 1);
          // Older messages of the same type were passed over: they are stale now.
          for (let i = index - 1; i >= 0; i--) if (this.#inbox[i]?.['type'] === type) this.#inbox.splice(i, 1);
          return finish(null, found as ServerMessageOf<T>);
        }
        if (this.#closeInfo) return finish(new Error(`socket closed (${this.#describe()}) before a "${type}" message`));
      };
      const timer = setTimeout(() => finish(new Error(`no "${type}" message in ${timeoutMs} ms (${this.#describe()})`)), timeoutMs);
      this.#wakers.add(check);
      check();
    });
  }

  /** Resolves with the close code and reason once the socket has closed. */
  closed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CloseInfo> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!this.#closeInfo) return;
        clearTimeout(timer);
        this.#wakers.delete(check);
        resolve(this.#closeInfo);
      };
      const timer = setTimeout(() => {
        this.#wakers.delete(check);
        reject(new Error(`socket still open after ${timeoutMs} ms (${this.#describe()})`));
      }, timeoutMs);
      this.#wakers.add(check);
      check();
    });
  }

  /** Whether the socket is still open. */
  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a `join` (with a public identity, if given) and resolves with the welcome and the first roster after it. */
  async join(
    room: string,
    name: string,
    identity?: string,
  ): Promise<{ welcome: ServerMessageOf<'welcome'>; roster: ServerMessageOf<'roster'> }> {
    this.send({ type: 'join', v: 1, room, name, ...(identity === undefined ? {} : { identity }) });
    const welcome = await this.next('welcome');
    const roster = await this.next('roster');
    return { welcome, roster };
  }

  /** Drops the connection at once (no close handshake), as a crashed client would. */
  terminate(): void {
    this.socket.terminate();
  }

  #onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    if (isBinary) {
      this.#problem = 'the server sent a binary frame';
    } else {
      const parsed = parseServerMessage(text);
      if (!parsed.ok) this.#problem = `the server sent a frame outside the protocol (${parsed.error.message}): ${text}`;
      else this.#inbox.push(JSON.parse(text) as Record<string, unknown>);
    }
    this.received.push(isBinary ? data : text);
    this.#wake();
  }

  #wake(): void {
    for (const wake of [...this.#wakers]) wake();
  }

  #describe(): string {
    const close = this.#closeInfo ? `closed ${this.#closeInfo.code}` : 'open';
    return `${close}; received ${JSON.stringify(this.received)}`;
  }
}

/** Opens clients and terminates all of them at the end of a test. */
export class ClientPool {
  readonly #clients: WsClient[] = [];
  readonly #url: () => string;

  /** `url` is read at each open, so the pool can be made before the server is listening. */
  constructor(url: () => string) {
    this.#url = url;
  }

  /** Opens one client. */
  async open(): Promise<WsClient> {
    const client = await WsClient.open(this.#url());
    this.#clients.push(client);
    return client;
  }

  /** Opens a client and joins `room` as `name`; returns the client, its peer id and the roster its join brought. */
  async joined(room: string, name: string): Promise<{ client: WsClient; peerId: string; roster: ServerMessageOf<'roster'> }> {
    const client = await this.open();
    const { welcome, roster } = await client.join(room, name);
    return { client, peerId: welcome.peerId, roster };
  }

  /** Terminates every client opened so far. */
  closeAll(): void {
    for (const client of this.#clients.splice(0)) client.terminate();
  }
}

let roomCounter = 0;

/** A room id no other test uses. */
export function freshRoom(label = 'room'): string {
  roomCounter += 1;
  return `${label}-${process.pid}-${roomCounter}`;
}

/**
 * One real server for a test file (or a describe block) and a pool of `ws` clients on it: clients close after each
 * test, the server after the file (or block). `server()` is valid inside tests and hooks.
 */
export function useServerAndClients(options: TestServerOptions = {}): { readonly pool: ClientPool; server(): TestServer } {
  let server: TestServer | undefined;
  const pool = new ClientPool(() => server!.wsUrl);
  beforeAll(async () => {
    server = await startTestServer(options);
  });
  afterEach(() => pool.closeAll());
  afterAll(async () => {
    await server?.close();
  });
  return { pool, server: () => server! };
}
