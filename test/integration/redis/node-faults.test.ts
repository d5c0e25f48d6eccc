import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RoomSession, SessionSnapshot } from '../../../web/src/net/room-session.ts';
import { startBalancer, type TestBalancer } from '../../support/balancer.ts';
import { spawnPeer, type ChildPeer } from '../../support/child-peer.ts';
import { noteMissingRedis, redisServerPath, startRedis, type TestRedis } from '../../support/redis.ts';
import { linesFrom, SessionPool, until } from '../../support/sessions.ts';
import { freshRoom } from '../../support/ws-client.ts';
import { spawnServer, type SpawnedServer } from '../server/spawned-server.ts';

noteMissingRedis('node faults');

/** Every node gets the same secret, so a client can resume on any of them. */
const env = { RESUME_SECRET: 'one-secret-for-every-node' };
/** A dead node's members are taken out within this and one heartbeat (a fifth of it). */
const NODE_TTL_MS = 1500;

/**
 * Signaling nodes as their own processes on one real redis-server, real Node WebRTC peers in the room, and a balancer
 * per client that places it on the node the test names and, when that node dies, on the next one.
 */
describe.skipIf(!redisServerPath)('a room across nodes survives the loss of a node and a Redis restart', () => {
  let redis: TestRedis;
  let store: Redis;
  let nodes: SpawnedServer[] = [];
  let balancers: TestBalancer[] = [];
  let pools: SessionPool[] = [];
  let children: ChildPeer[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    store = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(times * 100, 500) });
    store.on('error', () => undefined);
  });
  beforeEach(async () => {
    const flags = ['--redis-url', redis.url, '--node-ttl-ms', String(NODE_TTL_MS)];
    nodes = await Promise.all([spawnServer(flags, env), spawnServer(flags, env)]);
  });
  afterEach(async () => {
    for (const pool of pools.splice(0)) pool.leaveAll();
    for (const child of children.splice(0)) child.kill();
    for (const node of nodes) node.kill();
    await Promise.all(nodes.map((node) => node.exited()));
    await Promise.all(balancers.splice(0).map((balancer) => balancer.close()));
  });
  afterAll(async () => {
    store?.disconnect();
    await redis?.stop();
  });

  /** A pool of sessions that reach the nodes in this order (indexes into `nodes`). */
  async function through(...order: number[]): Promise<{ pool: SessionPool; url: string }> {
    const balancer = await startBalancer(() => order.map((index) => nodes[index]!.port));
    balancers.push(balancer);
    const pool = new SessionPool(() => balancer.wsUrl);
    pools.push(pool);
    return { pool, url: balancer.wsUrl };
  }

  const linked = (session: RoomSession): Promise<SessionSnapshot> => until(session, (s) => s.linkedToHost || s.role === 'host', 20_000);
  const hasLine = (name: string, text: string) => (s: SessionSnapshot) => linesFrom(s, name).includes(`${name}: ${text}`);

  /** Waits until Redis holds `room` with `count` members (after a restart, nodes put their members back). */
  async function storedMembers(room: string, count: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const raw = await store.get(`chatus:room:${room}`).catch(() => null);
      const members = raw ? (JSON.parse(raw) as { members: unknown[] }).members.length : 0;
      if (members === count) return;
      if (Date.now() > deadline) throw new Error(`room ${room} has ${members} members in Redis, not ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('lets members on two nodes chat over real data channels', async () => {
    const room = freshRoom('chat-two-nodes');
    const ann = await (await through(0)).pool.join(room, 'Ann');
    const bob = await (await through(1)).pool.join(room, 'Bob');
    await linked(bob);
    expect(bob.snapshot().roster.hostId).toBe(ann.snapshot().selfId);
    expect(bob.send('hello from the second node').ok).toBe(true);
    expect(ann.send('hello from the first node').ok).toBe(true);
    await until(ann, hasLine('Bob', 'hello from the second node'));
    await until(bob, hasLine('Ann', 'hello from the first node'));
    expect(await nodes[1]!.metric('chatus_cross_node_signals_total{direction="sent"}')).toBeGreaterThan(0);
  });

  it('carries on when the host\'s node is killed: the host resumes on the other node as itself and nothing is lost', async () => {
    const room = freshRoom('host-node-killed');
    const ann = await (await through(0, 1)).pool.join(room, 'Ann');
    const onSecond = await through(1, 0);
    const bob = await onSecond.pool.join(room, 'Bob');
    const cid = await onSecond.pool.join(room, 'Cid');
    await Promise.all([linked(bob), linked(cid)]);
    const annId = ann.snapshot().selfId;

    nodes[0]!.kill();
    await nodes[0]!.exited();
    for (let i = 1; i <= 5; i++) expect(bob.send(`while the node was down ${i}`).ok).toBe(true);
    await until(ann, (s) => s.phase === 'connected' && s.roster.members.length === 3 && s.roster.members.some((m) => m.id === annId), 20_000);
    expect(ann.snapshot().selfId).toBe(annId);
    for (const session of [ann, cid]) {
      await until(session, (s) => linesFrom(s, 'Bob').length === 5, 20_000);
      expect(linesFrom(session.snapshot(), 'Bob')).toEqual(Array.from({ length: 5 }, (_, i) => `Bob: while the node was down ${i + 1}`));
    }
    expect(ann.send('still here').ok).toBe(true);
    await until(cid, hasLine('Ann', 'still here'), 20_000);
  });

  it('elects a host on the surviving node when the host and its node die together', async () => {
    const room = freshRoom('host-and-node-die');
    const annWay = await through(0);
    const ann = spawnPeer(annWay.url, room, 'Ann');
    children.push(ann);
    await ann.next((e) => e.event === 'role' && e.role === 'host');
    const onSecond = await through(1);
    const bob = await onSecond.pool.join(room, 'Bob');
    const cid = await onSecond.pool.join(room, 'Cid');
    await Promise.all([linked(bob), linked(cid)]);

    ann.kill();
    nodes[0]!.kill();
    const bobId = bob.snapshot().selfId;
    await until(cid, (s) => s.roster.hostId === bobId && s.roster.members.length === 2, 20_000);
    await until(bob, (s) => s.role === 'host', 20_000);
    await linked(cid);
    expect(cid.send('after the node died').ok).toBe(true);
    await until(bob, hasLine('Cid', 'after the node died'), 20_000);
  });

  it('carries on when Redis restarts empty: the nodes put their members back', async () => {
    const room = freshRoom('redis-restart');
    const ann = await (await through(0)).pool.join(room, 'Ann');
    const onSecond = await through(1);
    const bob = await onSecond.pool.join(room, 'Bob');
    await linked(bob);

    await redis.restart();
    await storedMembers(room, 2);
    const cid = await onSecond.pool.join(room, 'Cid');
    // The roster follows the welcome (a client reads the newest of rosters that come back to back, at the end of the task).
    await until(cid, (s) => s.roster.members.length === 3);
    expect(cid.snapshot().roster.members.map((m) => m.name).sort()).toEqual(['Ann', 'Bob', 'Cid']);
    await linked(cid);
    await linked(bob);
    expect(cid.send('after the restart').ok).toBe(true);
    expect(bob.send('me too').ok).toBe(true);
    for (const session of [ann, bob]) await until(session, hasLine('Cid', 'after the restart'), 20_000);
    await until(ann, hasLine('Bob', 'me too'), 20_000);
  });
});
