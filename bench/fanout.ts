import { MAX_TEXT_LENGTH } from '../shared/limits.ts';
import type { RoomSession } from '../web/src/net/room-session.ts';
import { startTestServer } from '../test/support/server.ts';
import { SessionPool, until } from '../test/support/sessions.ts';
import { defaultLiveness } from '../shared/liveness.ts';
import { directLatencies } from './direct.ts';
import { progress, quantile, type Row } from './stats.ts';

/** Records, for every chat message a session receives, the time since its sender stamped it. */
function recordLatencies(session: RoomSession, into: number[], tag: string): void {
  const seen = new Set<string>();
  session.on('change', (snapshot) => {
    const now = Date.now();
    for (const entry of snapshot.timeline.slice(-64)) {
      if (entry.kind !== 'chat' || entry.own || seen.has(entry.message.id) || !entry.text.startsWith(tag)) continue;
      seen.add(entry.message.id);
      into.push(now - entry.message.ts);
    }
  });
}

/**
 * Fan-out: one member sends `messages` chat messages, one every `everyMs`; the host relays each to every other member.
 * Latency is send → receipt at every receiver, in ms (Date.now in one process, so one clock).
 */
export async function measureFanout(sizes: readonly number[], messages: number, everyMs: number): Promise<Row[]> {
  const rows: Row[] = [];
  const direct = await directLatencies(messages, 200, everyMs);
  for (const size of sizes) {
    progress(`fan-out: room of ${size}`);
    const server = await startTestServer({ limits: { maxConnectionsPerIp: 1000, messageBurst: 10_000, messagesPerSecond: 10_000 } });
    const pool = new SessionPool(() => server.wsUrl, defaultLiveness);
    try {
      const sessions: RoomSession[] = [];
      for (let i = 0; i < size; i++) sessions.push(await pool.join('fanout', `p${i}`));
      await Promise.all(sessions.slice(1).map((s) => until(s, (x) => x.linkedToHost, 30_000)));
      const latencies: number[] = [];
      const [, sender, ...rest] = sessions;
      const receivers = size === 2 ? [sessions[0]!] : [sessions[0]!, ...rest];
      const from = size === 2 ? sessions[1]! : sender!;
      for (const receiver of receivers) recordLatencies(receiver, latencies, 'fan');
      for (let i = 0; i < messages; i++) {
        from.send(`fan ${i} ${'z'.repeat(180)}`.slice(0, MAX_TEXT_LENGTH));
        await new Promise((r) => setTimeout(r, everyMs));
      }
      const expected = messages * receivers.length;
      const deadline = Date.now() + 20_000;
      while (latencies.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const metric = (q: number): string => `p${Math.round(q * 100)} send→receipt, room of ${size}`;
      for (const q of [0.5, 0.99]) {
        rows.push({ scenario: 'fan-out latency', metric: metric(q), chatus: quantile(latencies, q), baseline: quantile(direct, q), baselineName: 'one direct channel', unit: 'ms', better: 'lower' });
      }
      if (latencies.length < expected) progress(`  only ${latencies.length} of ${expected} receipts in time`);
    } finally {
      pool.leaveAll();
      await server.close();
    }
  }
  return rows;
}
