// Loaded with `node --expose-gc --import ./bench/heap-probe.mjs` into a server the signaling benchmark measures (ChatUs
// and PeerServer alike): on SIGUSR2 it collects garbage twice and writes process.memoryUsage() as JSON to the file
// named by CHATUS_HEAP_PROBE, so the benchmark can read the live heap, which a resident-set figure blurs with garbage
// not yet collected and with heap the collector keeps in reserve. It also writes the CPU time used before and after
// those collections, so that CPU figures can leave out the collections the benchmark itself forces (their cost grows
// with the heap the server holds, not with the work measured).
import { writeFileSync } from 'node:fs';

const target = process.env.CHATUS_HEAP_PROBE;
if (target) {
  process.on('SIGUSR2', () => {
    const cpuBeforeGc = process.cpuUsage();
    globalThis.gc?.();
    globalThis.gc?.();
    writeFileSync(target, JSON.stringify({ ...process.memoryUsage(), cpuBeforeGc, cpu: process.cpuUsage() }));
  });
}
