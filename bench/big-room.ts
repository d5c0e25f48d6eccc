import { defaultLiveness } from '../shared/liveness.ts';
import { ChatVerifier } from '../shared/chat-signature.ts';
import type { OutgoingChat } from '../shared/protocol/envelope.ts';
import type { DataLink, LinkFactory } from '../web/src/net/link.ts';
import type { RoomSession, SessionSnapshot } from '../web/src/net/room-session.ts';
import { MemoryNetwork } from '../test/support/memory-link.ts';
import { startTestServer } from '../test/support/server.ts';
import { chatLines, SessionPool, until } from '../test/support/sessions.ts';
import { progress, quantile, type Row } from './stats.ts';

/**
 * Big rooms through a real signaling server: a Node host (the same session code as a browser's) and up to 99
 * members, all in this process on in-memory data channels (test/support/memory-link.ts), since a hundred real
 * node-datachannel links in one process stall on a 2-core machine. What that leaves out is the network and the
 * members' own work: here 99 members check every signature on one machine's cores, which in a real room 99 machines
 * do side by side. So the fan-out figure is the host's part, measured at the host: from a chat frame arriving on a
 * member's link to the host's last copy of it going out (parse, signature check, history, one copy per member).
 */

const HISTORY = 20;

/** The host's links, instrumented: when each chat arrived and when its last copy went out. */
function timedHostLinks(network: MemoryNetwork, arrived: Map<string, number>, sentLast: Map<string, number>): LinkFactory {
  const chatId = (raw: string): string | null => (raw.includes('"type":"chat"') ? (/"id":"([^"]+)"/.exec(raw)?.[1] ?? null) : null);
  return (options) => {
    const link: DataLink = network.createLink(options);
    link.on('message', (raw) => {
      const id = chatId(raw);
      if (id !== null && !arrived.has(id)) arrived.set(id, performance.now());
    });
    const send = link.send.bind(link);
    (link as { send: DataLink['send'] }).send = (text) => {
      const sent = send(text);
      const id = chatId(text);
      if (id !== null) sentLast.set(id, performance.now());
      return sent;
    };
    return link;
  };
}

const hasLines = (count: number, prefix: string) => (snapshot: SessionSnapshot): boolean =>
  snapshot.linkedToHost && chatLines(snapshot).filter((line) => line.includes(`: ${prefix}`)).length >= count;

/** One room of `members` + a host: the join burst, then `messages` from one member, one every `everyMs`. */
async function measureRoom(members: number, messages: number, everyMs: number): Promise<{ relay: number[]; burstMs: number; aloneMs: number; checkMs: number[] }> {
  const server = await startTestServer({ limits: { maxConnectionsPerIp: 1000, messageBurst: 10_000, messagesPerSecond: 10_000 } });
  const network = new MemoryNetwork();
  const arrived = new Map<string, number>();
  const sentLast = new Map<string, number>();
  const hostPool = new SessionPool(() => server.wsUrl, defaultLiveness, { createLink: timedHostLinks(network, arrived, sentLast) });
  const pool = new SessionPool(() => server.wsUrl, defaultLiveness, { createLink: network.createLink });
  try {
    const host = await hostPool.join('big', 'Host');
    for (let i = 0; i < HISTORY; i++) host.send(`history ${i}`);
    // One member alone first (the baseline), then the rest at once.
    let started = performance.now();
    const first = await pool.join('big', 'M0');
    await until(first, hasLines(HISTORY, 'history'), 60_000);
    const aloneMs = performance.now() - started;
    started = performance.now();
    const rest = await Promise.all(Array.from({ length: members - 1 }, (_, i) => pool.join('big', `M${i + 1}`)));
    await Promise.all(rest.map((member) => until(member, hasLines(HISTORY, 'history'), 120_000)));
    const burstMs = performance.now() - started;

    const sender: RoomSession = first;
    const sent: OutgoingChat[] = [];
    for (let i = 0; i < messages; i++) {
      const result = sender.send(`fan ${i} ${'z'.repeat(180)}`);
      if (result.ok) sent.push(result.value);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    await Promise.all(rest.map((member) => until(member, hasLines(messages, 'fan'), 120_000).catch(() => undefined)));
    const relay = sent.flatMap((chat) => {
      const inAt = arrived.get(chat.id);
      const outAt = sentLast.get(chat.id);
      return inAt !== undefined && outAt !== undefined ? [outAt - inAt] : [];
    });
    // The host's signature check alone, on the same messages: the one part of relaying that cannot be shared.
    const verifier = new ChatVerifier('big');
    const checkMs = sent.map((chat) => {
      const start = performance.now();
      verifier.check(chat);
      return performance.now() - start;
    });
    return { relay, burstMs, aloneMs, checkMs };
  } finally {
    pool.leaveAll();
    hostPool.leaveAll();
    await server.close();
  }
}

/**
 * Rooms of `sizes` members plus a host: the host's relay time per message (p50, p99) beside its signature check
 * alone, and all members joining at once (linked, with the history shown) beside one member joining alone.
 */
export async function measureBigRoom(sizes: readonly number[], messages: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const members of sizes) {
    progress(`big room: host and ${members} members`);
    const { relay, burstMs, aloneMs, checkMs } = await measureRoom(members, messages, 100);
    if (relay.length < messages) progress(`  only ${relay.length} of ${messages} messages timed`);
    const base = { scenario: 'big room (Node host)', unit: 'ms', better: 'lower' } as const;
    for (const q of [0.5, 0.99]) {
      rows.push({
        ...base,
        metric: `host relay p${Math.round(q * 100)}, to ${members} members (frame in → last copy out)`,
        chatus: quantile(relay, q),
        baseline: quantile(checkMs, q),
        baselineName: 'the host\'s signature check alone',
      });
    }
    rows.push({
      ...base,
      // Every member's own work (keys, rosters, 20 signature checks each) shares this one process: see the top.
      metric: `join burst: ${members} join at once in one process, all linked with ${HISTORY} lines of history`,
      chatus: burstMs,
      baseline: aloneMs,
      baselineName: 'one member joining alone',
    });
  }
  return rows;
}
