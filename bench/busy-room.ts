import type { Browser, CDPSession, Page } from 'playwright-core';
import { LINK_FRAME_BURST, LINK_FRAMES_PER_SECOND } from '../shared/limits.ts';
import { TIMELINE_CAPACITY } from '../shared/timeline.ts';
import { launchChromium, newContext } from '../test/support/browser.ts';
import { startTestServer } from '../test/support/server.ts';
import { progress, quantile, type Row } from './stats.ts';

/** Messages each way before anything is measured. */
const WARM_UP_MESSAGES = 5;

/**
 * What one message costs a Chromium tab's main thread with a nearly empty log (a few warm-up lines) and with one at
 * its cap (TIMELINE_CAPACITY lines): two rooms of two real pages each, a host and a member, driven through the pages'
 * own message box; one room's logs are filled to the cap. The cost is the CPU time of the tab's main thread (the
 * DevTools protocol's `ThreadTime`: script, style, layout, paint and the network's callbacks) for one message, until
 * it shows in the receiver's log and, in the sender's, as delivered: the median over `rounds` messages each way in
 * each room. The rooms take turns, message by message, so whatever else the machine does weighs on both alike; CPU
 * time, not the tasks' wall time (`TaskDuration`), which on a busy machine mostly measures waiting for a core. A log
 * that does not slow the tabs down shows a ratio near 1.
 */
export async function measureBusyRoom(rounds: number): Promise<Row[]> {
  const server = await startTestServer();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const quiet = await Room.open(browser, server.httpUrl);
    const busy = await Room.open(browser, server.httpUrl);
    // Not measured: the first messages also pay for compiling the code and the signature tables' set-up.
    for (const room of [quiet, busy]) for (let i = 0; i < WARM_UP_MESSAGES; i++) await room.exchange(`warm-up ${i}`);
    progress(`busy room: filling one room's logs to ${TIMELINE_CAPACITY} lines`);
    await busy.fill();
    // As before: the filling's garbage and catching up are not the next messages' cost.
    for (let i = 0; i < WARM_UP_MESSAGES; i++) await busy.exchange(`settle ${i}`);
    const quietLines = await quiet.member.lineCount();
    progress(`busy room: ${rounds} messages each way in a room with ${quietLines} lines and in one with ${TIMELINE_CAPACITY}`);
    const quietCosts: Costs[] = [];
    const busyCosts: Costs[] = [];
    for (let i = 0; i < rounds; i++) {
      quietCosts.push(await quiet.exchange(`round ${i}`));
      busyCosts.push(await busy.exchange(`round ${i}`));
    }
    const median = (costs: readonly Costs[], pick: (c: Costs) => number): number => quantile(costs.map(pick), 0.5);
    const row = (metric: string, pick: (c: Costs) => number): Row => ({
      scenario: 'busy room (Chromium)',
      metric: `${metric}, log of ${TIMELINE_CAPACITY} lines`,
      chatus: median(busyCosts, pick),
      baseline: median(quietCosts, pick),
      baselineName: `same, log of ${quietLines} lines`,
      unit: 'ms',
      better: 'lower',
    });
    return [
      row('sender (a member) main-thread CPU per message', (c) => c.sender),
      row('host main-thread CPU per message it relays', (c) => c.host),
      row('member main-thread CPU per message it receives', (c) => c.receiver),
    ];
  } finally {
    await browser?.close();
    await server.close();
  }
}

/** Main-thread CPU milliseconds of one message: a member sending, the host relaying it, a member receiving the host's. */
interface Costs {
  readonly sender: number;
  readonly host: number;
  readonly receiver: number;
}

/** A room of two pages: its host, and a member who joined by the invite link. */
class Room {
  private constructor(
    readonly host: Tab,
    readonly member: Tab,
  ) {}

  static async open(browser: Browser, url: string): Promise<Room> {
    const host = await Tab.open(browser, url, 'Host');
    const member = await Tab.open(browser, await host.inviteLink(), 'Member');
    await Promise.all([host.waitUntilLinked(), member.waitUntilLinked()]);
    return new Room(host, member);
  }

  /** The member sends a message, then the host does; what each cost whom. */
  async exchange(label: string): Promise<Costs> {
    const { host, member } = this;
    const [memberStart, hostStart] = await Promise.all([member.cpuMs(), host.cpuMs()]);
    await Promise.all([member.send(`${label} from the member`), host.whenShown(`${label} from the member`)]);
    const [memberSent, hostRelayed] = await Promise.all([member.cpuMs(), host.cpuMs()]);
    await Promise.all([host.send(`${label} from the host`), member.whenShown(`${label} from the host`)]);
    const memberReceived = await member.cpuMs();
    return { sender: memberSent - memberStart, host: hostRelayed - hostStart, receiver: memberReceived - memberSent };
  }

