/**
 * Measures how long chat stops when the host goes: from the host's clean leave (or its freeze with SIGSTOP, which
 * others see as a crash or a lost network) until a message a member sends is delivered to every other member again.
 * Node peers run the same session code as browsers; members use the default liveness timings users get.
 * Usage: npx tsx scripts/measure-migration.ts [rounds]   (loopback only; run inside `unshare -n` where possible)
 */
import { defaultLiveness } from '../shared/liveness.ts';
import { spawnPeer } from '../test/support/child-peer.ts';
import { startTestServer } from '../test/support/server.ts';
import { chatLines, SessionPool, until } from '../test/support/sessions.ts';
import type { RoomSession } from '../web/src/net/room-session.ts';

const rounds = Number(process.argv[2] ?? 5);

/** Sends a numbered message every 50 ms until every other member has one sent after `since`; returns that delay. */
async function timeUntilFlowing(sender: RoomSession, others: RoomSession[], since: number, tag: string): Promise<number> {
  let n = 0;
  const timer = setInterval(() => sender.send(`${tag}-${++n}`), 50);
  try {
    await Promise.all(others.map((o) => until(o, (s) => chatLines(s).some((l) => l.includes(`${tag}-`)), 30_000)));
    return Date.now() - since;
  } finally {
    clearInterval(timer);
  }
}

async function round(kind: 'clean' | 'crash', index: number): Promise<number> {
  const server = await startTestServer({ heartbeatMs: 30_000 });
  const pool = new SessionPool(() => server.wsUrl, defaultLiveness);
  const room = `${kind}-${index}`;
  try {
    let leave: () => void;
    if (kind === 'clean') {
      const host = await pool.join(room, 'Host');
      leave = () => host.leave();
    } else {
      const child = spawnPeer(server.wsUrl, room, 'Host');
      await child.next((e) => e.event === 'role' && e.role === 'host');
      leave = () => child.freeze();
      process.once('exit', () => child.kill());
      setTimeout(() => child.kill(), 60_000).unref();
    }
    const members = [await pool.join(room, 'A'), await pool.join(room, 'B'), await pool.join(room, 'C')];
    await Promise.all(members.map((m) => until(m, (s) => s.linkedToHost)));
    const since = Date.now();
    leave();
    const [sender, ...others] = [members[1]!, members[0]!, members[2]!];
    return await timeUntilFlowing(sender, others, since, `${kind}${index}`);
  } finally {
    pool.leaveAll();
    await server.close();
  }
}

const summary = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const p50 = sorted[Math.floor((sorted.length - 1) / 2)];
  return `p50 ${p50} ms, max ${sorted.at(-1)} ms (n=${sorted.length}: ${values.join(', ')})`;
};

for (const kind of ['clean', 'crash'] as const) {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) times.push(await round(kind, i));
  process.stdout.write(`host ${kind === 'clean' ? 'closes cleanly' : 'freezes (crash / lost network)'}: chat flows again after ${summary(times)}\n`);
}
process.exit(0);
