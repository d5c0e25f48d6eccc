import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import { CloseCode } from '../shared/errors.ts';
import { RatePolicy } from '../shared/rate-limit.ts';
import { JOIN_CHALLENGE_BYTES } from '../shared/crypto/private-room.ts';
import { MAX_SIGNAL_FRAME_BYTES } from '../shared/limits.ts';
import { defaultHostWatch, type HostWatchPolicy } from '../shared/liveness.ts';
import type { IceServer } from '../shared/protocol/fields.ts';
import type { Result } from '../shared/result.ts';
import { admit, parseOrigins } from './admission.ts';
import { clientIp, ProxyList } from './client-ip.ts';
import { Connection, type ConnectionContext } from './connection.ts';
import { Deadlines } from './deadlines.ts';
import { startHeartbeat } from './heartbeat.ts';
import { HostWatch } from './host-watch.ts';
import { createStaticHandler, reply, securityHeaders } from './http.ts';
import { ServerMetrics } from './metrics.ts';
import { RandomText } from './random-text.ts';
import { ResumeTokens } from './resume-tokens.ts';
import { RoomService } from './room-service.ts';
import type { RedisNode } from './redis/node.ts';
import { InMemoryRoomRegistry, type RoomRegistry } from './rooms.ts';
import { ServerSocket } from './server-socket.ts';
import { SocketTable } from './socket-table.ts';
import { defaultHttpLimits, defaultServerLimits, transportLimits, type HttpLimits, type ServerLimits } from './server-limits.ts';

/** What a signaling server needs to run. */
export interface SignalingServerOptions {
  readonly staticDir: string;
  readonly iceServers: readonly IceServer[];
  /** The address people elsewhere should open; handed to clients for invite links. */
  readonly shareUrl?: string | undefined;
  readonly logger: Logger;
  readonly registry?: RoomRegistry;
  /**
   * Shares rooms with the other nodes on one Redis (REDIS_URL): its registry replaces `registry`, and `listen`
   * connects it first. The server stops it when it stops.
   */
  readonly redisNode?: RedisNode | undefined;
  /** Ping every socket this often; a socket that missed the previous ping is terminated. Default 30 s. */
  readonly heartbeatMs?: number | undefined;
  /**
   * How long a host reported silent has to answer a WebSocket ping. Default 3 s. Only for clients that do not answer
   * application-level pings (see `hostWatch`).
   */
  readonly probeTimeoutMs?: number | undefined;
  /** How hosts whose pages answer `ping` are watched; each missing field takes its default (defaultHostWatch). */
  readonly hostWatch?: Partial<HostWatchPolicy> | undefined;
  /** Secret for resume tokens; random per process when omitted. */
  readonly resumeSecret?: string | undefined;
  /** Defences; each missing one takes its default. */
  readonly limits?: Partial<ServerLimits> | undefined;
  /** Node's HTTP limits; each missing one takes its default. */
  readonly http?: Partial<HttpLimits> | undefined;
  /** Page origins allowed besides the server's own and the share URL's ('*' for any). Throws on a bad entry. */
  readonly allowedOrigins?: readonly string[] | undefined;
  /** Proxy addresses and CIDR ranges whose X-Forwarded-For is believed. Throws on a bad entry. */
  readonly trustedProxies?: readonly string[] | undefined;
  /** Time in ms for the rate limits, the violation count and the signal guards; Date.now unless a test drives it. */
  readonly now?: (() => number) | undefined;
}

/** A running (or ready to run) signaling server. */
export interface SignalingServer {
  readonly http: Server;
  readonly metrics: ServerMetrics;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo>;
  /**
   * Stops gracefully: refuses new connections, tells every client the server is going away (close 1001, so they
   * reconnect elsewhere or later), and terminates what has not closed within the grace time.
   */
  shutdown(): Promise<void>;
  /** Stops at once: terminates every socket. */
  close(): Promise<void>;
}

/** Path of the signaling WebSocket endpoint. */
export const SIGNALING_PATH = '/ws';

