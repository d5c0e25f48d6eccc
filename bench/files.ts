import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nobleHash, type StreamingHash } from '../web/src/net/files/file-hasher.ts';
import { hashFile } from '../web/src/net/files/outgoing-file.ts';
import { wasmHashes } from '../web/src/net/files/wasm-sha256.ts';
import { directPair, pushBulk, type BulkRun } from './direct.ts';
import { FileRoom, type TransferFigures } from './file-relay.ts';
import { openRawChain } from './raw-chain.ts';
import { processMemory, progress, quantile, resetPeakMemory, type Row } from './stats.ts';

/** How much the file rows move. */
export interface FilePlan {
  /** The file whose throughput, time to first byte and chat latency are measured (the host keeps its copy). */
  readonly mib: number;
  /** The large file whose relay the host's memory is measured on (the host relays it without keeping a copy). */
  readonly largeMib: number;
  /** Chat messages sent with no file moving, for the chat latency baseline. */
  readonly idleChats: number;
  /** A chat message every this many ms while a file moves, and in the baseline. */
  readonly chatEveryMs: number;
}

const MiB = 1024 * 1024;

/** A file of `bytes` random bytes on disk, as a Blob read from disk when sliced (the sender never holds it whole). */
async function fileOnDisk(dir: string, name: string, bytes: number): Promise<Blob> {
  const path = join(dir, name);
  const block = randomBytes(MiB);
  const handle = await open(path, 'w');
  try {
    for (let offset = 0; offset < bytes; offset += block.length) await handle.write(block, 0, Math.min(block.length, bytes - offset));
  } finally {
    await handle.close();
  }
  return (await openAsBlob(path)) as unknown as Blob;
}

/** The host process's peak RSS above its RSS before `run`, in bytes (its peak since it started, if that cannot be reset). */
async function hostGrowth<T>(pid: number, run: () => Promise<T>): Promise<{ result: T; growth: number }> {
  if (!(await resetPeakMemory(pid))) progress('  cannot reset the peak RSS of the host: its peak since it started is used');
  const before = await processMemory(pid);
  const result = await run();
  return { result, growth: (await processMemory(pid)).peak - before.rss };
}

/**
 * The raw two-hop chain: `size` bytes (throughput), then `large` bytes (the forwarder's memory; first frame, warm). A
 * chain that stalls is made again, up to `attempts` times.
 */
async function measureRawChain(size: number, large: number, attempts = 3): Promise<{ small: BulkRun; large: BulkRun; growth: number }> {
  for (let attempt = 1; ; attempt++) {
    const chain = await openRawChain();
    try {
      const small = await pushBulk(chain.a, chain.b, size);
      const big = await hostGrowth(chain.forwarder.pid, () => pushBulk(chain.a, chain.b, large));
      return { small, large: big.result, growth: big.growth };
    } catch (error) {
      if (attempt === attempts) throw error;
      progress(`  the raw two-hop chain: ${(error as Error).message}; making it again`);
    } finally {
      chain.close();
    }
  }
}

/**
 * How long the sender's hash of `file` takes before it announces it (hashFile: read from disk a slice at a time), with
 * hash-wasm and with @noble/hashes, taking turns; the fastest of `rounds` each, in ms.
 */
async function measureHashing(file: Blob, rounds = 2): Promise<{ wasm: number; noble: number }> {
  const engines: Array<['wasm' | 'noble', () => StreamingHash]> = [['wasm', await wasmHashes()], ['noble', nobleHash]];
  const fastest = { wasm: Infinity, noble: Infinity };
  for (let round = 0; round < rounds; round++) {
    for (const [engine, make] of engines) {
      const started = performance.now();
      await hashFile(file, make(), () => true);
      fastest[engine] = Math.min(fastest[engine], performance.now() - started);
    }
  }
  return fastest;
}

