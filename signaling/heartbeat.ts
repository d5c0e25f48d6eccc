import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Pings every socket each `intervalMs` and terminates the ones that did not answer the previous ping, so a peer whose
 * network vanished leaves the roster within two intervals. Returns the function that stops it.
 */
export function startHeartbeat(wss: WebSocketServer, intervalMs: number): () => void {
  const alive = new WeakMap<WebSocket, boolean>();
  // One listener for every socket (ws calls it with the socket as `this`): a closure per socket cost ~100 bytes each.
  function answered(this: WebSocket): void {
    alive.set(this, true);
  }
  const track = (socket: WebSocket): void => {
    alive.set(socket, true);
    socket.on('pong', answered);
  };
  wss.on('connection', track);
  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    wss.off('connection', track);
  };
}

/**
 * Checks one socket now: pings it and terminates it unless a pong comes within `timeoutMs`. Used when a member reports
 * that its host went silent, so a dead host is noticed in seconds rather than at the next heartbeat.
 */
export function probeSocket(socket: WebSocket, timeoutMs: number): void {
  const timer = setTimeout(() => socket.terminate(), timeoutMs);
  timer.unref();
  socket.once('pong', () => clearTimeout(timer));
  socket.ping();
}
