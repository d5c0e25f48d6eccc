import type { ClientMessage } from '../../../shared/protocol/client-message.ts';
import type { ProtocolError } from '../../../shared/protocol/parse.ts';
import { parseServerMessage, type ServerMessage } from '../../../shared/protocol/server-message.ts';
import { Emitter } from './emitter.ts';
import { isRosterFrame, NewestRoster } from './newest-roster.ts';

/** The part of the WebSocket API the client uses; browsers' and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Makes a WebSocket; `globalThis.WebSocket` in browsers, `ws` in Node. */
export type WebSocketFactory = (url: string) => WebSocketLike;

/** What the signaling client reports. */
export interface SignalingClientEvents extends Record<string, unknown> {
  open: undefined;
  message: ServerMessage;
  /** A frame from the server that did not parse (a server of another version, most likely). */
  invalid: ProtocolError;
  close: { readonly code: number; readonly reason: string };
}

const OPEN = 1;

/**
 * One WebSocket to the signaling server: typed messages out, parsed messages in. Reconnecting is the room session's
 * job; this class is one connection's lifetime.
 */
export class SignalingClient extends Emitter<SignalingClientEvents> {
  readonly #socket: WebSocketLike;
  /** Rosters that arrive back to back: only the newest is read (see NewestRoster). */
  readonly #rosters = new NewestRoster((run) => setTimeout(run, 0), (raw) => this.#read(raw));
  #closed = false;

  constructor(url: string, createSocket: WebSocketFactory) {
    super();
    this.#socket = createSocket(url);
    this.#socket.onopen = () => this.emit('open', undefined);
    this.#socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      if (isRosterFrame(event.data)) return this.#rosters.hold(event.data);
      this.#rosters.flush();
      this.#read(event.data);
    };
    this.#socket.onerror = () => {
      // A 'close' event always follows an 'error' event; it carries what there is to know.
    };
    this.#socket.onclose = (event) => {
      this.#rosters.flush();
      this.#finish(event.code, event.reason);
    };
  }

  /** Whether messages can be sent now. */
  get isOpen(): boolean {
    return this.#socket.readyState === OPEN && !this.#closed;
  }

  /** Sends one message; returns false when the socket is not open. */
  send(message: ClientMessage): boolean {
    if (!this.isOpen) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Closes the socket; `close` is emitted once. */
  close(code = 1000, reason = ''): void {
    this.#rosters.drop();
    this.#socket.close(code, reason);
    this.#finish(code, reason);
  }

  #read(raw: string): void {
    if (this.#closed) return;
    const parsed = parseServerMessage(raw);
    if (parsed.ok) this.emit('message', parsed.value);
    else this.emit('invalid', parsed.error);
  }

  #finish(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close', { code, reason });
    this.removeAllListeners();
  }
}

/** The signaling URL for a server typed as `host:port` (or a full http(s)/ws(s) URL), secure when the page is. */
export function signalingUrl(server: string, pageIsSecure: boolean): URL {
  const trimmed = server.trim();
  const withScheme = /^[a-z]+:\/\//i.test(trimmed) ? trimmed : `${pageIsSecure ? 'https' : 'http'}://${trimmed}`;
  const url = new URL(withScheme);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError(`unsupported scheme ${url.protocol}`);
  url.pathname = '/ws';
  url.search = '';
  url.hash = '';
  return url;
}
