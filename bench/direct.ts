import { BULK_HIGH_WATER_BYTES, MAX_FILE_CHUNK_BYTES } from '../shared/limits.ts';
import type { DataLink } from '../web/src/net/link.ts';
import { PeerLink } from '../web/src/net/peer-link.ts';
import { nodeWebRtc } from '../test/support/node-webrtc.ts';

/** A Node link on loopback, as the benchmarks' bare baselines make them. */
export function nodeLink(initiator: boolean): PeerLink {
  return new PeerLink({ initiator, iceServers: [], wrtc: nodeWebRtc, extraConfig: { bindAddress: '127.0.0.1' } });
}

/** Resolves at `link`'s next `bulkLow`: its bulk channel opened, or its queue drained to the low-water mark. */
export function bulkLow(link: DataLink): Promise<void> {
  return new Promise((resolve) => {
    const off = link.on('bulkLow', () => {
      off();
      resolve();
    });
  });
}

/**
 * Two Node peers joined by one data channel and its bulk channel (both open), signals passed in-process: the
 * baseline for relayed paths.
 */
export async function directPair(): Promise<{ a: PeerLink; b: PeerLink; close(): void }> {
  const a = nodeLink(true);
  const b = nodeLink(false);
  a.on('signal', (data) => b.signal(data));
  b.on('signal', (data) => a.signal(data));
  await Promise.all([new Promise((r) => a.on('open', r)), new Promise((r) => b.on('open', r)), bulkLow(a), bulkLow(b)]);
  return { a, b, close: () => (a.close(), b.close()) };
}

/** What carrying bytes over bulk channels took. */
export interface BulkRun {
  /** The first frame's way: handed to `from` → arrived at `to`, in ms. */
  readonly firstFrameMs: number;
  /** Bytes over the time from the first frame's arrival to the last one's. */
  readonly bytesPerSecond: number;
}

/** A bulk run that receives nothing new for this long has stalled. */
const STALL_MS = 20_000;

/**
 * Writes `total` bytes as 64 KiB binary frames on `from`'s (open) bulk channel, under the high-water mark a ChatUs
 * sender keeps, and resolves once `to` has received them all (from its bulk channel, directly or through a relay);
 * rejects when nothing new arrives for STALL_MS.
 */
export async function pushBulk(from: DataLink, to: DataLink, total: number): Promise<BulkRun> {
  const frame = new Uint8Array(MAX_FILE_CHUNK_BYTES).fill(7);
  let received = 0;
  let firstAt = 0;
  let stalled: ((error: Error) => void) | undefined;
  const done = new Promise<number>((resolve, reject) => {
    stalled = reject;
    const off = to.on('bulk', (data) => {
      if (received === 0) firstAt = performance.now();
      received += data.length;
      if (received < total) return;
      off();
      resolve(performance.now());
    });
  });
  // node-datachannel now and then stops delivering mid-transfer (the channel stays open, nothing more arrives): a
  // run that makes no progress for STALL_MS fails instead of hanging the bench.
  let seen = -1;
  const watchdog = setInterval(() => {
    if (received === seen) stalled?.(new Error(`bulk transfer stalled at ${received} of ${total} bytes`));
    seen = received;
  }, STALL_MS);
  const start = performance.now();
  try {
    const sending = (async () => {
      for (let sent = 0; sent < total; sent += frame.length) {
        while (from.bulkBufferedAmount >= BULK_HIGH_WATER_BYTES) await Promise.race([bulkLow(from), done]);
        from.sendBulk(frame);
      }
    })();
    const [end] = await Promise.all([done, sending]);
    return { firstFrameMs: firstAt - start, bytesPerSecond: total / ((end - firstAt) / 1000) };
  } finally {
    clearInterval(watchdog);
  }
}

/** Sends `count` frames of `size` characters from a to b; resolves with each frame's one-way latency in ms. */
export async function directLatencies(count: number, size: number, everyMs: number): Promise<number[]> {
  const { a, b, close } = await directPair();
  const latencies: number[] = [];
  const done = new Promise<void>((resolve) =>
    b.on('message', (raw) => {
      latencies.push(performance.now() - Number(raw.slice(0, raw.indexOf('|'))));
      if (latencies.length === count) resolve();
    }),
  );
  for (let i = 0; i < count; i++) {
    const stamp = `${performance.now()}|`;
    a.send(stamp + 'x'.repeat(Math.max(0, size - stamp.length)));
    if (everyMs > 0) await new Promise((r) => setTimeout(r, everyMs));
  }
  await done;
  close();
  return latencies;
}

/** Bytes per second for `total` bytes in frames of `size` from a to b, sending while the buffer is under 1 MiB. */
export async function directThroughput(total: number, size: number): Promise<number> {
  const { a, b, close } = await directPair();
  const frame = 'y'.repeat(size);
  let received = 0;
  const start = performance.now();
  const done = new Promise<void>((resolve) =>
    b.on('message', (raw) => {
      received += raw.length;
      if (received >= total) resolve();
    }),
  );
  for (let sent = 0; sent < total; sent += size) {
    while (a.bufferedAmount > 1024 * 1024) await new Promise((r) => setTimeout(r, 1));
    a.send(frame);
  }
  await done;
  const seconds = (performance.now() - start) / 1000;
  close();
  return total / seconds;
}
