import type { Browser, Page } from 'playwright-core';
import { launchChromium, newContext } from '../test/support/browser.ts';
import { startTestServer } from '../test/support/server.ts';
import { progress, quantile, type Row } from './stats.ts';

/** Offer → open data channel between two pages with bare RTCPeerConnections, SDP passed by this process. */
async function bareSetup(a: Page, b: Page): Promise<number> {
  const start = performance.now();
  const offer = await a.evaluate(async () => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    const channel = pc.createDataChannel('bench');
    (window as unknown as { bench: unknown }).bench = { pc, open: new Promise((r) => (channel.onopen = r)) };
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((r) => (pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r()));
    return pc.localDescription!.toJSON();
  });
  const answer = await b.evaluate(async (description) => {
    const pc = new RTCPeerConnection({ iceServers: [] });
    (window as unknown as { bench: unknown }).bench = { pc };
    await pc.setRemoteDescription(description);
    await pc.setLocalDescription(await pc.createAnswer());
    if (pc.iceGatheringState !== 'complete') {
      await new Promise<void>((r) => (pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r()));
    }
    return pc.localDescription!.toJSON();
  }, offer);
  await a.evaluate(async (description) => {
    const bench = (window as unknown as { bench: { pc: RTCPeerConnection; open: Promise<void> } }).bench;
    await bench.pc.setRemoteDescription(description);
    await bench.open;
  }, answer);
  const elapsed = performance.now() - start;
  await a.evaluate(() => (window as unknown as { bench: { pc: RTCPeerConnection } }).bench.pc.close());
  await b.evaluate(() => (window as unknown as { bench: { pc: RTCPeerConnection } }).bench.pc.close());
  return elapsed;
}

/**
 * Join time in real headless Chromium: from pressing Join on an invite link to the member's data channel to the host
 * being open (the first message is deliverable to the host), `joins` times, beside bare data-channel setups between
 * two pages in the same run.
 */
export async function measureJoin(joins: number): Promise<Row[]> {
  const server = await startTestServer();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const hostContext = await newContext(browser);
    const host = await hostContext.newPage();
    await host.goto(server.httpUrl);
    await host.getByLabel('Name', { exact: true }).fill('Host');
    await host.getByRole('button', { name: 'Join' }).click();
    const invite = await host.getByRole('textbox', { name: 'Invite link' }).inputValue();

    const times: number[] = [];
    for (let i = 0; i < joins; i++) {
      if (i % 5 === 0) progress(`join: ${i} of ${joins}`);
      const context = await newContext(browser);
      const page = await context.newPage();
      await page.goto(invite);
      await page.getByLabel('Name', { exact: true }).fill(`Member${i}`);
      const start = performance.now();
      await page.getByRole('button', { name: 'Join' }).click();
      await page.getByRole('status').filter({ hasText: /^connected$/ }).waitFor({ timeout: 20_000 });
      times.push(performance.now() - start);
      await context.close();
    }

    const pair = await Promise.all([newContext(browser), newContext(browser)]);
    const [a, b] = await Promise.all(pair.map((c) => c.newPage()));
    await Promise.all([a!.goto(server.httpUrl), b!.goto(server.httpUrl)]);
    const bare: number[] = [];
    for (let i = 0; i < joins; i++) bare.push(await bareSetup(a!, b!));

    const base = { scenario: 'join time (Chromium)', baselineName: 'bare RTCPeerConnection, two pages', unit: 'ms', better: 'lower' } as const;
    return [
      { ...base, metric: `p50 over ${joins} joins`, chatus: quantile(times, 0.5), baseline: quantile(bare, 0.5) },
      { ...base, metric: `p95 over ${joins} joins`, chatus: quantile(times, 0.95), baseline: quantile(bare, 0.95) },
    ];
  } finally {
    await browser?.close();
    await server.close();
  }
}
