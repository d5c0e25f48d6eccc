import { pino } from 'pino';
import type { HostWatchPolicy } from '../../shared/liveness.ts';
import type { IceServer } from '../../shared/protocol/fields.ts';
import { RedisNode } from '../../signaling/redis/node.ts';
import { createSignalingServer, type SignalingServer } from '../../signaling/server.ts';
import type { RoomRegistry } from '../../signaling/rooms.ts';
import { defaultServerLimits, type ServerLimits } from '../../signaling/server-limits.ts';

/** A real signaling server on 127.0.0.1 and a free port, with its URLs. */
export interface TestServer {
  readonly server: SignalingServer;
  readonly port: number;
  /** http://127.0.0.1:PORT/ */
  readonly httpUrl: string;
  /** ws://127.0.0.1:PORT/ws */
  readonly wsUrl: string;
  close(): Promise<void>;
}

/** Settings a test may change. */
export interface TestServerOptions {
  readonly iceServers?: IceServer[];
  /** A fixed port (to restart a server where clients expect it); 0, a free one, by default. */
  readonly port?: number;
  readonly resumeSecret?: string;
  readonly heartbeatMs?: number;
  readonly probeTimeoutMs?: number;
  /** How hosts are pinged (defaultHostWatch unless given). */
  readonly hostWatch?: Partial<HostWatchPolicy>;
  readonly limits?: Partial<ServerLimits>;
  readonly allowedOrigins?: string[];
  readonly trustedProxies?: string[];
  /** A registry standing in for the default (to inject faults). */
  readonly registry?: RoomRegistry;
  /** A clock the test moves by hand, for the socket limits and the signal guards. */
  readonly now?: () => number;
  /** Shares rooms through this Redis with every other server given it (a node of several). */
  readonly redis?: { readonly url: string; readonly prefix?: string; readonly nodeTtlMs?: number };
}

/** Starts a real server on 127.0.0.1 (port 0 unless told), logging nothing unless LOG_LEVEL is set. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
  const roomSize = options.limits?.roomSize ?? defaultServerLimits.roomSize;
  const redis = options.redis;
  const redisNode =
    redis &&
    new RedisNode({
      url: redis.url,
      prefix: redis.prefix ?? 'chatus:',
      nodeTtlMs: redis.nodeTtlMs ?? 2000,
      roomTtlMs: 60_000,
      maxMembers: roomSize,
      logger,
      observe: (operation, seconds) => server.metrics.redisRoundTrip(operation, seconds),
    });
  const server = createSignalingServer({
    staticDir: 'dist/web',
    iceServers: options.iceServers ?? [],
    resumeSecret: options.resumeSecret,
    heartbeatMs: options.heartbeatMs,
    probeTimeoutMs: options.probeTimeoutMs,
    hostWatch: options.hostWatch,
    limits: options.limits,
    allowedOrigins: options.allowedOrigins,
    trustedProxies: options.trustedProxies,
    ...(options.registry ? { registry: options.registry } : {}),
    redisNode,
    now: options.now,
    logger,
  });
  const { port } = await server.listen(options.port ?? 0, '127.0.0.1');
  return {
    server,
    port,
    httpUrl: `http://127.0.0.1:${port}/`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    close: () => server.close(),
  };
}
