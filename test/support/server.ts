import { pino } from 'pino';
import type { IceServer } from '../../shared/protocol/fields.ts';
import { createSignalingServer, type SignalingServer } from '../../signaling/server.ts';

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

/** Starts a real server on port 0, logging nothing unless LOG_LEVEL is set. */
export async function startTestServer(options: { iceServers?: IceServer[] } = {}): Promise<TestServer> {
  const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
  const server = createSignalingServer({ staticDir: 'dist/web', iceServers: options.iceServers ?? [], logger });
  const { port } = await server.listen(0, '127.0.0.1');
  return {
    server,
    port,
    httpUrl: `http://127.0.0.1:${port}/`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    close: () => server.close(),
  };
}
