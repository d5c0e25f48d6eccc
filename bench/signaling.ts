import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** A broker process the benchmark started. */
export interface BrokerProcess {
  readonly process: ChildProcess;
  readonly port: number;
  /** Its live heap now, in bytes, after two full collections, and the CPU time it has used (bench/heap-probe.mjs). */
  probe(): Promise<{ heapUsed: number; cpuMicros: number }>;
}

/** Starts one broker in its own process and waits until it accepts connections; `env` adds to ChatUs's settings. */
export async function startServer(kind: Kind, env: Record<string, string> = {}): Promise<BrokerProcess> {
  const port = await freePort();
  const probeDir = mkdtempSync(join(tmpdir(), 'chatus-heap-'));
  const probeFile = join(probeDir, 'heap.json');
  // Both brokers get the same probe, which answers SIGUSR2 with the heap after a full collection.
  const probe = ['--expose-gc', '--import', './bench/heap-probe.mjs'];
  const child =
    kind === 'chatus'
      ? spawn(process.execPath, [...probe, '--import', 'tsx', 'signaling/main.ts', '--port', String(port), '--host', '127.0.0.1'], {
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
            CHATUS_HEAP_PROBE: probeFile,
            ...env,
          },
        })
      : spawn(process.execPath, [...probe, 'bench/peerserver.mjs', String(port)], { stdio: 'ignore', env: { ...process.env, CHATUS_HEAP_PROBE: probeFile } });
  child.once('exit', () => rmSync(probeDir, { recursive: true, force: true }));
  const probeNow = async (): Promise<{ heapUsed: number; cpuMicros: number }> => {
    rmSync(probeFile, { force: true });
    child.kill('SIGUSR2');
    for (let waited = 0; waited < 30_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        const seen = JSON.parse(readFileSync(probeFile, 'utf8')) as { heapUsed: number; cpu: { user: number; system: number } };
        return { heapUsed: seen.heapUsed, cpuMicros: seen.cpu.user + seen.cpu.system };
      } catch {
        // Not written yet (or half written): ask again shortly.
      }
    }
    throw new Error(`${kind} server did not report its heap`);
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/${kind === 'chatus' ? 'healthz' : ''}`).then((r) => r.ok, () => false);
    if (ok) return { process: child, port, probe: probeNow };
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
  heapPerConnection: Record<number, number>;
  joinsPerSecond: number;
  /** The server's CPU time (user and system) per join of the second round, in µs: what a join costs, whatever the load. */
  cpuPerJoin: number;
  relaysPerSecond: number;
  relayP99: number;
}

async function measure(kind: Kind, connectionCounts: readonly number[], relay: { pairs: number; seconds: number; window: number }): Promise<Capacity> {
  const bytesPerConnection: Record<number, number> = {};
  const heapPerConnection: Record<number, number> = {};
  let joinsPerSecond = Number.NaN;
  let cpuPerJoin = Number.NaN;
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
      // The heap in a second round of as many connections, once the first have closed: what each further idle
      // connection costs, not the code a fresh process compiles on its first joins (about 0.7 MB for ChatUs and
      // 0.3 MB for PeerServer, once), which the resident set above includes.
      await new Promise((r) => setTimeout(r, 500));
      const before2 = await server.probe();
      const again = await load(kind, server.port, ['hold', String(count)]);
      const after2 = await server.probe();
      heapPerConnection[count] = (after2.heapUsed - before2.heapUsed) / count;
      if (count === connectionCounts[0]) cpuPerJoin = (after2.cpuMicros - before2.cpuMicros) / count;
      again.process.kill();
    } finally {
      server.process.kill();
    }
  }
  progress(`signaling: ${kind}, relaying for ${relay.seconds} s over ${relay.pairs} pairs`);
  const server = await startServer(kind);
  try {
    const { result } = await load(kind, server.port, ['relay', String(relay.pairs), String(relay.seconds), String(relay.window)]);
    return { bytesPerConnection, heapPerConnection, joinsPerSecond, cpuPerJoin, relaysPerSecond: result['perSecond']!, relayP99: result['p99']! };
  } finally {
    server.process.kill();
  }
}

/**
 * Signaling capacity, ChatUs against PeerServer, each server in its own process and the load in a third: memory per
 * idle connection at each count (resident set of a fresh process, and live heap after a full collection in a second
 * round), joins (registrations) per second and the server CPU time each cost, candidate relays per second and their
 * p99.
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
    ...connectionCounts.map((count) => ({
      ...base,
      metric: `heap per idle connection at ${count} (after GC, warm server)`,
      chatus: chatus.heapPerConnection[count]! / 1024,
      baseline: peer.heapPerConnection[count]! / 1024,
      unit: 'KiB',
      better: 'lower' as const,
    })),
    { ...base, metric: 'joins per second', chatus: chatus.joinsPerSecond, baseline: peer.joinsPerSecond, unit: '/s', better: 'higher' },
    { ...base, metric: 'server CPU per join (warm server)', chatus: chatus.cpuPerJoin, baseline: peer.cpuPerJoin, unit: 'µs', better: 'lower' },
    { ...base, metric: 'candidate relays per second', chatus: chatus.relaysPerSecond, baseline: peer.relaysPerSecond, unit: '/s', better: 'higher' },
    { ...base, metric: 'relay p99 latency under that load', chatus: chatus.relayP99, baseline: peer.relayP99, unit: 'ms', better: 'lower' },
  ];
}
