import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Browser as FirefoxBrowser, BrowserContext as FirefoxContext } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium, newContext } from '../support/browser.ts';
import { firefoxMissing, launchFirefox } from '../support/firefox.ts';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/server.ts';
import { ChatPage, type ChatPerson, type SeenLine } from './chat-page.ts';
import { FirefoxChatPage } from './firefox-chat-page.ts';

/**
 * A LAN-looking name for the test server. Both browsers send every name to 127.0.0.1 (Chromium's
 * `--host-resolver-rules`, Firefox's `network.dns.forceResolve`), and unlike 127.0.0.1 or localhost, a page at
 * `http://chat.lan.test:PORT/` is not a secure context: what a person gets at `http://192.168.1.20:8080/`.
 */
export const LAN_NAME = 'chat.lan.test';

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
  /**
   * The language pages show ChatUs in: `en` (the default, whatever `locale` says: page objects find elements by
   * their English names), kept as the Language switch keeps a choice; or `browser`, left for the page to choose from
   * the browser's languages.
   */
  readonly uiLanguage?: 'en' | 'browser';
  /**
   * Where pages open ChatUs: `lan` (the default), `http://chat.lan.test:PORT/`, not a secure context, as on a LAN;
   * or `loopback`, `http://127.0.0.1:PORT/`, a secure context. Every page is checked to be what its origin promises,
   * so a scenario cannot drift to the other kind of page unnoticed.
   */
  readonly origin?: 'lan' | 'loopback';
  /** Also launch Firefox ESR for {@link E2eFixture.firefoxPerson} (clock and locale apply to Chromium only). */
  readonly firefox?: boolean;
  /**
   * A fixed port for the server instead of a free one: for pictures that show the address, which must come out the
   * same on every run. Inside the tests' own network namespace nothing else holds it.
   */
  readonly port?: number;
  /**
   * How the server is started, read when the file's hooks run (so an earlier `beforeAll` of the file, such as one
   * that starts a Redis, can supply it); the defaults of startTestServer when absent. `port` applies on top.
   */
  readonly serverOptions?: () => TestServerOptions;
}

/**
 * One server and one Chromium (and Firefox, if asked) per test file; a fresh browser context (a separate person)
 * per `person()` call.
 */
export interface E2eFixture {
  readonly server: () => TestServer;
  /** The page people open first: `http://chat.lan.test:PORT/` or `http://127.0.0.1:PORT/`, as the origin option says. */
  readonly appUrl: () => string;
  /** The Server field as a page at {@link appUrl} fills it in: host:port. */
  readonly serverAddress: () => string;
  /** Why Firefox cannot run here (say it when skipping), or null when it can. */
  readonly firefoxMissing: string | null;
  /**
   * Opens the ChatUs page at `url` (default: {@link appUrl}) as a new person in Chromium; `initScript` runs in the
   * page before its own scripts (a test playing a modified client).
   */
  person(url?: string, initScript?: () => void): Promise<ChatPage>;
  /** Opens the ChatUs page at `url` (default: {@link appUrl}) in another tab of `person`'s browser profile. */
  anotherTab(person: ChatPage, url?: string): Promise<ChatPage>;
  /** The same in Firefox ESR; needs the `firefox` option and a Firefox (see {@link firefoxMissing}). */
  firefoxPerson(url?: string): Promise<FirefoxChatPage>;
  /**
   * The Content-Security-Policy violations the pages of this test reported, once there are at least `atLeast` (or
   * the timeout passed), and forgets them. After each test, any left make it fail: the server's CSP must never
   * block what the page itself does.
   */
  takeCspViolations(atLeast: number, timeoutMs?: number): Promise<string[]>;
}

/**
 * Runs in every page before its own scripts: each CSP violation (the `securitypolicyviolation` event) is written to
 * the console, where the fixture collects it; the browser's own console report of a violation is collected too.
 */
function reportCspViolations(): void {
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'} (${event.sourceFile}:${event.lineNumber})`);
  });
}

/** Runs in a page: adds an inline style and an inline script, both of which the server's CSP must block. */
export function breakThePolicy(): void {
  const style = document.createElement('style');
  style.textContent = 'body { background: red; }';
  document.head.append(style);
  const script = document.createElement('script');
  script.textContent = 'window.inlineRan = 1;';
  document.head.append(script);
}

/** Console lines that report a CSP violation: ours from {@link reportCspViolations}, or the browser's own. */
const cspReport = /CSP violation|Content[- ]Security[- ]Policy/i;

