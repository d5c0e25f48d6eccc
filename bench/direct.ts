import { PeerLink } from '../web/src/net/peer-link.ts';
import { nodeWebRtc } from '../test/support/node-webrtc.ts';

/** Two Node peers joined by one data channel, signals passed in-process: the baseline for relayed paths. */
export async function directPair(): Promise<{ a: PeerLink; b: PeerLink; close(): void }> {
  const options = { iceServers: [], wrtc: nodeWebRtc, extraConfig: { bindAddress: '127.0.0.1' } };
  const a = new PeerLink({ ...options, initiator: true });
  const b = new PeerLink({ ...options, initiator: false });
  a.on('signal', (data) => b.signal(data));
  b.on('signal', (data) => a.signal(data));
  await Promise.all([new Promise((r) => a.on('open', r)), new Promise((r) => b.on('open', r))]);
  return { a, b, close: () => (a.close(), b.close()) };
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
