import type { Browser } from 'playwright-core';
import { launchChromium, newContext } from '../test/support/browser.ts';
import { ScriptRecorder, type ScriptTraffic } from '../test/support/script-traffic.ts';
import { startTestServer } from '../test/support/server.ts';
import { progress, type Row } from './stats.ts';

/**
 * The web client's JavaScript as a real page load in headless Chromium moves it, from the browser's network events
 * (test/support/script-traffic.ts): what the join form needs before it shows, and what arrives after (the room code
 * and the cryptography, loaded once the person starts typing and waited for on Join). On the wire means compressed,
 * as the server sent it for the Accept-Encoding Chromium sent, headers included; the baseline is the same files
 * uncompressed. At 127.0.0.1 (a secure context) Chromium asks for brotli; at a plain-http LAN name it may not.
 */
export async function measurePageWeight(): Promise<Row[]> {
  const server = await startTestServer();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const rows: Row[] = [];
    for (const [where, url] of [
      ['127.0.0.1', server.httpUrl],
      ['LAN http', `http://chat.lan.test:${server.port}/`],
    ] as const) {
      progress(`page weight: loading the page at ${where}`);
      const context = await newContext(browser);
      const page = await context.newPage();
      const scripts = await ScriptRecorder.record(page);
      await page.goto(url);
      await page.getByRole('button', { name: 'Join' }).waitFor();
      const firstScreen = await scripts.take();
      await page.getByLabel('Name', { exact: true }).fill('Weigher');
      await page.getByRole('button', { name: 'Join' }).click();
      await page.getByRole('textbox', { name: 'Invite link' }).waitFor({ timeout: 20_000 });
      const afterJoin = await scripts.take();
      await context.close();
      rows.push(row(`first screen JS on the wire, ${where} (${codings(firstScreen)})`, firstScreen));
      rows.push(row(`JS after Join on the wire, ${where} (${codings(afterJoin)})`, afterJoin));
    }
    return rows;
  } finally {
    await browser?.close();
    await server.close();
  }
}

function row(metric: string, traffic: ScriptTraffic): Row {
  return { scenario: 'web client weight', metric, chatus: traffic.wire / 1024, baseline: traffic.body / 1024, baselineName: 'same JS uncompressed', unit: 'KiB', better: 'lower' };
}

/** The Content-Encodings the files came in, such as `br` or `gzip`. */
function codings(traffic: ScriptTraffic): string {
  return [...new Set(traffic.files.map((file) => file.encoding))].join(', ') || 'none';
}
