import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { defaultLiveness } from '../shared/liveness.ts';
import { ChatPage } from '../test/e2e/chat-page.ts';
import { launchChromium, newContext } from '../test/support/browser.ts';
import { startTestServer } from '../test/support/server.ts';
import { SessionPool, until } from '../test/support/sessions.ts';
import type { RoomSession } from '../web/src/net/room-session.ts';
import { spawnLineProcess, type HostLine, type HostProcess } from './host-process.ts';
import { processMemory, progress, quantile, type Row } from './stats.ts';

/** Members per swarm process (bench/member-swarm.ts). */
const PER_PROCESS = 25;

/** How often the sender writes during the fan-out: a lively room, with time for 98 members to take each line in. */
const SEND_EVERY_MS = 250;

const swarmScript = fileURLToPath(new URL('./member-swarm.ts', import.meta.url));

/** The host: a ChatUs page in Chromium, with its DevTools session for the main thread's CPU time and the JS heap. */
interface HostTab {
  readonly page: Page;
  readonly cdp: CDPSession;
}

/**
 * Runs in the host page before its own code: notes when each chat frame arrives on a data channel and when the page
 * last sends one with the same id, on `window.chatusRelay` (the time the host itself takes to relay a line, as
 * bench/big-room.ts measures it at a Node host).
 */
function watchRelay(): void {
  const arrived = new Map<string, number>();
  const sentLast = new Map<string, number>();
  const chatId = (data: unknown): string | null =>
    typeof data === 'string' && data.includes('"type":"chat"') ? (/"id":"([^"]+)"/.exec(data)?.[1] ?? null) : null;
  (window as unknown as { chatusRelay: unknown }).chatusRelay = { arrived, sentLast };
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: never) {
    send.call(this, data);
    const id = chatId(data);
    if (id !== null) sentLast.set(id, performance.now());
  } as typeof send;
  const onmessage = Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'onmessage')!;
  Object.defineProperty(RTCDataChannel.prototype, 'onmessage', {
    ...onmessage,
    set(this: RTCDataChannel, handler: ((event: MessageEvent) => void) | null) {
      const timed = handler && ((event: MessageEvent): void => {
        const id = chatId(event.data);
        if (id !== null && !arrived.has(id)) arrived.set(id, performance.now());
        handler.call(this, event);
      });
      onmessage.set!.call(this, timed);
    },
  });
}

/** Each line relayed since the last call: its time at the host, from its arrival to its last copy going out (ms). */
const relayTimes = (host: HostTab): Promise<number[]> =>
  host.page.evaluate(() => {
    const { arrived, sentLast } = (window as unknown as { chatusRelay: { arrived: Map<string, number>; sentLast: Map<string, number> } }).chatusRelay;
    const times = [...arrived].flatMap(([id, at]) => (sentLast.has(id) ? [sentLast.get(id)! - at] : []));
    arrived.clear();
    sentLast.clear();
    return times;
  });

async function openHost(browser: Browser, url: string): Promise<HostTab> {
  const context = await newContext(browser);
  // As source text: tsx names the script's inner functions with a helper (`__name`) that the page does not have.
  await context.addInitScript({ content: `globalThis.__name ??= (target) => target; (${watchRelay.toString()})();` });
  const page = await context.newPage();
  await page.goto(url);
  const person = new ChatPage(page);
  await person.join('Host', { room: 'big' });
  await person.waitUntilConnected(20_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return { page, cdp };
}

/**
 * The host page's main-thread CPU time so far (ms), read before a garbage collection so that the collection this asks
 * for is not counted, and its JS heap in use after it (bytes).
 */
async function hostMetrics(host: HostTab): Promise<{ cpuMs: number; heap: number }> {
  const metric = async (name: string): Promise<number> =>
    (await host.cdp.send('Performance.getMetrics')).metrics.find((entry) => entry.name === name)?.value ?? Number.NaN;
  const cpuMs = (await metric('ThreadTime')) * 1000;
  await host.cdp.send('HeapProfiler.collectGarbage');
  return { cpuMs, heap: await metric('JSHeapUsedSize') };
}

/** The pid of the host page's renderer: of the browser's renderers, the one that has used the most CPU. */
async function rendererPid(browser: Browser): Promise<number | undefined> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number; cpuTime: number }[] };
    return processInfo.filter((info) => info.type === 'renderer').sort((a, b) => b.cpuTime - a.cpuTime)[0]?.id;
  } finally {
    await cdp.detach();
  }
}

const rss = async (pid: number | undefined): Promise<number> => (pid === undefined ? Number.NaN : (await processMemory(pid)).rss);

/** Sends `messages` lines "<prefix> <n> <sent at>" from `sender`, one every SEND_EVERY_MS. */
async function fan(sender: RoomSession, messages: number, prefix: 'fan' | 'warm'): Promise<void> {
  for (let i = 0; i < messages; i++) {
    sender.send(`${prefix} ${i} ${performance.timeOrigin + performance.now()}`);
    await new Promise((resolve) => setTimeout(resolve, SEND_EVERY_MS));
  }
}

