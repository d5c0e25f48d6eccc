import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP balancer in front of several signaling nodes, as an operator's proxy would stand in front of them. */
export interface TestBalancer {
  readonly port: number;
  /** ws://127.0.0.1:PORT/ws */
  readonly wsUrl: string;
  close(): Promise<void>;
}

/**
 * Forwards each connection to the first node of `ports()` that accepts it, so a test decides which node a client
 * reaches (order the list) and a client whose node died reaches the next one when it reconnects: a balancer's
 * health check, reduced to "does it accept". No stickiness: every connection is placed afresh.
 */
export async function startBalancer(ports: () => readonly number[]): Promise<TestBalancer> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    const candidates = [...ports()];
    const tryNext = (): void => {
      const port = candidates.shift();
      if (port === undefined) {
        client.destroy();
        return;
      }
      const upstream = connect(port, '127.0.0.1');
      upstream.once('error', tryNext);
      upstream.once('connect', () => {
        upstream.off('error', tryNext);
        open.add(upstream);
        upstream.on('close', () => {
          open.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => upstream.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      });
    };
    tryNext();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
