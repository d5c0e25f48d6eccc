import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode } from '../../../shared/errors.ts';
import { noteMissingRedis, redisServerPath, startRedis, type TestRedis } from '../../support/redis.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { ClientPool, freshRoom, WsClient } from '../../support/ws-client.ts';

noteMissingRedis('shared rooms');

/**
 * Two signaling servers in this process sharing one real redis-server: a room is one room whichever node its members
 * reached, and the registry's rules hold across nodes.
 */
describe.skipIf(!redisServerPath)('two nodes sharing rooms through Redis', () => {
  let redis: TestRedis;
  let nodes: TestServer[] = [];
  const pools = [new ClientPool(() => nodes[0]!.wsUrl), new ClientPool(() => nodes[1]!.wsUrl)] as const;
  const [first, second] = pools;
  const roomSize = 4;

  beforeAll(async () => {
    redis = await startRedis();
    const options = { redis: { url: redis.url }, resumeSecret: 'shared-secret-of-the-nodes', limits: { roomSize } };
    nodes = [await startTestServer(options), await startTestServer(options)];
  });
  afterEach(() => pools.forEach((pool) => pool.closeAll()));
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await redis?.stop();
  });

  it('puts members of one room on two nodes in one roster and carries signals between them', async () => {
    const room = freshRoom('two-nodes');
    const host = await first.joined(room, 'Ann');
    const member = await second.joined(room, 'Bob');
    expect(member.roster.hostId).toBe(host.peerId);
    expect(member.roster.members.map((m) => m.name)).toEqual(['Ann', 'Bob']);
    const hostSees = await host.client.next('roster', { where: (r) => r.members.length === 2 });
    expect(hostSees.members.map((m) => m.id)).toEqual([host.peerId, member.peerId]);

    member.client.send({ type: 'signal', to: host.peerId, data: { type: 'offer', sdp: 'v=0 from Bob' } });
    const offer = await host.client.next('signal');
    expect(offer).toEqual({ type: 'signal', from: member.peerId, data: { type: 'offer', sdp: 'v=0 from Bob' } });
    host.client.send({ type: 'signal', to: member.peerId, data: { type: 'answer', sdp: 'v=0 from Ann' } });
    expect((await member.client.next('signal')).from).toBe(host.peerId);

    const metrics = await (await fetch(new URL('/metrics', nodes[1]!.httpUrl))).text();
    expect(metrics).toMatch(/^chatus_cross_node_signals_total\{direction="sent"\} 1$/m);
    expect(metrics).toMatch(/^chatus_cross_node_signals_total\{direction="received"\} 1$/m);
    expect(metrics).toMatch(/^chatus_redis_up 1$/m);
    expect(metrics).toMatch(/^chatus_redis_seconds_count\{operation="room"\} \d+$/m);
  });

  it('lets exactly one of two people who join with one name on two nodes at once in', async () => {
    for (let round = 0; round < 8; round++) {
      const room = freshRoom('same-name');
      const [a, b] = await Promise.all([first.open(), second.open()]);
      a.send({ type: 'join', v: 1, room, name: round % 2 ? 'Zoë' : 'zoë' });
      b.send({ type: 'join', v: 1, room, name: 'Zoë' });
      const outcome = (client: WsClient): Promise<string> =>
        Promise.race([client.next('welcome').then(() => 'in'), client.next('error').then((e) => e.code)]);
      const results = (await Promise.all([outcome(a), outcome(b)])).sort();
      expect(results).toEqual([ErrorCode.NameTaken, 'in'].sort());
    }
  });

  it('holds the room-size cap across nodes when more people join at once than fit', async () => {
    const room = freshRoom('cap');
    const clients = await Promise.all(Array.from({ length: 7 }, (_, i) => (i % 2 ? second : first).open()));
    clients.forEach((client, i) => client.send({ type: 'join', v: 1, room, name: `P${i}` }));
    const results = await Promise.all(
      clients.map((client) => Promise.race([client.next('welcome').then(() => 'in'), client.next('error').then((e) => e.code)])),
    );
    expect(results.filter((r) => r === 'in')).toHaveLength(roomSize);
    expect(results.filter((r) => r === ErrorCode.RoomFull)).toHaveLength(7 - roomSize);
  });

  it('elects one host for both nodes when the host leaves, and announces it on both', async () => {
    const room = freshRoom('host-leaves');
    const host = await first.joined(room, 'Ann');
    const bob = await second.joined(room, 'Bob');
    const cid = await first.joined(room, 'Cid');
    host.client.send({ type: 'leave' });
    const onSecond = await bob.client.next('roster', { where: (r) => r.members.length === 2 });
    const onFirst = await cid.client.next('roster', { where: (r) => r.members.length === 2 });
    expect(onSecond.hostId).toBe(bob.peerId);
    expect(onFirst).toEqual(onSecond);
  });

  it('lets a member resume on the other node with the same identity and host role', async () => {
    const room = freshRoom('resume-elsewhere');
    const host = await first.joined(room, 'Ann');
    const bob = await second.joined(room, 'Bob');
    const welcome = host.client.received.map((f) => JSON.parse(String(f)) as { type: string; resumeToken?: string }).find((m) => m.type === 'welcome')!;
    // The host's socket is still open on the first node (its loss not yet noticed) when it comes back on the second.
    const again = await second.open();
    again.send({ type: 'join', v: 1, room, name: 'Ann', resume: { peerId: host.peerId, token: welcome.resumeToken } });
    expect((await again.next('welcome')).peerId).toBe(host.peerId);
    const roster = await again.next('roster');
    expect(roster.hostId).toBe(host.peerId);
    expect(roster.members.map((m) => m.name)).toEqual(['Ann', 'Bob']);
    expect((await host.client.closed()).code).toBe(CloseCode.Superseded);
    // Signals now reach the host on its new node, from a member on the same node.
    bob.client.send({ type: 'signal', to: host.peerId, data: { type: 'offer', sdp: 'v=0 again' } });
    expect((await again.next('signal')).from).toBe(bob.peerId);
  });

  it('reports Redis in /healthz', async () => {
    const health = (await (await fetch(new URL('/healthz', nodes[0]!.httpUrl))).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', redis: { reachable: true } });
  });
});
