import type { Browser } from 'playwright-core';
import { ChatPage } from '../test/e2e/chat-page.ts';
import { launchChromium, newContext } from '../test/support/browser.ts';
import { startTestServer } from '../test/support/server.ts';
import { progress, quantile, type Row } from './stats.ts';

/** A person in their own browser context (their own profile), on the ChatUs page at `url`. */
async function person(browser: Browser, url: string): Promise<ChatPage> {
  const context = await newContext(browser);
  return new ChatPage(await context.newPage());
}

/**
 * One round in a room of four Chromium pages: the host's tab is closed, and the time from then until a line B sends
 * (through the page, at once) shows in A's and C's logs, through the next host. What people get: every peer is a
 * browser.
 */
async function round(browser: Browser, index: number): Promise<number> {
  const server = await startTestServer();
  try {
    const host = await person(browser, server.httpUrl);
    await host.page.goto(server.httpUrl);
    await host.join('Host', { room: `close-${index}` });
    const invite = await host.inviteLink();
    const members: ChatPage[] = [];
    for (const name of ['A', 'B', 'C']) {
      const member = await person(browser, invite);
      await member.page.goto(invite);
      await member.join(name);
      await member.waitUntilConnected();
      members.push(member);
    }
    const [a, b, c] = members as [ChatPage, ChatPage, ChatPage];
    const line = `after close ${index}`;
    const since = Date.now();
    await host.page.context().close();
    await b.say(line);
    await Promise.all([a.waitForText(line, 30_000), c.waitForText(line, 30_000)]);
    return Date.now() - since;
  } finally {
    await Promise.all(browser.contexts().map((context) => context.close()));
    await server.close();
  }
}

/**
 * Recovery after a clean close with browsers on every side (a host tab closed; three Chromium members, one of which
 * becomes the host): p50 and max over `rounds`, beside the 1 s goal. The Node rows in bench/recovery.ts carry
 * libdatachannel's 1 s DTLS retransmit now and then; Chromium's stack does not have that race.
 */
export async function measureBrowserCleanClose(rounds: number): Promise<Row[]> {
  const browser = await launchChromium();
  const times: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      progress(`recovery: Chromium host tab closed, round ${i + 1} of ${rounds}`);
      times.push(await round(browser, i));
    }
  } finally {
    await browser.close();
  }
  progress(`  ${times.join(', ')} ms`);
  const stats = { p50: quantile(times, 0.5), max: Math.max(...times) };
  return (['p50', 'max'] as const).map((stat) => ({
    scenario: 'recovery (chat flows again)',
    metric: `${stat} of ${rounds}: Chromium host tab closed, Chromium members`,
    chatus: stats[stat],
    baseline: 1000,
    baselineName: 'goal (issue 12): clean close < 1 s',
    unit: 'ms',
    better: 'lower',
  }));
}
