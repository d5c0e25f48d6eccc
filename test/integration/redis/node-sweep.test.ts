import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noteMissingRedis, redisServerPath, startRedis, type TestRedis } from '../../support/redis.ts';
import { ClientPool, freshRoom } from '../../support/ws-client.ts';
import { parseLine, spawnServer, type SpawnedServer } from '../server/spawned-server.ts';

noteMissingRedis('node sweep');

/** Long enough that a busy machine does not stall a live node past it, short enough to keep the test quick. */
const NODE_TTL_MS = 3000;
/**
 * How long the test waits for the sweep: the bound the README promises is NODE_TTL_MS and one beat (3.6 s here);
 * the wait is far longer, since what is checked is that the survivor does it, not how fast a loaded machine gets there.
 */
const SWEEP_WAIT_MS = 30_000;

/** What a node logged with `msg`, or undefined. */
function logged(node: SpawnedServer, msg: string): Record<string, unknown> | undefined {
  return node.lines.map(parseLine).find((entry) => entry?.['msg'] === msg) ?? undefined;
}

/**
 * The sweep alone, with nothing else going on: two node processes on one real redis-server and plain WebSocket
 * clients (no WebRTC, no reconnecting clients, no balancer). One node stops beating, killed or frozen; its members
 * never come back anywhere, so only the survivor's sweep can take them out of the room.
 */
describe.skipIf(!redisServerPath)('a node that stops beating is swept by a survivor', () => {
  let redis: TestRedis;
  let store: Redis;
  let nodes: SpawnedServer[] = [];
  const pools: ClientPool[] = [];

  // A Redis of each test's own: no node of an earlier test is left in it to be swept.
  beforeEach(async () => {
    redis = await startRedis();
    store = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    store.on('error', () => undefined);
  });
  afterEach(async () => {
    for (const pool of pools.splice(0)) pool.closeAll();
    for (const node of nodes) node.kill();
    await Promise.all(nodes.splice(0).map((node) => node.exited()));
    store?.disconnect();
    await redis?.stop();
  });

  async function startNode(): Promise<{ node: SpawnedServer; pool: ClientPool; id: string }> {
    const node = await spawnServer(['--redis-url', redis.url, '--node-ttl-ms', String(NODE_TTL_MS)], { RESUME_SECRET: 'one-secret-for-every-node' });
    nodes.push(node);
    const pool = new ClientPool(() => node.wsUrl);
    pools.push(pool);
    const id = logged(node, 'joined the nodes sharing the room registry')?.['node'];
    if (typeof id !== 'string') throw new Error(`the node did not log its id: ${node.lines.join('\n')}`);
    return { node, pool, id };
  }

  for (const signal of ['SIGKILL', 'SIGSTOP'] as const) {
    it(`takes the members of a node stopped with ${signal} out of their room and elects a host among the rest`, { timeout: 60_000 }, async () => {
      const doomed = await startNode();
      const survivor = await startNode();
      const room = freshRoom(`swept-${signal}`);
      const ann = await doomed.pool.joined(room, 'Ann');
      const bob = await doomed.pool.joined(room, 'Bob');
      const cid = await survivor.pool.joined(room, 'Cid');
      const dee = await survivor.pool.joined(room, 'Dee');
      expect(dee.roster.hostId).toBe(ann.peerId);
      expect(dee.roster.members.map((m) => m.name)).toEqual(['Ann', 'Bob', 'Cid', 'Dee']);
      expect(await store.smembers(`chatus:seats:${doomed.id}`)).toHaveLength(2);

      // SIGSTOP: the process and its sockets stay, but it no longer beats. SIGKILL: it is gone without a word.
      doomed.node.process.kill(signal);
      const left = (r: { members: readonly { id: string }[] }): boolean => r.members.length === 2;
      const [seenByCid, seenByDee] = await Promise.all([
        cid.client.next('roster', { where: left, timeoutMs: SWEEP_WAIT_MS }),
        dee.client.next('roster', { where: left, timeoutMs: SWEEP_WAIT_MS }),
      ]);
      for (const roster of [seenByCid, seenByDee]) {
        expect(roster.members.map((m) => m.id)).toEqual([cid.peerId, dee.peerId]);
        expect(roster.hostId).toBe(cid.peerId);
      }
      expect(seenByDee).toEqual(seenByCid);
      if (signal === 'SIGSTOP') expect(ann.client.isOpen && bob.client.isOpen).toBe(true);

      // It was the survivor's sweep, and it left nothing of the dead node in Redis.
      expect(logged(survivor.node, 'sweeping a node that stopped beating')).toMatchObject({ node: doomed.id, seats: 2 });
      expect(await store.exists(`chatus:node:${doomed.id}`, `chatus:seats:${doomed.id}`)).toBe(0);
      expect(await store.smembers('chatus:nodes')).toEqual([survivor.id]);
      const stored = JSON.parse((await store.get(`chatus:room:${room}`))!) as { members: unknown[] };
      expect(stored.members).toHaveLength(2);
    });
  }
});
