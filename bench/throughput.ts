import { LINK_FRAME_BURST, MAX_TEXT_LENGTH } from '../shared/limits.ts';
import { defaultLiveness } from '../shared/liveness.ts';
import type { RoomSession } from '../web/src/net/room-session.ts';
import { spawnPeer } from '../test/support/child-peer.ts';
import { startTestServer } from '../test/support/server.ts';
import { SessionPool, until } from '../test/support/sessions.ts';
import { directThroughput } from './direct.ts';
import { processMemory, progress, type Row } from './stats.ts';

/**
 * Resolves with how many chat messages from others `session` has once it has `count`, or after `timeoutMs` with fewer
 * (a member whose link was re-made mid-burst gets only the newest HISTORY_LIMIT of what it missed as history).
 */
function received(session: RoomSession, count: number, timeoutMs = 60_000): Promise<number> {
  const seen = new Set<string>();
  return new Promise((resolve) => {
    const finish = (): void => {
      off();
      clearTimeout(timer);
      resolve(seen.size);
    };
    const timer = setTimeout(finish, timeoutMs);
    const off = session.on('change', (snapshot) => {
      // The whole timeline: a tail of 32 lines missed lines when more arrived in one change than it held (the bench
      // then waited for ever). One pass over at most a few thousand entries a change costs little beside the relay.
      for (const entry of snapshot.timeline) if (entry.kind === 'chat' && !entry.own) seen.add(entry.message.id);
      if (seen.size >= count) finish();
    });
  });
}

/**
 * Relay throughput: one member sends `messages` chat messages of the largest size (2,000 characters) through a host
 * running in its own process (so its peak memory is its own) to one receiving member, then to several; the baseline
 * is one direct data channel between two Node peers carrying the same bytes in frames of the same size. `messages`
 * stays under LINK_FRAME_BURST (400): a host takes that many frames from one member at once and then 50 a second, and
 * refuses the rest as a flood (2,000 at once delivered 400 + 50 a second, and the sender's 4 s of signing them in one
 * task had the host drop both members as silent).
 */
/** `waitMs`: how long to wait for the last message before reporting what arrived (a re-made link never gets it all). */
export async function measureThroughput(messages: number, receiverCounts: readonly number[], waitMs = 60_000): Promise<Row[]> {
  if (messages >= LINK_FRAME_BURST) throw new Error(`throughput: ${messages} messages at once would pass the host's flood limit (${LINK_FRAME_BURST})`);
  const text = 't'.repeat(MAX_TEXT_LENGTH);
  const bytes = messages * text.length;
  progress('throughput: direct channel baseline');
  const direct = await directThroughput(bytes, 2200);
  const rows: Row[] = [];
  for (const receivers of receiverCounts) {
    progress(`throughput: relayed to ${receivers} member(s)`);
    const server = await startTestServer({ limits: { maxConnectionsPerIp: 1000, messageBurst: 10_000, messagesPerSecond: 10_000 } });
    const pool = new SessionPool(() => server.wsUrl, defaultLiveness);
    // The host watches its members with the timings people get: the tests' short ones drop a member whose event loop
    // is busy checking a burst's signatures for a second, and the burst then loses what that member missed.
    const host = spawnPeer(server.wsUrl, 'tp', 'Host', 'default');
    try {
      await host.next((e) => e.event === 'role' && e.role === 'host');
      const sender = await pool.join('tp', 'Sender');
      const sinks: RoomSession[] = [];
      for (let i = 0; i < receivers; i++) sinks.push(await pool.join('tp', `Sink${i}`));
      await Promise.all([sender, ...sinks].map((s) => until(s, (x) => x.linkedToHost, 30_000)));
      const before = await processMemory(host.process.pid!);
      const done = Promise.all(sinks.map((sink) => received(sink, messages, waitMs)));
      const start = performance.now();
      for (let i = 0; i < messages; i++) sender.send(text);
      const counts = await done;
      const seconds = (performance.now() - start) / 1000;
      if (counts.some((count) => count < messages)) progress(`  only ${counts.join(', ')} of ${messages} arrived: a link was re-made mid-burst`);
      const after = await processMemory(host.process.pid!);
      rows.push({
        scenario: 'relay throughput',
        metric: `to ${receivers} member${receivers > 1 ? 's' : ''}, per member`,
        chatus: bytes / seconds / 1e6,
        baseline: direct / 1e6,
        baselineName: 'one direct channel',
        unit: 'MB/s',
        better: 'higher',
      });
      rows.push({
        scenario: 'relay throughput',
        metric: `host peak RSS, to ${receivers} member${receivers > 1 ? 's' : ''}`,
        chatus: after.peak / 2 ** 20,
        baseline: before.rss / 2 ** 20,
        baselineName: 'host RSS before',
        unit: 'MiB',
        better: 'lower',
      });
    } finally {
      host.kill();
      pool.leaveAll();
      await server.close();
    }
  }
  return rows;
}
