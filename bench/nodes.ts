import type { ChildProcess } from 'node:child_process';
import { redisServerPath, startRedis } from '../test/support/redis.ts';
import { load, startServer } from './signaling.ts';
import { progress, type Row } from './stats.ts';

/** One way to run the signaling service. */
interface Setup {
  readonly label: string;
  /** Node processes; each shares rooms through Redis when `redis` is set. */
  readonly nodes: number;
  readonly redis: boolean;
}

const setups: readonly Setup[] = [
  { label: 'in memory, 1 node', nodes: 1, redis: false },
  { label: 'Redis, 1 node', nodes: 1, redis: true },
  { label: 'Redis, 2 nodes', nodes: 2, redis: true },
  { label: 'Redis, 3 nodes', nodes: 3, redis: true },
];

/** Figures of one setup. */
interface Figures {
  readonly joinsPerSecond: number;
  readonly relaysPerSecond: number;
  readonly relayP99: number;
  /** p99 of a relay with one signal in flight on one pair: the hop itself, without queueing. */
  readonly quietP99: number;
}

/** Starts the setup's nodes (each its own process), loads them, and stops them. */
async function measureSetup(setup: Setup, redisUrl: string, joins: number, relay: { pairs: number; seconds: number; window: number }): Promise<Figures> {
  const env: Record<string, string> = setup.redis ? { REDIS_URL: redisUrl, REDIS_PREFIX: `bench${Date.now()}:`, RESUME_SECRET: 'bench-secret-shared-by-nodes' } : {};
  const servers: { process: ChildProcess; port: number }[] = [];
  try {
    for (let i = 0; i < setup.nodes; i++) servers.push(await startServer('chatus', env));
    const ports = servers.map((server) => server.port);
    progress(`signaling nodes: ${setup.label}, ${joins} joins`);
    const held = await load('chatus', ports, ['hold', String(joins)]);
    held.process.kill();
    progress(`signaling nodes: ${setup.label}, relaying for ${relay.seconds} s over ${relay.pairs} pairs`);
    const { result } = await load('chatus', ports, ['relay', String(relay.pairs), String(relay.seconds), String(relay.window)]);
    progress(`signaling nodes: ${setup.label}, one signal at a time for ${relay.seconds} s`);
    const quiet = await load('chatus', ports, ['relay', '1', String(relay.seconds), '1']);
    return { joinsPerSecond: held.result['perSecond']!, relaysPerSecond: result['perSecond']!, relayP99: result['p99']!, quietP99: quiet.result['p99']! };
  } finally {
    for (const server of servers) server.process.kill();
  }
}

/**
 * Several signaling nodes sharing rooms through one Redis, beside the in-memory single node: joins per second and
 * signal relays per second with one, two and three node processes (`--quick`: one and two) on this one machine (the load spread evenly over
 * the nodes, so with two or more the two members of every pair are on different nodes and every relay crosses
 * through Redis), and the p99 of such a relay. All of it shares the machine's cores with Redis and the load process:
 * the figures say what Redis costs per operation, not what more machines would add.
 */
export async function measureNodes(joins: number, relay: { pairs: number; seconds: number; window: number }, maxNodes: number): Promise<Row[]> {
  if (!redisServerPath) {
    progress('signaling nodes: skipped, redis-server is not installed (apt-get install redis-server)');
    return [];
  }
  const redis = await startRedis();
  const chosen = setups.filter((setup) => setup.nodes <= maxNodes);
  const figures = new Map<string, Figures>();
  try {
    for (const setup of chosen) figures.set(setup.label, await measureSetup(setup, redis.url, joins, relay));
  } finally {
    await redis.stop();
  }
  const base = figures.get(setups[0]!.label)!;
  const baseline = { scenario: 'signaling nodes', baselineName: setups[0]!.label } as const;
  return chosen.slice(1).flatMap((setup) => {
    const these = figures.get(setup.label)!;
    return [
      { ...baseline, metric: `joins per second, ${setup.label}`, chatus: these.joinsPerSecond, baseline: base.joinsPerSecond, unit: '/s', better: 'higher' as const },
      { ...baseline, metric: `signal relays per second, ${setup.label}`, chatus: these.relaysPerSecond, baseline: base.relaysPerSecond, unit: '/s', better: 'higher' as const },
      {
        ...baseline,
        metric: `relay p99 under that load, ${setup.label}${setup.nodes > 1 ? ' (every relay crosses nodes)' : ''}`,
        chatus: these.relayP99,
        baseline: base.relayP99,
        unit: 'ms',
        better: 'lower' as const,
      },
      {
        ...baseline,
        metric: `relay p99 with one signal in flight, ${setup.label}${setup.nodes > 1 ? ' (crossing nodes)' : ''}`,
        chatus: these.quietP99,
        baseline: base.quietP99,
        unit: 'ms',
        better: 'lower' as const,
      },
    ];
  });
}
