import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Pings every open socket (`sockets`) each `intervalMs` and terminates the ones that did not answer the previous
 * ping, so a peer whose network vanished leaves the roster within two intervals. Returns the function that stops it.
 * Between beats, once the pongs are in, it holds nothing per socket. `afterBeat` runs after each.
 */
export function startHeartbeat(wss: WebSocketServer, sockets: () => Iterable<WebSocket>, intervalMs: number, afterBeat?: () => void): () => void {
  /** Sockets the last beat pinged that have not answered yet. */
  let unanswered = new Set<WebSocket>();
  // One listener for every socket (ws calls it with the socket as `this`): a closure per socket cost ~100 bytes each.
  function answered(this: WebSocket): void {
    unanswered.delete(this);
  }
  const track = (socket: WebSocket): void => {
    socket.on('pong', answered);
  };
  wss.on('connection', track);
  const timer = setInterval(() => {
    // A new set each beat: one that closed while unanswered is not kept past the next beat.
    const missed = unanswered;
    unanswered = new Set();
    for (const socket of sockets()) {
      if (missed.has(socket)) {
        socket.terminate();
        continue;
      }
      unanswered.add(socket);
      socket.ping();
    }
    afterBeat?.();
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
