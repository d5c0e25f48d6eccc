import { BULK_HIGH_WATER_BYTES, MAX_FILE_CHUNK_BYTES } from '../shared/limits.ts';
import { defaultLiveness } from '../shared/liveness.ts';
import type { RoomSession } from '../web/src/net/room-session.ts';
import { startTestServer } from '../test/support/server.ts';
import { SessionPool, until } from '../test/support/sessions.ts';
import { directPair } from './direct.ts';
import { progress, type Row } from './stats.ts';

/** Bytes per second for `total` bytes in 64 KiB binary frames over one bulk channel, written under the high-water mark. */
async function directBulkThroughput(total: number): Promise<number> {
  const { a, b, close } = await directPair();
  await new Promise<void>((resolve) => (a.maxBulkFrame > 0 && a.sendBulk(new Uint8Array(1)) ? resolve() : a.on('bulkLow', () => resolve())));
  const frame = new Uint8Array(MAX_FILE_CHUNK_BYTES);
  let received = -1;
  const start = performance.now();
  const done = new Promise<void>((resolve) =>
    b.on('bulk', (data) => {
      received += received < 0 ? 1 : data.length;
      if (received >= total) resolve();
    }),
  );
  for (let sent = 0; sent < total; sent += frame.length) {
    while (a.bulkBufferedAmount >= BULK_HIGH_WATER_BYTES) await new Promise<void>((resolve) => a.on('bulkLow', () => resolve()));
    a.sendBulk(frame);
  }
  await done;
  const seconds = (performance.now() - start) / 1000;
  close();
  return total / seconds;
}

/**
 * File throughput: one member sends a file of `megabytes` MiB through the host to another member (all three Node
 * peers in this process, so the figure is a floor: one CPU runs every peer), from Send to the receiver's verified
 * file; the baseline is one direct bulk channel between two Node peers carrying the same bytes in 64 KiB frames.
 */
export async function measureFiles(megabytes: number): Promise<Row[]> {
  const total = megabytes * 1024 * 1024;
  progress('files: direct bulk channel baseline');
  const direct = await directBulkThroughput(total);
  progress(`files: a ${megabytes} MiB file relayed through the host`);
  const server = await startTestServer({ limits: { maxConnectionsPerIp: 1000 } });
  const pool = new SessionPool(() => server.wsUrl, defaultLiveness);
  try {
    const host = await pool.join('bf', 'Host');
    const sender = await pool.join('bf', 'Sender');
    const sink = await pool.join('bf', 'Sink');
    await Promise.all([sender, sink].map((s) => until(s, (x) => x.linkedToHost, 30_000)));
    sender.send('ready');
    await until(sink, (s) => s.timeline.some((e) => e.kind === 'chat' && e.text === 'ready'));
    void host;
    const verified = (session: RoomSession) => until(session, (s) => [...s.files.values()].some((f) => f.state === 'done'), 300_000);
    const start = performance.now();
    const sent = await sender.files.sendFile(new Blob([new Uint8Array(total)]), 'bench.bin');
    if (!sent.ok) throw new Error(sent.error.message);
    await verified(sink);
    const seconds = (performance.now() - start) / 1000;
    return [
      {
        scenario: 'file throughput',
        metric: `${megabytes} MiB through the host, send to verified`,
        chatus: total / seconds / 1e6,
        baseline: direct / 1e6,
        baselineName: 'one direct bulk channel',
        unit: 'MB/s',
        better: 'higher',
      },
    ];
  } finally {
    pool.leaveAll();
    await server.close();
  }
}
