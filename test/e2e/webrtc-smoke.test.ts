/**
 * Canary for the browser set-up itself, independent of ChatUs: if these fail, every other e2e failure is noise.
 * It proves the launch switches (one --disable-features, host names mapped to 127.0.0.1) and that two pages open a
 * data channel over loopback with `iceServers: []` — inside the loopback-only namespace when `npm test` made one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, disabledFeatures, launchChromium, newContext } from '../support/browser.ts';

const smokePage = '<!doctype html><meta charset="utf-8"><title>WebRTC smoke</title><p>smoke</p>';

/** A test-only static server on 127.0.0.1:0 that serves the page above at every path. */
function serveSmokePage(): Promise<{ server: Server; url: string; port: number }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(smokePage);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/`, port });
    });
  });
}

/** What one side of the pair reports after gathering: its SDP (all candidates inside, no trickle). */
interface Described {
  readonly sdp: string;
}

/** Creates the offering peer and its channel in the page; resolves with the offer once gathering is complete. */
function offer(page: Page): Promise<Described> {
  return page.evaluate(async () => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    const channel = pc.createDataChannel('smoke');
    const w = window as unknown as { smoke: { pc: RTCPeerConnection; received: Promise<string>; channel: RTCDataChannel } };
    w.smoke = { pc, channel, received: new Promise((resolve) => channel.addEventListener('message', (e) => resolve(String(e.data)))) };
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    });
    return { sdp: pc.localDescription!.sdp };
  });
}

/** Creates the answering peer in the page, which answers every message `m` with `pong:m`; resolves with its answer. */
function answer(page: Page, remote: Described): Promise<Described> {
  return page.evaluate(async (sdp) => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    (window as unknown as { smoke: { pc: RTCPeerConnection } }).smoke = { pc };
    pc.addEventListener('datachannel', ({ channel }) => {
      channel.addEventListener('message', (e) => channel.send(`pong:${String(e.data)}`));
    });
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    });
    return { sdp: pc.localDescription!.sdp };
  }, remote.sdp);
}

/** The connection address of every `a=candidate` line. */
const candidateAddresses = (sdp: string): string[] =>
  sdp
    .split(/\r?\n/)
    .filter((line) => line.startsWith('a=candidate:'))
    .map((line) => line.split(' ')[4] ?? '');

const isLoopback = (address: string): boolean => address === '::1' || address.startsWith('127.');

describe('Chromium on loopback (canary for the e2e set-up)', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serveSmokePage>>;
  let launchMs = 0;

  beforeAll(async () => {
    site = await serveSmokePage();
    const started = performance.now();
    browser = await launchChromium();
    launchMs = performance.now() - started;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.server.close(resolve));
  });

  it('runs with the prescribed switches and exactly one --disable-features', async ({ annotate }) => {
    await annotate(`launch ${Math.round(launchMs)} ms`);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('chrome://version');
    const commandLine = await page.locator('#command_line').innerText();
    await context.close();
    for (const arg of chromiumArgs) expect(commandLine).toContain(arg);
    // Only the last --disable-features counts in Chromium: there must be one, and it must be ours.
    const switches = commandLine.split(/\s+/).filter((word) => word.startsWith('--disable-features='));
    expect(switches).toEqual([`--disable-features=${disabledFeatures.join(',')}`]);
  });

  it('maps every host name to 127.0.0.1 (no DNS lookups leave the machine)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://chatus-smoke.example:${site.port}/`);
    expect(await page.locator('p').innerText()).toBe('smoke');
    await context.close();
  });

  it('opens a data channel between two pages over loopback, with iceServers: []', async ({ annotate }) => {
    const [left, right] = await Promise.all([newContext(browser), newContext(browser)]);
    const [a, b] = await Promise.all([left.newPage(), right.newPage()]);
    await Promise.all([a.goto(site.url), b.goto(site.url)]);

    const started = performance.now();
    const offered = await offer(a);
    const gotOffer = performance.now();
    const answered = await answer(b, offered);
    const gotAnswer = performance.now();
    await a.evaluate((sdp) => (window as unknown as { smoke: { pc: RTCPeerConnection } }).smoke.pc.setRemoteDescription({ type: 'answer', sdp }), answered.sdp);
    await a.evaluate(() => {
      const { channel } = (window as unknown as { smoke: { channel: RTCDataChannel } }).smoke;
      return channel.readyState === 'open' ? undefined : new Promise((resolve) => channel.addEventListener('open', resolve, { once: true }));
    });
    const opened = performance.now();
    const ms = (from: number, to: number): number => Math.round(to - from);
    await annotate(
      `offer → open data channel ${ms(started, opened)} ms (offer gathered ${ms(started, gotOffer)}, ` +
        `answer gathered ${ms(gotOffer, gotAnswer)}, connected ${ms(gotAnswer, opened)})`,
    );

    // Both ways, through the channel that just opened.
    await a.evaluate(() => (window as unknown as { smoke: { channel: RTCDataChannel } }).smoke.channel.send('ping'));
    expect(await a.evaluate(() => (window as unknown as { smoke: { received: Promise<string> } }).smoke.received)).toBe('pong:ping');

    for (const sdp of [offered.sdp, answered.sdp]) {
      const addresses = candidateAddresses(sdp);
      expect(addresses.some(isLoopback), `a loopback candidate in ${JSON.stringify(addresses)}`).toBe(true);
      expect(addresses.filter((address) => address.endsWith('.local'))).toEqual([]);
      // In the namespace `npm test` makes there is nothing but lo: anything else means the isolation leaked.
      if (process.env['CHATUS_NETNS'] === '1') expect(addresses.filter((address) => !isLoopback(address))).toEqual([]);
    }
    const selected = await a.evaluate(async () => {
      const stats = await (window as unknown as { smoke: { pc: RTCPeerConnection } }).smoke.pc.getStats();
      const transport = [...stats.values()].find((s) => s.type === 'transport');
      const pair = transport ? stats.get(transport.selectedCandidatePairId) : undefined;
      return pair ? (stats.get(pair.localCandidateId)?.address as string | undefined) : undefined;
    });
    expect(selected, 'a selected candidate pair').toBeTypeOf('string');
    if (process.env['CHATUS_NETNS'] === '1') expect(isLoopback(selected!), `selected local candidate ${selected}`).toBe(true);
    await Promise.all([left.close(), right.close()]);
  });
});
