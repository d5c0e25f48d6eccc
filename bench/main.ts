/**
 * `npm run bench`: every speed and size figure ChatUs claims, each beside a baseline measured in the same run, printed
 * as one table and written as JSON to bench/results/. `--quick` runs a small smoke version; `--only signaling` runs
 * the signaling capacity rows alone (ChatUs against PeerServer), for work on the server; `--only files` the file rows.
 * Loopback only: it re-runs itself inside a loopback-only network namespace when it can (root with unshare), as the
 * tests do.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { measureBigRoom } from './big-room.ts';
import { measureBrowserCleanClose } from './browser-recovery.ts';
import { measureBusyRoom } from './busy-room.ts';
import { measureChromiumFiles } from './chromium-files.ts';
import { measureChromiumHostRoom } from './chromium-host-room.ts';
import { measureFanout } from './fanout.ts';
import { measureFiles } from './files.ts';
import { measureJoin } from './join.ts';
import { measureNodes } from './nodes.ts';
import { measurePageWeight } from './page-weight.ts';
import { measureRecovery } from './recovery.ts';
import { measureSignaling } from './signaling.ts';
import { measureSignatures } from './signatures.ts';
import { progress, ratio, table, type Row } from './stats.ts';
import { measureThroughput } from './throughput.ts';
import { measureWeight } from './weight.ts';

const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (only !== undefined && only !== 'signaling' && only !== 'files') {
  process.stderr.write(`--only takes "signaling" or "files" (got ${only ?? 'nothing'})\n`);
  process.exit(2);
}
const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

if (process.env['CHATUS_NETNS'] !== '1' && process.getuid?.() === 0 && has('unshare') && has('ip')) {
  progress('re-running inside a loopback-only network namespace');
  const result = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, '--import', 'tsx', 'bench/main.ts', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, CHATUS_NETNS: '1' },
  });
  process.exit(result.status ?? 1);
}

const plan = quick
  ? { joins: 2, fanout: [2, 8], fanoutMessages: 20, bigRoom: { sizes: [32], messages: 5 }, throughputMessages: 150, receivers: [1, 2], connections: [200], relay: { pairs: 20, seconds: 1, window: 5 }, signatures: { messages: 150, rooms: [3] }, files: { mib: 8, largeMib: 16, idleChats: 20, chatEveryMs: 50, chromiumMib: 0 }, recovery: { clean: 2, frozen: 1, hung: 1, browserClean: 0 }, busyRoomRounds: 10, nodeJoins: 200, maxNodes: 1 }
  : { joins: 20, fanout: [2, 8, 16, 31], fanoutMessages: 50, bigRoom: { sizes: [32, 64, 99], messages: 20 }, throughputMessages: 300, receivers: [1, 4], connections: [1000, 5000], relay: { pairs: 100, seconds: 5, window: 10 }, signatures: { messages: 1000, rooms: [3, 8, 32] }, files: { mib: 128, largeMib: 1024, idleChats: 100, chatEveryMs: 50, chromiumMib: 64 }, recovery: { clean: 5, frozen: 5, hung: 5, browserClean: 5 }, busyRoomRounds: 60, nodeJoins: 2000, maxNodes: 3 };

const started = Date.now();
progress(`building the web client${quick ? ' (quick run)' : ''}`);
spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
const rows: Row[] = only === 'signaling' ? await measureSignaling(plan.connections, plan.relay) : only === 'files' ? await measureFileRows() : await measureAll();

/** The file rows alone: through a Node host beside the raw chain, and (full run only) through a Chromium host tab. */
async function measureFileRows(): Promise<Row[]> {
  const rows = await measureFiles(plan.files);
  // Three Chromium pages a transfer, a few MB/s tab to tab: the full run only, so that --quick stays under a minute.
  if (quick) progress('files in Chromium: full run only');
  else rows.push(...(await measureChromiumFiles(plan.files.chromiumMib, 3)));
  return rows;
}

/** Every figure (the default). */
async function measureAll(): Promise<Row[]> {
  const rows: Row[] = [];
  rows.push(...(await measureWeight()));
  rows.push(...(await measurePageWeight()));
  rows.push(...(await measureJoin(plan.joins)));
  rows.push(...(await measureBusyRoom(plan.busyRoomRounds)));
  rows.push(...(await measureFanout(plan.fanout, plan.fanoutMessages, 20)));
  rows.push(...(await measureBigRoom(plan.bigRoom.sizes, plan.bigRoom.messages)));
  // A Chromium host tab with 99 real Node members in swarm processes: the full run only (99 links take a while).
  if (quick) progress('big room, Chromium host: full run only');
  else rows.push(...(await measureChromiumHostRoom(99, plan.bigRoom.messages)));
  rows.push(...(await measureThroughput(plan.throughputMessages, plan.receivers, quick ? 15_000 : 60_000)));
  rows.push(...(await measureSignatures(plan.signatures.messages, plan.signatures.rooms)));
  rows.push(...(await measureFileRows()));
  rows.push(...(await measureRecovery(plan.recovery)));
  // Four Chromium pages a round: the full run only, so that --quick stays under a minute.
  if (quick) progress('recovery, Chromium on every side: full run only');
  else rows.push(...(await measureBrowserCleanClose(plan.recovery.browserClean)));
  rows.push(...(await measureSignaling(plan.connections, plan.relay)));
  // Several node processes and a redis-server: the full run only, so that --quick stays under a minute.
  if (quick) progress('signaling nodes: full run only');
  else rows.push(...(await measureNodes(plan.nodeJoins, plan.relay, plan.maxNodes)));
  return rows;
}

const report = table(rows);
process.stdout.write(`\n${report}\n\n`);
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${new Date(started).toISOString().replaceAll(':', '-').slice(0, 19)}${quick ? '-quick' : ''}${only ? `-${only}` : ''}.json`;
writeFileSync(file, JSON.stringify({ started: new Date(started).toISOString(), quick, only, seconds: (Date.now() - started) / 1000, node: process.version, rows: rows.map((r) => ({ ...r, ratio: ratio(r) })) }, null, 2));
process.stdout.write(`Figures written to ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
process.exit(0);
