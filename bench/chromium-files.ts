import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BULK_HIGH_WATER_BYTES, BULK_LOW_WATER_BYTES, MAX_FILE_CHUNK_BYTES } from '../shared/limits.ts';
import { ChatPage } from '../test/e2e/chat-page.ts';
import { launchChromium, newContext } from '../test/support/browser.ts';
import { startTestServer } from '../test/support/server.ts';
import { progress, type Row } from './stats.ts';

const MiB = 1024 * 1024;

/** What the pages of the raw chain keep on `window`: their channels by name, and what B counted. */
interface ChainWindow {
  channels: Record<string, RTCDataChannel>;
  counted: Promise<number>;
}

/**
 * A page of its own browser context (its own profile) at `url`. The functions this file runs in pages are compiled by
 * tsx, which names inner functions with a helper (`__name`) that pages do not have: each page gets a do-nothing one.
 */
async function pageAt(browser: Browser, url: string): Promise<Page> {
  const context = await newContext(browser);
  await context.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/**
 * A data channel between two pages with bare RTCPeerConnections (SDP passed by this process), kept as
 * `window.channels[aName]` in `a` and `window.channels[bName]` in `b`: pre-negotiated (id 7, as ChatUs's bulk
 * channel), binary, with the bulk low-water mark. Resolves once it is open at both ends.
 */
async function bareChannel(a: Page, aName: string, b: Page, bName: string): Promise<void> {
  const open = (page: Page, name: string, remote: RTCSessionDescriptionInit | null) =>
    page.evaluate(
      async ([key, offer, lowWater]) => {
        const pc = new RTCPeerConnection({ iceServers: [] });
        const channel = pc.createDataChannel('bulk', { negotiated: true, id: 7 });
        channel.binaryType = 'arraybuffer';
        channel.bufferedAmountLowThreshold = lowWater;
        const page = window as unknown as ChainWindow & { pcs: Record<string, RTCPeerConnection> };
        (page.channels ??= {})[key] = channel;
        (page.pcs ??= {})[key] = pc;
        if (offer) await pc.setRemoteDescription(offer);
        await pc.setLocalDescription(offer ? await pc.createAnswer() : await pc.createOffer());
        if (pc.iceGatheringState !== 'complete') {
          await new Promise<void>((resolve) => (pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve()));
        }
        return pc.localDescription!.toJSON();
      },
      [name, remote, BULK_LOW_WATER_BYTES] as const,
    );
  const answer = await open(b, bName, await open(a, aName, null));
  await a.evaluate(([key, remote]) => (window as unknown as { pcs: Record<string, RTCPeerConnection> }).pcs[key]!.setRemoteDescription(remote), [aName, answer] as const);
  const opened = (page: Page, name: string) =>
    page.evaluate((key) => {
      const channel = (window as unknown as ChainWindow).channels[key]!;
      return channel.readyState === 'open' ? undefined : new Promise<void>((resolve) => channel.addEventListener('open', () => resolve()));
    }, name);
  await Promise.all([opened(a, aName), opened(b, bName)]);
}

/**
 * The raw two-hop chain in Chromium: page A → page F → page B over bare channels, none of ChatUs's code on the way. A
 * sends `bytes` in frames of MAX_FILE_CHUNK_BYTES under the bulk high-water mark, F hands each frame on as it is
 * (while B's channel is under the high-water mark; a FIFO otherwise), B counts. B's bytes per second, first frame to
 * last.
 */
async function rawChainBytesPerSecond(browser: Browser, url: string, bytes: number): Promise<number> {
  const [a, f, b] = await Promise.all([pageAt(browser, url), pageAt(browser, url), pageAt(browser, url)]);
  try {
    await bareChannel(a, 'out', f, 'in');
    await bareChannel(f, 'out', b, 'in');
    await f.evaluate((highWater) => {
      const { channels } = window as unknown as ChainWindow;
      const [from, to] = [channels['in']!, channels['out']!];
      const waiting: ArrayBuffer[] = [];
      const drain = () => {
        while (waiting.length > 0 && to.bufferedAmount < highWater) to.send(waiting.shift()!);
      };
      to.addEventListener('bufferedamountlow', drain);
      from.addEventListener('message', (event: MessageEvent<ArrayBuffer>) => {
        if (waiting.length === 0 && to.bufferedAmount < highWater) to.send(event.data);
        else waiting.push(event.data);
      });
    }, BULK_HIGH_WATER_BYTES);
    await b.evaluate((total) => {
      const page = window as unknown as ChainWindow;
      page.counted = new Promise((resolve) => {
        let received = 0;
        let firstAt = 0;
        page.channels['in']!.addEventListener('message', (event: MessageEvent<ArrayBuffer>) => {
          if (received === 0) firstAt = performance.now();
          received += event.data.byteLength;
          if (received >= total) resolve(total / ((performance.now() - firstAt) / 1000));
        });
      });
    }, bytes);
    await a.evaluate(
      async ([total, frameBytes, highWater]) => {
        const channel = (window as unknown as ChainWindow).channels['out']!;
        const frame = new Uint8Array(frameBytes).fill(7);
        for (let sent = 0; sent < total; sent += frameBytes) {
          if (channel.bufferedAmount >= highWater) await new Promise((resolve) => channel.addEventListener('bufferedamountlow', resolve, { once: true }));
          channel.send(frame);
        }
      },
      [bytes, MAX_FILE_CHUNK_BYTES, BULK_HIGH_WATER_BYTES] as const,
    );
    return await b.evaluate(() => (window as unknown as ChainWindow).counted);
  } finally {
    await Promise.all([a, f, b].map((page) => page.context().close()));
  }
}

/**
 * Watches, inside the page, the file card of the file `name`: when its progress bar first shows bytes received, and
 * when the card shows how it ended (the hash checked). Read with {@link cardTimes}.
 */
async function watchCard(page: Page, name: string): Promise<void> {
  await page.evaluate((fileName) => {
    const times = { firstAt: 0, endAt: 0 };
    (window as unknown as { cardTimes: typeof times }).cardTimes = times;
    const cards = (root: ParentNode, found: Element[]): Element[] => {
      for (const element of root.querySelectorAll('*')) {
        if (element.localName === 'file-card') found.push(element);
        if (element.shadowRoot) cards(element.shadowRoot, found);
      }
      return found;
    };
    const timer = setInterval(() => {
      for (const card of cards(document, [])) {
        const root = card.shadowRoot ?? card;
        if (root.querySelector('.name')?.textContent?.trim() !== fileName) continue;
        const bar = root.querySelector('[role="progressbar"]');
        if (times.firstAt === 0 && bar && Number(bar.getAttribute('aria-valuenow')) > 0) times.firstAt = performance.now();
        if (root.querySelector('.end')) {
          times.endAt = performance.now();
          clearInterval(timer);
        }
      }
    }, 5);
  }, name);
}

/** What {@link watchCard} saw: ms timestamps in the page (0 until seen). */
function cardTimes(page: Page): Promise<{ firstAt: number; endAt: number }> {
  return page.evaluate(() => (window as unknown as { cardTimes: { firstAt: number; endAt: number } }).cardTimes);
}

/**
 * ChatUs in Chromium: a room of three pages (Hana hosts, Ann sends, Bob receives, each its own profile); Ann attaches
 * a file of `bytes` random bytes; Bob's bytes per second from the first bytes his card shows to its verified end.
 */
async function chatusBytesPerSecond(browser: Browser, url: string, path: string, bytes: number, room: string): Promise<number> {
  const host = new ChatPage(await pageAt(browser, url));
  try {
    await host.join('Hana', { room });
    const invite = await host.inviteLink();
    const [ann, bob] = [new ChatPage(await pageAt(browser, invite)), new ChatPage(await pageAt(browser, invite))];
    await ann.join('Ann');
    await bob.join('Bob');
    await Promise.all([ann.waitUntilConnected(), bob.waitUntilConnected()]);
    const name = path.slice(path.lastIndexOf('/') + 1);
    await watchCard(bob.page, name);
    await ann.files.attachFile(path);
    const end = await bob.files.fileEnd(name, 600_000);
    if (!/verified/i.test(end)) throw new Error(`Bob's ${name} ended: ${end}`);
    const { firstAt, endAt } = await cardTimes(bob.page);
    return bytes / ((endAt - firstAt) / 1000);
  } finally {
    await Promise.all(browser.contexts().map((context) => context.close()));
  }
}

/**
 * File throughput where people are: a file relayed by a Chromium host tab between two Chromium members, beside the raw
 * two-hop chain of three Chromium pages (bare channels, a forwarder without ChatUs), `rounds` of each, taking turns.
 * Full run only: Chromium's data channels move a few MB/s tab to tab, so a file of `mib` takes seconds.
 */
export async function measureChromiumFiles(mib: number, rounds: number): Promise<Row[]> {
  const bytes = mib * MiB;
  const dir = await mkdtemp(join(tmpdir(), 'chatus-bench-chromium-files-'));
  const server = await startTestServer();
  const browser = await launchChromium();
  const chatus: number[] = [];
  const raw: number[] = [];
  try {
    const path = join(dir, `bench-${mib}mib.bin`);
    await writeFile(path, randomBytes(bytes));
    for (let round = 1; round <= rounds; round++) {
      progress(`files in Chromium: ${mib} MiB, raw chain of three pages, round ${round} of ${rounds}`);
      raw.push(await rawChainBytesPerSecond(browser, server.httpUrl, bytes));
      progress(`files in Chromium: ${mib} MiB through a Chromium host tab, round ${round} of ${rounds}`);
      chatus.push(await chatusBytesPerSecond(browser, server.httpUrl, path, bytes, `files-${round}`));
      progress(`  ${(chatus.at(-1)! / 1e6).toFixed(1)} MB/s through the host, raw chain ${(raw.at(-1)! / 1e6).toFixed(1)} MB/s`);
    }
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  const best = (values: number[]) => Math.max(...values) / 1e6;
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]! / 1e6;
  const base = { scenario: 'file throughput (Chromium)', baselineName: 'raw two-hop chain, three Chromium pages', unit: 'MB/s', better: 'higher' } as const;
  return [
    { ...base, metric: `${mib} MiB through a Chromium host tab (it keeps a copy), first byte → verified, median of ${rounds}`, chatus: median(chatus), baseline: median(raw) },
    { ...base, metric: `${mib} MiB, best of ${rounds}`, chatus: best(chatus), baseline: best(raw) },
  ];
}
