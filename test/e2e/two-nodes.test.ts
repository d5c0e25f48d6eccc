import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteMissingRedis, redisServerPath, startRedis, type TestRedis } from '../support/redis.ts';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/server.ts';
import { LAN_NAME, useE2eFixture } from './fixture.ts';
import { chatRound, expectHost } from './steps.ts';

noteMissingRedis('two nodes e2e');

/**
 * Two signaling nodes in this process, each on its own loopback port, sharing one real redis-server: what an operator
 * runs behind a load balancer (docs/operations.md). One person opens the first node's page, the other the second's,
 * both at the plain-http LAN name, and they meet in one room. Skipped, saying so, where redis-server is not installed.
 */
describe.skipIf(!redisServerPath)('two people on two signaling nodes that share rooms through Redis', () => {
  let redis: TestRedis | undefined;
  let secondNode: TestServer | undefined;
  let nodeOptions: TestServerOptions = {};

  // Registered before the fixture's hooks, so Redis is up when the fixture starts the first node.
  beforeAll(async () => {
    redis = await startRedis();
    nodeOptions = { redis: { url: redis.url }, resumeSecret: 'one-secret-for-both-nodes' };
    secondNode = await startTestServer(nodeOptions);
  });
  // After hooks run in reverse: the fixture closes the first node and the browser, then this closes the rest.
  afterAll(async () => {
    await secondNode?.close();
    await redis?.stop();
  });

  const e2e = useE2eFixture({ serverOptions: () => nodeOptions });

  /** A node's counter of signals it carried to or from another node. */
  async function crossNodeSignals(node: TestServer, direction: 'sent' | 'received'): Promise<number> {
    const text = await (await fetch(new URL('/metrics', node.httpUrl))).text();
    const match = new RegExp(`^chatus_cross_node_signals_total\\{direction="${direction}"\\} (\\d+)$`, 'm').exec(text);
    return Number(match?.[1] ?? 0);
  }

  it('joins one room from pages served by different nodes and chats both ways over a data channel', { timeout: 90_000 }, async () => {
    const ann = await e2e.person();
    await ann.join('Ann');
    const room = new URL(await ann.inviteLink()).searchParams.get('room')!;
    expect(room).not.toBe('');

    // Bob never talks to Ann's node: his page and its signaling socket are the second node's.
    const secondAddress = `${LAN_NAME}:${secondNode!.port}`;
    expect(secondAddress).not.toBe(e2e.serverAddress());
    const bob = await e2e.person(`http://${secondAddress}/`);
    await bob.join('Bob', { room, server: secondAddress });
    await bob.waitUntilConnected();

    for (const person of [ann, bob]) await expectHost(person, 2, 'Ann');
    await chatRound([ann, bob], 'across nodes');
    await bob.say('from the second node');
    await ann.waitForText('from the second node');
    await ann.say('from the first node');
    await bob.waitForText('from the first node');

    // The offer and answer went through Redis from one node to the other, both ways.
    const [first, second] = [e2e.server(), secondNode!];
    for (const node of [first, second]) {
      expect(await crossNodeSignals(node, 'sent')).toBeGreaterThan(0);
      expect(await crossNodeSignals(node, 'received')).toBeGreaterThan(0);
    }
  });
});