/** Chat latency with no file moving, the host's memory over the large relay, then the file that is timed. */
async function measureRoom(plan: FilePlan, dir: string): Promise<{ idleChatMs: number[]; large: TransferFigures; growth: number; file: TransferFigures; hashMs: { wasm: number; noble: number } }> {
  const large = await fileOnDisk(dir, 'large.bin', plan.largeMib * MiB);
  const file = await fileOnDisk(dir, 'file.bin', plan.mib * MiB);
  const room = await FileRoom.open('bench-files');
  try {
    // The first messages through a fresh host are slower (code not yet optimised): not counted.
    await room.chatLatencies(5, plan.chatEveryMs);
    const idleChatMs = await room.chatLatencies(plan.idleChats, plan.chatEveryMs);
    room.host.send({ keep: false });
    await room.host.next((line) => line['event'] === 'keep' && line['keep'] === false);
    progress(`files: a ${plan.largeMib} MiB file through the host (in its own process, relaying without keeping a copy)`);
    const relayed = await hostGrowth(room.host.pid, () => room.transfer(large, null));
    room.host.send({ keep: true });
    await room.host.next((line) => line['event'] === 'keep' && line['keep'] === true);
    progress(`files: a ${plan.mib} MiB file through the host, chat from its sender every ${plan.chatEveryMs} ms`);
    const timed = await room.transfer(file, plan.chatEveryMs);
    progress(`  chat latency over ${timed.chatMs.length} messages during the transfer, ${idleChatMs.length} without`);
    progress(`files: SHA-256 of the ${plan.mib} MiB file, hash-wasm and @noble/hashes taking turns`);
    const hashMs = await measureHashing(file);
    return { idleChatMs, large: relayed.result, growth: relayed.growth, file: timed, hashMs };
  } finally {
    await room.close();
  }
}

/**
 * Files: one member sends a file through a host running in its own process to another member (both members in this
 * process), beside the raw two-hop chain of the same links in the same layout (bench/raw-chain.ts: the ceiling of
 * relaying on this machine) and one direct bulk channel; the host's memory while it relays a large file; time to
 * first byte; chat latency from the sender to the other member while the file moves, beside the same with none.
 */
export async function measureFiles(plan: FilePlan): Promise<Row[]> {
  const size = plan.mib * MiB;
  progress('files: direct bulk channel baseline');
  const pair = await directPair();
  const direct = await pushBulk(pair.a, pair.b, size).finally(() => pair.close());
  progress(`files: raw two-hop chain, ${plan.mib} and ${plan.largeMib} MiB`);
  const raw = await measureRawChain(size, plan.largeMib * MiB);
  const dir = await mkdtemp(join(tmpdir(), 'chatus-bench-files-'));
  const room = await measureRoom(plan, dir).finally(() => rm(dir, { recursive: true, force: true }));
  const mb = (bytesPerSecond: number): number => bytesPerSecond / 1e6;
  const throughput = (metric: string, chatus: number, baseline: number, baselineName: string): Row => ({
    scenario: 'file throughput',
    metric,
    chatus: mb(chatus),
    baseline: mb(baseline),
    baselineName,
    unit: 'MB/s',
    better: 'higher',
  });
  const relay = (metric: string, chatus: number, baseline: number, baselineName: string, unit: string): Row => ({
    scenario: 'file relay',
    metric,
    chatus,
    baseline,
    baselineName,
    unit,
    better: 'lower',
  });
  const chain = 'raw two-hop chain, same links and layout';
  return [
    throughput(`${plan.mib} MiB through the host, first byte → verified`, room.file.bytesPerSecond, raw.small.bytesPerSecond, chain),
    throughput(`${plan.largeMib} MiB through the host (no copy kept there), first byte → verified`, room.large.bytesPerSecond, raw.large.bytesPerSecond, chain),
    throughput(`raw two-hop chain, ${plan.mib} MiB`, raw.small.bytesPerSecond, direct.bytesPerSecond, 'one direct bulk channel'),
    throughput(`${plan.mib} MiB through the host, Send → verified (hashed first)`, room.file.sendToVerifiedBytesPerSecond, direct.bytesPerSecond, 'one direct bulk channel'),
    relay(`host peak RSS above before, ${plan.largeMib} MiB relayed`, room.growth / MiB, raw.growth / MiB, 'raw forwarder, same bytes', 'MiB'),
    relay(`time to first byte, ${plan.mib} MiB (Send → first chunk at a member)`, room.file.firstByteMs, raw.large.firstFrameMs, 'one frame through the raw chain', 'ms'),
    relay(`time to first byte, ${plan.largeMib} MiB`, room.large.firstByteMs, raw.large.firstFrameMs, 'one frame through the raw chain', 'ms'),
    relay('chat p50 sender→member during a transfer', quantile(room.file.chatMs, 0.5), quantile(room.idleChatMs, 0.5), 'same room, no transfer', 'ms'),
    relay('chat p99 sender→member during a transfer', quantile(room.file.chatMs, 0.99), quantile(room.idleChatMs, 0.99), 'same room, no transfer', 'ms'),
    {
      scenario: 'file hashing',
      metric: `SHA-256 of a ${plan.mib} MiB file on disk, hash-wasm (the sender's, before Send announces it)`,
      chatus: mb(size / (room.hashMs.wasm / 1000)),
      baseline: mb(size / (room.hashMs.noble / 1000)),
      baselineName: '@noble/hashes (pure JS), same file',
      unit: 'MB/s',
      better: 'higher',
    },
  ];
}
