import { afterEach } from 'vitest';
import type { LivenessPolicy } from '../../shared/liveness.ts';
import type { RoomSessionDeps } from '../../web/src/net/room-session.ts';
import { spawnPeer, type ChildPeer } from './child-peer.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './server.ts';
import { fastLiveness, SessionPool } from './sessions.ts';

/** A real server and Node peers for one test, all torn down after it. */
export interface NetFixture {
  /** Starts the server; returns a pool of in-process peers that use it. */
  start(options?: TestServerOptions): Promise<SessionPool>;
  /** Another pool on the same server (peers with other liveness timings, or other dependencies such as a clock). */
  pool(liveness?: LivenessPolicy, deps?: Partial<RoomSessionDeps>): SessionPool;
  /** A peer in its own process (test timings unless `default`), killed after the test. */
  spawn(room: string, name: string, liveness?: 'fast' | 'default'): ChildPeer;
  server(): TestServer;
  /** Swaps the server for a new one (a restart); the old one must be closed first. */
  restart(options?: TestServerOptions): Promise<TestServer>;
}

/** Registers the teardown and returns the fixture of an integration file about Node peers. */
export function useNetFixture(): NetFixture {
  let server: TestServer | undefined;
  const pools: SessionPool[] = [];
  const children: ChildPeer[] = [];

  afterEach(async () => {
    for (const pool of pools.splice(0)) pool.leaveAll();
    for (const child of children.splice(0)) child.kill();
    await server?.close();
    server = undefined;
  });

  const fixture: NetFixture = {
    async start(options = {}) {
      server = await startTestServer(options);
      return fixture.pool();
    },
    pool(liveness = fastLiveness, deps = {}) {
      const pool = new SessionPool(() => server!.wsUrl, liveness, deps);
      pools.push(pool);
      return pool;
    },
    spawn(room, name, liveness) {
      const child = spawnPeer(server!.wsUrl, room, name, liveness);
      children.push(child);
      return child;
    },
    server: () => server!,
    async restart(options = {}) {
      server = await startTestServer(options);
      return server;
    },
  };
  return fixture;
}