/** Builds the HTTP server (static client, health, metrics) with the signaling WebSocket endpoint at /ws. */
export function createSignalingServer(options: SignalingServerOptions): SignalingServer {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const limits: ServerLimits = { ...defaultServerLimits, ...options.limits };
  const { redisNode } = options;
  const registry = redisNode?.registry ?? options.registry ?? new InMemoryRoomRegistry({ maxMembers: limits.roomSize });
  const metrics = new ServerMetrics({
    rooms: () => registry.roomCount(),
    peers: () => rooms.peerCount,
    redis: redisNode && (() => redisNode.health()),
  });
  const randomText = new RandomText();
  const rooms = new RoomService({
    registry,
    iceServers: options.iceServers,
    shareUrl: options.shareUrl,
    maxFileBytes: limits.maxFileBytes,
    newPeerId: () => randomText.take(12),
    resumeTokens: new ResumeTokens(options.resumeSecret),
    probeTimeoutMs: options.probeTimeoutMs ?? 3000,
    now,
    cluster: redisNode,
    onCrossNodeSignal: (direction) => metrics.crossNodeSignal(direction),
  });
  const serveStatic = createStaticHandler(options.staticDir);
  const httpLimits: HttpLimits = { ...defaultHttpLimits, ...options.http };
  const trustedProxies = orThrow(ProxyList.parse(options.trustedProxies ?? []), 'trustedProxies');
  // The share URL (PUBLIC_URL) is where people open the page: allowed even when a proxy rewrites Host.
  const shareOrigin = options.shareUrl && URL.canParse(options.shareUrl) ? [new URL(options.shareUrl).origin] : [];
  const allowedOrigins = new Set(orThrow(parseOrigins([...(options.allowedOrigins ?? []), ...shareOrigin]), 'allowedOrigins'));
  const connectionsPerIp = new Map<string, number>();
  let shuttingDown = false;

  const http = createServer(
    {
      maxHeaderSize: httpLimits.maxHeaderSize,
      headersTimeout: httpLimits.headersTimeoutMs,
      requestTimeout: httpLimits.requestTimeoutMs,
      keepAliveTimeout: httpLimits.keepAliveTimeoutMs,
      // Node checks the two timeouts above only this often (30 s by default, which lets a slowloris linger).
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(httpLimits.headersTimeoutMs / 2))),
    },
    (request, response) => route(request, response),
  );
  http.maxHeadersCount = httpLimits.maxHeadersCount;

  function route(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') {
      void health().then((body) => {
        response.writeHead(body.status === 'ok' ? 200 : 503, { ...securityHeaders, 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify(body));
      });
      return;
    }
    if (path === '/metrics') {
      metrics.render().then(
        (text) => {
          response.writeHead(200, { ...securityHeaders, 'content-type': metrics.registry.contentType });
          response.end(text);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'metrics failed');
          reply(response, 500, 'internal error');
        },
      );
      return;
    }
    serveStatic(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'static file failed');
      if (!response.headersSent) reply(response, 500, 'internal error');
    });
  }

  // ws ≥ 8.17.1 survives more headers than maxHeadersCount (CVE-2024-37890); 8.23 bounds fragments and chunks.
  // No per-message deflate: zlib contexts cost memory per socket and fragment the heap (ws README, node #8871).
  const wss = new WebSocketServer({
    noServer: true,
    // The connection table tracks the open sockets (ws's tracking costs a closure a socket).
    clientTracking: false,
    // Its listener table costs a fifth of ws's own (see ServerSocket).
    WebSocket: ServerSocket as unknown as typeof WebSocket,
    maxPayload: MAX_SIGNAL_FRAME_BYTES,
    perMessageDeflate: false,
    maxFragments: transportLimits.maxFragments,
    maxBufferedChunks: transportLimits.maxBufferedChunks,
  });
  wss.on('error', (error) => logger.error({ err: error }, 'websocket server error'));
  const connections = new SocketTable();

  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', destroySocket);
    if (upgradePath(request.url) !== SIGNALING_PATH) return refuseUpgrade(socket, 404, 'path');
    const ip = clientIp(request.socket.remoteAddress, request.headers['x-forwarded-for'], trustedProxies);
    const refusal = admit(
      request,
      { total: connections.size, fromIp: connectionsPerIp.get(ip) ?? 0, shuttingDown },
      { allowedOrigins, maxConnections: limits.maxConnections, maxConnectionsPerIp: limits.maxConnectionsPerIp },
    );
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.reason);
    // The 101 response and the `hello` leave in one write rather than two: each write to a socket is a system call
    // (and on loopback the receiver's work too), and a join is mostly such calls.
    socket.cork();
    wss.handleUpgrade(request, socket, head, (ws) => {
      // ws now listens for the raw socket's errors itself (and destroys it): a second listener would only cost memory.
      socket.off('error', destroySocket);
      // The server's WebSocket class (the `WebSocket` option above).
      accept(ws as ServerSocket, ip);
    });
    socket.uncork();
  });

  /** The body of /healthz: 'ok', or why this node should get no new clients ('stopping', or Redis unreachable). */
  async function health(): Promise<Record<string, unknown>> {
    const redis = redisNode ? await redisNode.health() : undefined;
    const status = shuttingDown ? 'stopping' : redis?.reachable === false ? 'redis_unreachable' : 'ok';
    return { status, connections: connections.size, uptimeSeconds: Math.round(process.uptime()), ...(redis ? { redis } : {}) };
  }

  function refuseUpgrade(socket: Socket, status: number, reason: Parameters<ServerMetrics['rejected']>[0]): void {
    metrics.rejected(reason);
    logger.debug({ reason }, 'connection refused');
    const text = { 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status];
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  const hostWatch = new HostWatch({ ...defaultHostWatch, ...options.hostWatch });
  // Each beat also lets idle connections drop the limits' state they no longer need.
  const stopHeartbeat = startHeartbeat(wss, () => connections.sockets(), options.heartbeatMs ?? 30_000, () => connections.shed());

  // Listeners shared by every socket (ws calls them with the socket as `this`), not closures made per socket: a server
  // holds thousands of idle sockets, and each closure cost about 100 bytes of every one.
  const socketError = (error: Error): void => logger.debug({ err: error }, 'socket error');
  const connectionClosed = (ip: string): void => {
    const left = (connectionsPerIp.get(ip) ?? 1) - 1;
    if (left > 0) connectionsPerIp.set(ip, left);
    else connectionsPerIp.delete(ip);
    metrics.connectionClosed();
  };
  const joinDeadlines = new Deadlines<Connection>(limits.joinTimeoutMs, (connection) => connection.joinTimedOut());
  const context: ConnectionContext = {
    rooms,
    limits,
    metrics,
    now,
    hostWatch,
    newChallenge: () => randomText.take(JOIN_CHALLENGE_BYTES),
    joinDeadlines,
    logger,
    connectionClosed,
    framePolicy: new RatePolicy(limits.messageBurst, limits.messagesPerSecond, now),
    connections,
  };

  function accept(socket: ServerSocket, ip: string): void {
    // An unhandled socket error would kill the process (ws #1777): listen before anything else.
    socket.on('error', socketError);
    connectionsPerIp.set(ip, (connectionsPerIp.get(ip) ?? 0) + 1);
    metrics.connectionOpened();
    wss.emit('connection', socket);
    new Connection(socket, context, ip);
  }

  const closeListener = (): Promise<void> => new Promise((resolve) => http.close(() => resolve()));

  /** Stops sharing rooms once the closed sockets' departures have reached Redis (bounded: they may be failing). */
  async function leaveRedis(): Promise<void> {
    if (!redisNode) return;
    for (let waited = 0; rooms.peerCount > 0 && waited < limits.shutdownGraceMs; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await rooms.departed();
    await redisNode.stop(true);
  }

  return {
    http,
    metrics,
    listen: async (port, host) => {
      await redisNode?.start(rooms);
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          resolve(http.address() as AddressInfo);
        });
      });
    },
    async shutdown() {
      shuttingDown = true;
      stopHeartbeat();
      hostWatch.stop();
      joinDeadlines.stop();
      const closed = closeListener();
      for (const client of connections.sockets()) client.close(CloseCode.GoingAway, 'server shutting down');
      const deadline = setTimeout(() => {
        for (const client of connections.sockets()) client.terminate();
        http.closeAllConnections();
      }, limits.shutdownGraceMs);
      http.closeIdleConnections();
      await closed;
      clearTimeout(deadline);
      await leaveRedis();
    },
    async close() {
      shuttingDown = true;
      stopHeartbeat();
      hostWatch.stop();
      joinDeadlines.stop();
      for (const client of [...connections.sockets()]) client.terminate();
      const closed = closeListener();
      http.closeAllConnections();
      await closed;
      await leaveRedis();
    },
  };
}

/**
 * The path of an upgrade request. The signaling path itself, as clients send it, is recognised without parsing a URL
 * (a join costs a few system calls, and a URL parse is a good part of the rest); anything else is parsed.
 */
function upgradePath(url: string | undefined): string {
  if (url === SIGNALING_PATH) return url;
  return new URL(url ?? '/', 'http://localhost').pathname;
}

/** Shared by every raw socket during its upgrade (see the shared listeners in createSignalingServer). */
function destroySocket(this: Socket): void {
  this.destroy();
}

/** The value of a result, or a TypeError naming the option: a bad option is the caller's mistake. */
function orThrow<T>(result: Result<T, string>, option: string): T {
  if (!result.ok) throw new TypeError(`${option}: ${result.error}`);
  return result.value;
}