/** Resolves once `swarms` have printed `count` lines matching `predicate` between them (or rejects after `timeoutMs`). */
function lines(swarms: readonly HostProcess[], predicate: (line: HostLine) => boolean, count: number, timeoutMs: number): Promise<HostLine[]> {
  const found: HostLine[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${found.length} of ${count} lines in ${timeoutMs} ms`)), timeoutMs);
    for (const swarm of swarms) {
      swarm.onLine((line) => {
        if (!predicate(line) || found.length >= count) return;
        found.push(line);
        if (found.length < count) return;
        clearTimeout(timer);
        resolve(found);
      });
    }
  });
}

/**
 * A room of 100 with a real Chromium tab as its host: the page joins, one Node member (the sender) joins alone, then
 * `members - 1` more join at once from swarm processes (bench/member-swarm.ts: real node-datachannel links, the
 * session code a browser runs). The sender then writes `messages` lines; each member reports how long each took from
 * the sender's `send` to its own timeline, through the Chromium host: the fan-out as people see it, with every
 * member's own work (a signature check per line) on this machine's two cores beside the host's. The host tab's
 * main-thread CPU per relayed line stands beside the same figure with the sender alone in the room, and its memory
 * (JS heap, renderer RSS) with 100 in the room beside the same before the burst. The full run only: 99 links take a
 * while to make.
 */
export async function measureChromiumHostRoom(members: number, messages: number): Promise<Row[]> {
  const server = await startTestServer({ limits: { maxConnectionsPerIp: 1000, messageBurst: 10_000, messagesPerSecond: 10_000 } });
  const pool = new SessionPool(() => server.wsUrl, defaultLiveness);
  let browser: Browser | undefined;
  const swarms: HostProcess[] = [];
  try {
    browser = await launchChromium();
    progress(`big room, Chromium host: the host page and the sender`);
    const host = await openHost(browser, server.httpUrl);
    const pid = await rendererPid(browser);
    let started = performance.now();
    const sender = await pool.join('big', 'Sender');
    await until(sender, (s) => s.linkedToHost, 30_000);
    const aloneMs = performance.now() - started;

    // The host's cost per line with one member, to set beside the same with the room full.
    const warmLines = Math.min(messages, 10);
    let before = await hostMetrics(host);
    // Not "fan" lines: the members that join later get these as history.
    await fan(sender, warmLines, 'warm');
    await host.page.getByText(`warm ${warmLines - 1} `).waitFor({ timeout: 30_000 });
    const aloneCpuPerLine = ((await hostMetrics(host)).cpuMs - before.cpuMs) / warmLines;
    const heapBefore = (await hostMetrics(host)).heap;
    const rssBefore = await rss(pid);

    progress(`big room, Chromium host: ${members - 1} more members join at once`);
    started = performance.now();
    const others = members - 1;
    for (let first = 1; first <= others; first += PER_PROCESS) {
      swarms.push(spawnLineProcess(swarmScript, [server.wsUrl, 'big', String(first), String(Math.min(PER_PROCESS, others - first + 1))]));
    }
    // Listening from the same tick on: a swarm's output is read only after this function yields.
    await lines(swarms, (line) => line['event'] === 'linked', others, 180_000);
    const burstMs = performance.now() - started;

    progress(`big room, Chromium host: ${messages} lines to ${members - 1} members`);
    const got = lines(swarms, (line) => line['event'] === 'got', messages * others, 120_000);
    before = await hostMetrics(host);
    await relayTimes(host);
    await fan(sender, messages, 'fan');
    const latencies = (await got).map((line) => Number(line['ms']));
    const after = await hostMetrics(host);
    const fullCpuPerLine = (after.cpuMs - before.cpuMs) / messages;
    const relay = await relayTimes(host);
    const rssFull = await rss(pid);

    const base = { scenario: 'big room (Chromium host)' } as const;
    const goal = { baseline: 50, baselineName: 'goal (issue 12): p99 < 50 ms', unit: 'ms', better: 'lower' } as const;
    return [
      { ...base, ...goal, metric: `host relay p50, to ${others} members (frame in → last copy out)`, chatus: quantile(relay, 0.5) },
      { ...base, ...goal, metric: `host relay p99, to ${others} members (frame in → last copy out)`, chatus: quantile(relay, 0.99) },
      // Every member's own work (a signature check per line, 98 of them on two cores) is in these two.
      { ...base, ...goal, metric: `end to end p50, sender → ${others} Node members' timelines`, chatus: quantile(latencies, 0.5) },
      { ...base, ...goal, metric: `end to end p99, sender → ${others} Node members' timelines`, chatus: quantile(latencies, 0.99) },
      { ...base, metric: `join burst: ${others} join at once, all linked to the Chromium host`, chatus: burstMs, baseline: aloneMs, baselineName: 'one member joining alone', unit: 'ms', better: 'lower' },
      { ...base, metric: `host main-thread CPU per line, room of ${members + 1}`, chatus: fullCpuPerLine, baseline: aloneCpuPerLine, baselineName: 'the same, room of 2', unit: 'ms', better: 'lower' },
      { ...base, metric: `host JS heap, room of ${members + 1}`, chatus: after.heap / 2 ** 20, baseline: heapBefore / 2 ** 20, baselineName: 'the same, room of 2', unit: 'MiB', better: 'lower' },
      { ...base, metric: `host renderer RSS, room of ${members + 1}`, chatus: rssFull / 2 ** 20, baseline: rssBefore / 2 ** 20, baselineName: 'the same, room of 2', unit: 'MiB', better: 'lower' },
    ];
  } finally {
    for (const swarm of swarms) swarm.stop();
    pool.leaveAll();
    await browser?.close();
    await server.close();
  }
}
