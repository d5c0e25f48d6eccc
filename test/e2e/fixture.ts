import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium, newContext } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ChatPage, type SeenLine } from './chat-page.ts';

/**
 * How the pages' clocks and language are set. By default the environment decides: `CHATUS_E2E_CLOCK` (a local time
 * such as `10:00` or `23:59`) starts every page's wall clock there, flowing normally, and `CHATUS_E2E_LOCALE` sets
 * the browser's language; unset, pages use the machine's clock and Chromium's default locale. Tests must pass at any
 * time of day and in any locale: run the suite with `CHATUS_E2E_CLOCK=10:00` and `=23:59` to check.
 */
export interface E2eFixtureOptions {
  /** Local wall-clock time (`HH:MM`) every page starts at. */
  readonly clock?: string | undefined;
  /** BCP 47 locale of every page. */
  readonly locale?: string | undefined;
}

/** One server and one Chromium per test file; a fresh browser context (a separate person) per `person()` call. */
export interface E2eFixture {
  readonly server: () => TestServer;
  /**
   * Opens the ChatUs page at `url` (default: the server's root) as a new person; `initScript` runs in the page before
   * its own scripts (a test playing a modified client).
   */
  person(url?: string, initScript?: () => void): Promise<ChatPage>;
}

/** Registers the hooks of an e2e file and returns its fixture. */
export function useE2eFixture(options: E2eFixtureOptions = {}): E2eFixture {
  const clock = options.clock ?? process.env['CHATUS_E2E_CLOCK'];
  const locale = options.locale ?? process.env['CHATUS_E2E_LOCALE'];
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  return {
    server: () => server!,
    async person(url, initScript) {
      const context = await newContext(browser!, locale ? { locale } : {});
      contexts.push(context);
      if (clock) await context.clock.install({ time: todayAt(clock) });
      const page = await context.newPage();
      if (initScript) await page.addInitScript(initScript);
      page.on('pageerror', (error) => {
        throw error;
      });
      await page.goto(url ?? server!.httpUrl);
      return new ChatPage(page);
    },
  };
}

/** The texts one sender's lines carry, in log order. */
export const textsOf = (lines: readonly SeenLine[], name: string): string[] =>
  lines.filter((line) => line.name === name).map((line) => line.text);

/** Today at the local time `HH:MM`. */
function todayAt(clock: string): Date {
  const match = /^(\d{1,2}):(\d{2})$/.exec(clock);
  if (!match) throw new Error(`clock must be HH:MM, got ${JSON.stringify(clock)}`);
  const time = new Date();
  time.setHours(Number(match[1]), Number(match[2]), 0, 0);
  return time;
}
