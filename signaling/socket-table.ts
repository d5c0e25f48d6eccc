import type { RawData, WebSocket } from 'ws';

/** What owns a socket: the connection that its frames and its close go to. */
export interface SocketOwner {
  /** One frame from the client. */
  receive(data: RawData, isBinary: boolean): void;
  /** The socket closed. */
  closed(): void;
  /** Drops state it can make again when needed (asked now and then while the socket idles). */
  shed(): void;
}

/**
 * The open sockets of one server, each with its connection, and the two listeners every socket shares (ws calls them
 * with the socket as `this`). It stands in for ws's own client tracking, which adds a closure to every socket; closures
 * made per socket cost about 160 bytes of every idle connection, an entry here a few dozen.
 */
export class SocketTable {
  readonly #bySocket = new Map<WebSocket, SocketOwner>();
  readonly #onMessage: (this: WebSocket, data: RawData, isBinary: boolean) => void;
  readonly #onClose: (this: WebSocket) => void;

  constructor() {
    const bySocket = this.#bySocket;
    this.#onMessage = function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
      bySocket.get(this)?.receive(data, isBinary);
    };
    this.#onClose = function onClose(this: WebSocket): void {
      const connection = bySocket.get(this);
      bySocket.delete(this);
      connection?.closed();
    };
  }

  /** Routes `socket`'s frames and its close to `connection`; the socket counts as open until it closes. */
  add(socket: WebSocket, connection: SocketOwner): void {
    this.#bySocket.set(socket, connection);
    socket.on('message', this.#onMessage);
    socket.on('close', this.#onClose);
  }

  /** Sockets open now. */
  get size(): number {
    return this.#bySocket.size;
  }

  /** Lets every socket's owner drop state it can make again (see {@link SocketOwner.shed}). */
  shed(): void {
    for (const owner of this.#bySocket.values()) owner.shed();
  }

  /** The open sockets. */
  sockets(): IterableIterator<WebSocket> {
    return this.#bySocket.keys();
  }
}
