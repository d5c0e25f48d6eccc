import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium, newContext } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ChatPage, type SeenLine } from './chat-page.ts';

/** One server and one Chromium per test file; a fresh browser context (a separate person) per `person()` call. */
export interface E2eFixture {
  readonly server: () => TestServer;
  /** Opens the ChatUs page at `url` (default: the server's root) as a new person. */
  person(url?: string): Promise<ChatPage>;
}

/** Registers the hooks of an e2e file and returns its fixture. */
export function useE2eFixture(): E2eFixture {
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
    async person(url) {
      const context = await newContext(browser!);
      contexts.push(context);
      const page = await context.newPage();
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