  /**
   * Fills both logs to their cap: each side writes lines in bursts that stay within the other side's frame budget for
   * its link (LINK_FRAME_BURST, then LINK_FRAMES_PER_SECOND), so no frame is dropped.
   */
  async fill(): Promise<void> {
    const { host, member } = this;
    // 90 % of the budget: the rest is left for pings and acknowledgements on the same links.
    const burst = Math.floor(LINK_FRAME_BURST * 0.9);
    const perTick = Math.floor((LINK_FRAMES_PER_SECOND * 0.9) / 4);
    const each = Math.ceil(TIMELINE_CAPACITY / 2);
    let written = 0;
    while (written < each) {
      const count = Math.min(each - written, written === 0 ? burst : perTick);
      await Promise.all([host.write('host line', written, count), member.write('member line', written, count)]);
      written += count;
      if (written < each) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Each side's newest line, once the other side shows it, says everything before it arrived (links are ordered).
    await host.send('host filled');
    await member.whenShown('host filled');
    await member.send('member filled');
    await host.whenShown('member filled');
    const lines = await Promise.all([host.lineCount(), member.lineCount()]);
    if (lines.some((count) => count < TIMELINE_CAPACITY)) throw new Error(`busy room: logs hold ${lines.join(' and ')} lines, not ${TIMELINE_CAPACITY}`);
  }
}

/** What the bench reaches in a ChatUs page, installed on `window` (see {@link installHooks}). */
interface BenchHooks {
  say(text: string): void;
  write(prefix: string, from: number, count: number): void;
  whenShown(text: string, delivered: boolean): Promise<void>;
  lineCount(): number;
}

/**
 * In the page: sends through the message box (as Enter does) and waits on the log's DOM with a MutationObserver,
 * reading only its newest lines, so the waiting costs the same whatever the log holds. Methods only, no inner
 * function constants: tsx names those with a helper that does not exist in the page.
 */
function installHooks(): void {
  const hooks = {
    part(root: Element | null | undefined, selector: string): Element | null {
      return root?.shadowRoot?.querySelector(selector) ?? null;
    },
    room(): Element | null {
      return hooks.part(document.querySelector('chat-app'), 'room-view');
    },
    log(): (Element & { entries?: readonly unknown[] }) | null {
      return hooks.part(hooks.room(), 'chat-log');
    },
    /** The line before `line`, across the log's blocks of lines; the newest line without one. */
    before(line: Element | null): Element | null {
      if (line === null) return hooks.log()?.shadowRoot?.querySelector('[role="list"]')?.lastElementChild?.lastElementChild ?? null;
      return line.previousElementSibling ?? line.parentElement?.previousElementSibling?.lastElementChild ?? null;
    },
    shown(text: string, delivered: boolean): boolean {
      let line = hooks.before(null);
      for (let i = 0; line && i < 8; i++, line = hooks.before(line)) {
        if (line.querySelector('.text')?.textContent !== text) continue;
        return !delivered || line.querySelector('.status')?.textContent === 'delivered';
      }
      return false;
    },
    say(text: string): void {
      const composer = hooks.part(hooks.room(), 'message-composer');
      const input = composer?.shadowRoot?.querySelector('input');
      const form = composer?.shadowRoot?.querySelector('form');
      if (!input || !form) throw new Error('no message box');
      input.value = text;
      form.requestSubmit();
    },
    write(prefix: string, from: number, count: number): void {
      for (let i = from; i < from + count; i++) hooks.say(`${prefix} ${i}`);
    },
    whenShown(text: string, delivered: boolean): Promise<void> {
      return new Promise((resolve) => {
        const root = hooks.log()?.shadowRoot;
        if (!root) throw new Error('no log');
        if (hooks.shown(text, delivered)) return resolve();
        const observer = new MutationObserver(() => {
          if (!hooks.shown(text, delivered)) return;
          observer.disconnect();
          resolve();
        });
        observer.observe(root, { childList: true, subtree: true, characterData: true });
      });
    },
    lineCount(): number {
      return hooks.log()?.entries?.length ?? 0;
    },
  };
  (window as unknown as { chatusBench: BenchHooks }).chatusBench = hooks;
}

/** One ChatUs page in its own browser context (a separate person), with its DevTools session for the metrics. */
class Tab {
  private constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async open(browser: Browser, url: string, name: string): Promise<Tab> {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('textbox', { name: 'Invite link' }).waitFor({ timeout: 20_000 });
    await page.evaluate(installHooks);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    return new Tab(page, cdp);
  }

  inviteLink(): Promise<string> {
    return this.page.getByRole('textbox', { name: 'Invite link' }).inputValue();
  }

  async waitUntilLinked(): Promise<void> {
    await this.page.getByRole('status').filter({ hasText: /^connected( · you host this room)?$/ }).waitFor({ timeout: 20_000 });
  }

  /** CPU time of the page's main thread so far, in milliseconds. */
  async cpuMs(): Promise<number> {
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    const time = metrics.find((metric) => metric.name === 'ThreadTime');
    if (!time) throw new Error('Chromium reported no ThreadTime');
    return time.value * 1000;
  }

  /** Sends one message and waits until this page shows it as delivered. */
  async send(text: string): Promise<void> {
    await this.page.evaluate((t) => (window as unknown as { chatusBench: BenchHooks }).chatusBench.say(t), text);
    await this.whenShown(text, true);
  }

  /** Writes `count` lines `prefix N` at once, N from `from`. */
  async write(prefix: string, from: number, count: number): Promise<void> {
    await this.page.evaluate(([p, f, c]) => (window as unknown as { chatusBench: BenchHooks }).chatusBench.write(p, f, c), [prefix, from, count] as const);
  }

  /** Waits until one of the log's newest lines reads `text` (and, if asked, is marked delivered). */
  async whenShown(text: string, delivered = false): Promise<void> {
    await this.page.evaluate(([t, d]) => (window as unknown as { chatusBench: BenchHooks }).chatusBench.whenShown(t, d), [text, delivered] as const);
  }

  lineCount(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { chatusBench: BenchHooks }).chatusBench.lineCount());
  }
}
