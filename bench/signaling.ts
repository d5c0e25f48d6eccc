import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { processMemory, progress, type Row } from './stats.ts';

type Kind = 'chatus' | 'peer';

/** A free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts one broker in its own process and waits until it accepts connections; `env` adds to ChatUs's settings. */
export async function startServer(kind: Kind, env: Record<string, string> = {}): Promise<{ process: ChildProcess; port: number }> {
  const port = await freePort();
  const child =
    kind === 'chatus'
      ? spawn(process.execPath, ['--import', 'tsx', 'signaling/main.ts', '--port', String(port), '--host', '127.0.0.1'], {
          stdio: 'ignore',
          // Limits raised so that one load process on one address is measured, not refused.
          env: {
            ...process.env,
            LOG_LEVEL: 'warn',
            MAX_CONNECTIONS: '100000',
            MAX_CONNECTIONS_PER_IP: '100000',
            MESSAGE_BURST: '1000000',
            MESSAGES_PER_SECOND: '1000000',
            JOIN_TIMEOUT_MS: '600000',
            ...env,
          },
        })
      : spawn(process.execPath, ['bench/peerserver.mjs', String(port)], { stdio: 'ignore' });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/${kind === 'chatus' ? 'healthz' : ''}`).then((r) => r.ok, () => false);
    if (ok) return { process: child, port };
    if (Date.now() > deadline) throw new Error(`${kind} server did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the load process once against one port or several; resolves with its JSON line (and the still-running process for `hold`). */
export function load(kind: Kind, port: number | readonly number[], args: string[]): Promise<{ result: Record<string, number>; process: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts', kind, [port].flat().join(','), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ result: JSON.parse(line) as Record<string, number>, process: child }));
    child.once('exit', (code) => reject(new Error(`load process exited with ${code}`)));
  });
}

/** Per-kind figures. */
interface Capacity {
  bytesPerConnection: Record<number, number>;
  joinsPerSecond: number;
  relaysPerSecond: number;
  relayP99: number;
}

async function measure(kind: Kind, connectionCounts: readonly number[], relay: { pairs: number; seconds: number; window: number }): Promise<Capacity> {
  const bytesPerConnection: Record<number, number> = {};
  let joinsPerSecond = Number.NaN;
  for (const count of connectionCounts) {
    progress(`signaling: ${kind}, holding ${count} connections`);
    const server = await startServer(kind);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const before = await processMemory(server.process.pid!);
      const { result, process: loader } = await load(kind, server.port, ['hold', String(count)]);
      await new Promise((r) => setTimeout(r, 500));
      const after = await processMemory(server.process.pid!);
      bytesPerConnection[count] = (after.rss - before.rss) / count;
      if (count === connectionCounts[0]) joinsPerSecond = result['perSecond']!;
      loader.kill();
    } finally {
      server.process.kill();
    }
  }
  progress(`signaling: ${kind}, relaying for ${relay.seconds} s over ${relay.pairs} pairs`);
  const server = await startServer(kind);
  try {
    const { result } = await load(kind, server.port, ['relay', String(relay.pairs), String(relay.seconds), String(relay.window)]);
    return { bytesPerConnection, joinsPerSecond, relaysPerSecond: result['perSecond']!, relayP99: result['p99']! };
  } finally {
    server.process.kill();
  }
}

/**
 * Signaling capacity, ChatUs against PeerServer, each server in its own process and the load in a third: memory per
 * idle connection at each count, joins (registrations) per second, candidate relays per second and their p99.
 */
export async function measureSignaling(connectionCounts: readonly number[], relay: { pairs: number; seconds: number; window: number }): Promise<Row[]> {
  const chatus = await measure('chatus', connectionCounts, relay);
  const peer = await measure('peer', connectionCounts, relay);
  const base = { scenario: 'signaling capacity', baselineName: 'PeerServer 1.0.2' } as const;
  return [
    ...connectionCounts.map((count) => ({
      ...base,
      metric: `memory per idle connection at ${count}`,
      chatus: chatus.bytesPerConnection[count]! / 1024,
      baseline: peer.bytesPerConnection[count]! / 1024,
      unit: 'KiB',
      better: 'lower' as const,
    })),
    { ...base, metric: 'joins per second', chatus: chatus.joinsPerSecond, baseline: peer.joinsPerSecond, unit: '/s', better: 'higher' },
    { ...base, metric: 'candidate relays per second', chatus: chatus.relaysPerSecond, baseline: peer.relaysPerSecond, unit: '/s', better: 'higher' },
    { ...base, metric: 'relay p99 latency under that load', chatus: chatus.relayP99, baseline: peer.relayP99, unit: 'ms', better: 'lower' },
  ];
}
