/**
 * The host of the file benchmarks, in its own process so that its memory is its own (bench/host-process.ts starts
 * it). JSON lines on stdin and stdout; it exits when stdin closes.
 *
 *   tsx bench/relay-host.ts raw
 *     A bare forwarder: two links, `a` and `b`, whose signals pass over stdio ({"link","data"} both ways); every bulk
 *     frame from `a` goes on to `b` as it is, while b's bulk queue is under the high-water mark, and waits in a FIFO
 *     otherwise. Nothing else: the raw two-hop chain ChatUs's relay is measured against.
 *   tsx bench/relay-host.ts chatus <ws-url> <room>
 *     A ChatUs host: a RoomSession joined first (so it hosts) with the default timings; prints {"event":"host"}.
 *     {"keep":false} on stdin makes it cancel its own copy of every file it relays from then on (it still relays),
 *     so that its memory shows the relay alone: Node keeps received Blob parts in memory, where a browser moves
 *     large Blobs to disk. {"keep":true} undoes that. Both are answered with {"event":"keep","keep":…}.
 */
import { createInterface } from 'node:readline';
import { BULK_HIGH_WATER_BYTES } from '../shared/limits.ts';
import { defaultLiveness } from '../shared/liveness.ts';
import type { SignalData } from '../shared/protocol/fields.ts';
import { PeerLink } from '../web/src/net/peer-link.ts';
import { RoomSession } from '../web/src/net/room-session.ts';
import { nodeSessionDeps, nodeWebRtc } from '../test/support/node-webrtc.ts';

type Line = Record<string, unknown>;

const write = (line: Line): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
const commands = createInterface({ input: process.stdin });
commands.on('close', () => process.exit(0));

function forward(): void {
  const options = { initiator: false, iceServers: [], wrtc: nodeWebRtc, extraConfig: { bindAddress: '127.0.0.1' } };
  const a = new PeerLink(options);
  const b = new PeerLink(options);
  a.on('signal', (data) => write({ link: 'a', data }));
  b.on('signal', (data) => write({ link: 'b', data }));
  commands.on('line', (text) => {
    const { link, data } = JSON.parse(text) as { link: 'a' | 'b'; data: SignalData };
    (link === 'a' ? a : b).signal(data);
  });
  const waiting: Uint8Array[] = [];
  const drain = (): void => {
    while (waiting.length > 0 && b.bulkBufferedAmount < BULK_HIGH_WATER_BYTES) b.sendBulk(waiting.shift()!);
  };
  a.on('bulk', (frame) => {
    waiting.push(frame);
    drain();
  });
  b.on('bulkLow', drain);
}

async function host(url: string, room: string): Promise<void> {
  const session = new RoomSession({ url, room, name: 'Host' }, { ...nodeSessionDeps(), liveness: defaultLiveness });
  // Loaded now, as a page loads it once with its first file: what loading it costs in Node (tsx compiling hash-wasm's
  // 270 kB module; 8 MiB of RSS here, where a browser gets an 18 kB chunk) is not the relay's memory.
  void session.files.hashing.ready();
  let keep = true;
  let hosting = false;
  commands.on('line', (text) => {
    keep = (JSON.parse(text) as { keep: boolean }).keep;
    write({ event: 'keep', keep });
  });
  session.on('change', (snapshot) => {
    if (snapshot.role === 'host' && !hosting) write({ event: 'host' });
    hosting = snapshot.role === 'host';
    if (keep) return;
    for (const view of snapshot.files.values()) if (view.direction === 'receive' && view.state === 'receiving') session.files.cancel(view.transfer);
  });
  await session.join();
}

const [mode, url, room] = process.argv.slice(2);
if (mode === 'raw') forward();
else if (mode === 'chatus' && url && room) await host(url, room);
else {
  process.stderr.write('usage: relay-host.ts raw | chatus <ws-url> <room>\n');
  process.exit(2);
}
