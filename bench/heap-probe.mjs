// Loaded with `node --expose-gc --import ./bench/heap-probe.mjs` into a server the signaling benchmark measures (ChatUs
// and PeerServer alike): on SIGUSR2 it collects garbage twice and writes process.memoryUsage() as JSON to the file
// named by CHATUS_HEAP_PROBE, so the benchmark can read the live heap, which a resident-set figure blurs with garbage
// not yet collected and with heap the collector keeps in reserve.
import { writeFileSync } from 'node:fs';

const target = process.env.CHATUS_HEAP_PROBE;
if (target) {
  process.on('SIGUSR2', () => {
    globalThis.gc?.();
    globalThis.gc?.();
    writeFileSync(target, JSON.stringify({ ...process.memoryUsage(), cpu: process.cpuUsage() }));
  });
}
