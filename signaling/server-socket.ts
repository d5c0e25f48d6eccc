import type { Socket } from 'node:net';
import { WebSocket } from 'ws';

/** The events a server socket gets listeners for: the shared ones of SocketTable and the heartbeat, and `error`. */
const LISTENED_EVENTS = ['error', 'message', 'close', 'pong'] as const;

/** The prototype of every socket's listener table: nothing, so no event name finds an inherited property. */
const NO_LISTENERS = Object.create(null) as object;

/** The extensions of every socket: none (the server turns per-message deflate off), so one frozen object for all. */
const NO_EXTENSIONS = Object.freeze({});

/**
 * The WebSocket class of the signaling server (ws's `WebSocket` option): ws's own, made about 280 bytes smaller for
 * each socket a server holds.
 *
 * Its listener table costs about 55 bytes rather than 280. Node's EventEmitter starts each emitter's table as
 * `{ __proto__: null }`, which V8 keeps as a hash table (dictionary mode) from its first key on; a table made with its
 * keys in place, as Node's own streams make theirs, is a plain object whose shape every socket shares. Heap snapshots
 * of idle joined connections showed the hash table as the largest single object of each socket. EventEmitter reads a
 * key whose value is `undefined` as no listener, so nothing else changes.
 *
 * ws gives each socket an empty object for its negotiated extensions and only ever reads it, unless the handshake
 * agrees on per-message deflate, which replaces it; the server never does (`perMessageDeflate: false`), so every
 * socket shares one empty object.
 */
export class ServerSocket extends WebSocket {
  /** Made by ws's server only, as `new ServerSocket(null, undefined, serverOptions)`. */
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    const table = Object.create(NO_LISTENERS) as Record<string, unknown>;
    for (const event of LISTENED_EVENTS) table[event] = undefined;
    // `_events` is EventEmitter's table, which Node's streams preset the same way; no listener exists yet.
    (this as unknown as { _events: object })._events = table;
    (this as unknown as { _extensions: object })._extensions = NO_EXTENSIONS;
  }

  /**
   * Sends a frame made by textFrame, written to the TCP socket as it is (ws's `_socket`, stable across ws 8). Frames
   * keep their order beside ws's own (pings, pongs, the close frame): ws queues a frame only while it compresses one or
   * reads a Blob, and this server neither compresses (no per-message deflate) nor sends Blobs, so ws writes each of its
   * frames at once too.
   *
   * The TCP socket is corked until the end of the tick: a burst of frames (a relay burst read at once, a welcome and
   * its roster) otherwise costs a write system call each, and the profile of `npm run bench` showed writev as the
   * server's largest cost. Node counts corks, so one already under way (the upgrade's) is not added to.
   */
  sendFrame(frame: Buffer): void {
    const raw = (this as unknown as { _socket: Socket })._socket;
    if (raw.writableCorked === 0) {
      raw.cork();
      process.nextTick(uncork, raw);
    }
    raw.write(frame);
  }
}

/** Ends a tick's cork (one function for every socket: no closure per burst). */
function uncork(raw: Socket): void {
  raw.uncork();
}
