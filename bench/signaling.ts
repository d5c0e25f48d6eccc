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

/** What the heap probe read: live heap in bytes, CPU time used (µs) just before its two full collections and after. */
export interface Probe {
  readonly heapUsed: number;
  readonly cpuBeforeGcMicros: number;
  readonly cpuMicros: number;
}

/** A broker process the benchmark started. */
export interface BrokerProcess {
  readonly process: ChildProcess;
  readonly port: number;
  /**
   * Its live heap now, in bytes, after two full collections, and the CPU time it has used before and after them
   * (bench/heap-probe.mjs).
   */
  probe(): Promise<Probe>;
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
  const probeNow = async (): Promise<Probe> => {
    rmSync(probeFile, { force: true });
    child.kill('SIGUSR2');
    for (let waited = 0; waited < 30_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        type Cpu = { user: number; system: number };
        const seen = JSON.parse(readFileSync(probeFile, 'utf8')) as { heapUsed: number; cpuBeforeGc: Cpu; cpu: Cpu };
        return { heapUsed: seen.heapUsed, cpuBeforeGcMicros: seen.cpuBeforeGc.user + seen.cpuBeforeGc.system, cpuMicros: seen.cpu.user + seen.cpu.system };
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

/** What one server process showed while holding idle joined connections. */
interface Holding {
  bytesPerConnection: number;
  heapPerConnection: number;
  /** Joins per second into a fresh process (its first joins compile its code) and into the same server warm. */
  joinsPerSecondFresh: number;
  joinsPerSecondWarm: number;
  /** The server's CPU time (user and system) per join of the second round, in µs: what a join costs, whatever the load. */
  cpuPerJoin: number;
}

/** One server process holding `count` idle joined connections, then (after they close) as many again. */
async function measureHolding(kind: Kind, count: number): Promise<Holding> {
  progress(`signaling: ${kind}, holding ${count} connections`);
  const server = await startServer(kind);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const before = await processMemory(server.process.pid!);
    const { result, process: loader } = await load(kind, server.port, ['hold', String(count)]);
    await new Promise((r) => setTimeout(r, 500));
    const after = await processMemory(server.process.pid!);
    loader.kill();
    // The heap in a second round of as many connections, once the first have closed: what each further idle
    // connection costs, not the code a fresh process compiles on its first joins (about 0.7 MB for ChatUs and
    // 0.3 MB for PeerServer, once), which the resident set above includes.
    await new Promise((r) => setTimeout(r, 500));
    const before2 = await server.probe();
    const again = await load(kind, server.port, ['hold', String(count)]);
    const after2 = await server.probe();
    again.process.kill();
    return {
      bytesPerConnection: (after.rss - before.rss) / count,
      heapPerConnection: (after2.heapUsed - before2.heapUsed) / count,
      joinsPerSecondFresh: result['perSecond']!,
      joinsPerSecondWarm: again.result['perSecond']!,
      // From the end of the first probe's collections to the start of the second's: the joins, not the forced GCs.
      cpuPerJoin: (after2.cpuBeforeGcMicros - before2.cpuMicros) / count,
    };
  } finally {
    server.process.kill();
  }
}

async function measureRelay(kind: Kind, relay: { pairs: number; seconds: number; window: number }): Promise<{ relaysPerSecond: number; relayP99: number }> {
  progress(`signaling: ${kind}, relaying for ${relay.seconds} s over ${relay.pairs} pairs`);
  const server = await startServer(kind);
  try {
    const { result } = await load(kind, server.port, ['relay', String(relay.pairs), String(relay.seconds), String(relay.window)]);
    return { relaysPerSecond: result['perSecond']!, relayP99: result['p99']! };
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
  // The two servers take turns phase by phase, so that the machine's load at any moment weighs on both alike.
  const holding: Record<Kind, Holding[]> = { chatus: [], peer: [] };
  for (const count of connectionCounts) for (const kind of ['chatus', 'peer'] as const) holding[kind].push(await measureHolding(kind, count));
  const relays = { chatus: await measureRelay('chatus', relay), peer: await measureRelay('peer', relay) };
  const base = { scenario: 'signaling capacity', baselineName: 'PeerServer 1.0.2' } as const;
  const [chatus, peer] = [holding.chatus[0]!, holding.peer[0]!];
  return [
    ...connectionCounts.map((count, i) => ({
      ...base,
      metric: `memory per idle connection at ${count}`,
      chatus: holding.chatus[i]!.bytesPerConnection / 1024,
      baseline: holding.peer[i]!.bytesPerConnection / 1024,
      unit: 'KiB',
      better: 'lower' as const,
    })),
    ...connectionCounts.map((count, i) => ({
      ...base,
      metric: `heap per idle connection at ${count} (after GC, warm server)`,
      chatus: holding.chatus[i]!.heapPerConnection / 1024,
      baseline: holding.peer[i]!.heapPerConnection / 1024,
      unit: 'KiB',
      better: 'lower' as const,
    })),
    { ...base, metric: `joins per second (${connectionCounts[0]} into a fresh process)`, chatus: chatus.joinsPerSecondFresh, baseline: peer.joinsPerSecondFresh, unit: '/s', better: 'higher' },
    { ...base, metric: `joins per second (${connectionCounts[0]} more, warm server)`, chatus: chatus.joinsPerSecondWarm, baseline: peer.joinsPerSecondWarm, unit: '/s', better: 'higher' },
    { ...base, metric: 'server CPU per join (warm server)', chatus: chatus.cpuPerJoin, baseline: peer.cpuPerJoin, unit: 'µs', better: 'lower' },
    { ...base, metric: 'candidate relays per second', chatus: relays.chatus.relaysPerSecond, baseline: relays.peer.relaysPerSecond, unit: '/s', better: 'higher' },
    { ...base, metric: 'relay p99 latency under that load', chatus: relays.chatus.relayP99, baseline: relays.peer.relayP99, unit: 'ms', better: 'lower' },
  ];
}
