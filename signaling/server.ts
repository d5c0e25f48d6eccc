import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { MAX_ROOM_MEMBERS, MAX_SIGNAL_FRAME_BYTES } from '../shared/limits.ts';
import type { IceServer } from '../shared/protocol/fields.ts';
import { Connection, type ConnectionContext } from './connection.ts';
import { createStaticHandler, reply } from './http.ts';
import { startHeartbeat } from './heartbeat.ts';
import { ResumeTokens } from './resume-tokens.ts';
import { InMemoryRoomRegistry, type RoomRegistry } from './rooms.ts';

/** What a signaling server needs to run. */
export interface SignalingServerOptions {
  readonly staticDir: string;
  readonly iceServers: readonly IceServer[];
  /** The address people elsewhere should open; handed to clients for invite links. */
  readonly shareUrl?: string | undefined;
  readonly logger: Logger;
  readonly registry?: RoomRegistry;
  /** Ping every socket this often; a socket that missed the previous ping is terminated. Default 30 s. */
  readonly heartbeatMs?: number | undefined;
  /** How long a host reported silent has to answer a probe. Default 3 s. */
  readonly probeTimeoutMs?: number | undefined;
  /** Secret for resume tokens; random per process when omitted. */
  readonly resumeSecret?: string | undefined;
}

/** A running (or ready to run) signaling server. */
export interface SignalingServer {
  readonly http: Server;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Closes every socket and stops listening. */
  close(): Promise<void>;
}

/** Path of the signaling WebSocket endpoint. */
export const SIGNALING_PATH = '/ws';

/** Builds the HTTP server (static client, health) with the signaling WebSocket endpoint at /ws on the same port. */
export function createSignalingServer(options: SignalingServerOptions): SignalingServer {
  const { logger } = options;
  const registry = options.registry ?? new InMemoryRoomRegistry({ maxMembers: MAX_ROOM_MEMBERS });
  const serveStatic = createStaticHandler(options.staticDir);

  const http = createServer((request, response) => {
    if (request.url === '/healthz') {
      reply(response, 200, 'ok');
      return;
    }
    serveStatic(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'static file failed');
      if (!response.headersSent) reply(response, 500, 'internal error');
    });
  });

  const wss = new WebSocketServer({
    server: http,
    path: SIGNALING_PATH,
    maxPayload: MAX_SIGNAL_FRAME_BYTES,
    perMessageDeflate: false,
  });
  wss.on('error', (error) => logger.error({ err: error }, 'websocket server error'));

  const context: ConnectionContext = {
    registry,
    peers: new Map(),
    iceServers: options.iceServers,
    shareUrl: options.shareUrl,
    logger,
    newPeerId: () => randomBytes(12).toString('base64url'),
    resumeTokens: new ResumeTokens(options.resumeSecret),
    probeTimeoutMs: options.probeTimeoutMs ?? 3000,
  };
  const stopHeartbeat = startHeartbeat(wss, options.heartbeatMs ?? 30_000);

  wss.on('connection', (socket, request) => {
    // An unhandled socket error would kill the process (ws #1777): listen before anything else.
    socket.on('error', (error) => logger.debug({ err: error }, 'socket error'));
    const connectionLogger = logger.child({ ip: request.socket.remoteAddress });
    new Connection(socket, context, connectionLogger);
  });

  return {
    http,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          resolve(http.address() as AddressInfo);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        stopHeartbeat();
        for (const client of wss.clients) client.terminate();
        wss.close(() => http.close(() => resolve()));
        http.closeAllConnections();
      }),
  };
}