/** Registers the hooks of an e2e file and returns its fixture. */
export function useE2eFixture(options: E2eFixtureOptions = {}): E2eFixture {
  const clock = options.clock ?? process.env['CHATUS_E2E_CLOCK'];
  const locale = options.locale ?? process.env['CHATUS_E2E_LOCALE'];
  const origin = options.origin ?? 'lan';
  const missing = options.firefox ? firefoxMissing() : null;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let firefox: FirefoxBrowser | undefined;
  const contexts: Array<BrowserContext | FirefoxContext> = [];
  const violations: string[] = [];
  const collect = (browserName: string, text: string): void => {
    if (cspReport.test(text)) violations.push(`${browserName}: ${text}`);
  };
  const serverAddress = (): string => (origin === 'lan' ? `${LAN_NAME}:${server!.port}` : `127.0.0.1:${server!.port}`);
  const appUrl = (): string => `http://${serverAddress()}/`;

  beforeAll(async () => {
    server = await startTestServer({ ...options.serverOptions?.(), ...(options.port === undefined ? {} : { port: options.port }) });
    [browser, firefox] = await Promise.all([launchChromium(), options.firefox && !missing ? launchFirefox() : undefined]);
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    const left = violations.splice(0);
    if (left.length > 0) throw new Error(`the page reported CSP violations:\n${left.join('\n')}`);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), firefox?.close()]);
    await server?.close();
  });

  return {
    server: () => server!,
    appUrl,
    serverAddress,
    firefoxMissing: missing,
    async takeCspViolations(atLeast, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));
      while (violations.length < atLeast && Date.now() < deadline) await pause();
      // One violation comes as several reports (the event, and the browser's own console line): wait until they stop.
      for (let count = -1; count !== violations.length && Date.now() < deadline; ) {
        count = violations.length;
        await pause();
      }
      return violations.splice(0);
    },
    async person(url, initScript) {
      const context = await newContext(browser!, locale ? { locale } : {});
      contexts.push(context);
      if (clock) await context.clock.install({ time: todayAt(clock) });
      const page = await context.newPage();
      await page.addInitScript(reportCspViolations);
      if (options.uiLanguage !== 'browser') await page.addInitScript(pickEnglish);
      page.on('console', (message) => collect('Chromium', message.text()));
      if (initScript) await page.addInitScript(initScript);
      return openChatPage(page, url ?? appUrl(), origin);
    },
    anotherTab(person, url) {
      return person.page.context().newPage().then((page) => openChatPage(page, url ?? appUrl(), origin));
    },
    async firefoxPerson(url) {
      if (!firefox) throw new Error(missing ?? 'useE2eFixture({ firefox: true }) launches Firefox');
      const context = await firefox.createBrowserContext();
      contexts.push(context);
      // A window each, not a tab: Firefox runs no animation frames in background tabs and throttles their timers.
      const page = await context.newPage({ type: 'window' });
      await page.evaluateOnNewDocument(reportCspViolations);
      page.on('console', (message) => collect('Firefox', message.text()));
      // Firefox reports its own CSP refusals as page errors: they are violations, for the check after the test.
      page.on('pageerror', (error) => {
        const text = error instanceof Error ? error.message : String(error);
        if (cspReport.test(text)) collect('Firefox', text);
        else throw error;
      });
      await page.goto(url ?? appUrl());
      return checkedOrigin(new FirefoxChatPage(page), origin);
    },
  };
}

/** Runs in the page before its scripts: English, as if picked with the Language switch, unless another was picked. */
function pickEnglish(): void {
  try {
    if (localStorage.getItem('chatus.language') === null) localStorage.setItem('chatus.language', 'en');
  } catch {
    // Storage blocked (an opaque origin): the page chooses from the browser's languages.
  }
}

/** Opens ChatUs at `url` in a new Chromium page, failing the test on any page error. */
async function openChatPage(page: Page, url: string, origin: 'lan' | 'loopback'): Promise<ChatPage> {
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(url);
  return checkedOrigin(new ChatPage(page), origin);
}

/** Fails unless the page is a secure context exactly when the fixture's origin is loopback. */
async function checkedOrigin<P extends ChatPerson>(person: P, origin: 'lan' | 'loopback'): Promise<P> {
  const secure = await person.isSecureContext();
  if (secure !== (origin === 'loopback')) {
    throw new Error(`${person.browser} page at ${person.url()}: isSecureContext is ${secure}, but the fixture's origin is ${origin}`);
  }
  return person;
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
