import type { ElementHandle, Page } from 'puppeteer-core';
import { PersonBase, type ChatPerson, type SeenLine } from './chat-page.ts';

/** Puppeteer's deep selectors (`>>>` crosses shadow roots) for the parts of the page a person uses. */
const at = {
  name: '>>> join-form >>> #name',
  room: '>>> join-form >>> #room',
  server: '>>> join-form >>> #server',
  joinButton: '>>> join-form >>> button[type=submit]',
  invite: '>>> invite-link >>> #invite',
  copy: '>>> invite-link >>> button',
  copyFeedback: '>>> invite-link >>> [role=status]',
  leave: '>>> room-view >>> header button.leave',
  message: '>>> message-composer >>> #message',
  send: '>>> message-composer >>> button[type=submit]',
  status: '>>> room-view >>> [role=status]',
  people: '>>> people-list >>> ul > li',
  person: (n: number) => `>>> people-list >>> ul > li:nth-child(${n})`,
  chatLines: '>>> chat-log >>> [role=listitem][data-from-name]',
  attach: '>>> room-view >>> #attach',
  logLine: '>>> chat-log >>> :is([role=listitem].system, [role=listitem][data-from-name] .text)',
} as const;

/**
 * The ChatUs page in Firefox ESR, driven by puppeteer-core over WebDriver BiDi. Puppeteer's ARIA queries do not reach
 * into shadow roots there, so this page object finds the same controls as {@link ChatPage} by deep CSS selectors.
 * Every wait is one of puppeteer's condition waits.
 */
export class FirefoxChatPage extends PersonBase<Page> implements ChatPerson {
  readonly browser = 'firefox';

  async join(name: string, options: { room?: string; server?: string } = {}): Promise<void> {
    await this.page.locator(at.name).fill(name);
    if (options.room !== undefined) await this.page.locator(at.room).fill(options.room);
    if (options.server !== undefined) await this.page.locator(at.server).fill(options.server);
    await this.page.locator(at.joinButton).click();
  }

  async inviteLink(): Promise<string> {
    // A locator would wait on DOM mutations, which it does not see inside shadow roots: the room, shown once the
    // join completes (after the profile's keys are loaded), would never be noticed.
    await this.#appears(at.invite, 15_000);
    return this.page.$eval(at.invite, (input) => (input as HTMLInputElement).value);
  }

  async copyInvite(): Promise<string> {
    const feedback = await this.page.locator(at.copyFeedback).waitHandle();
    const before = await feedback.evaluate((element) => element.textContent ?? '');
    await this.page.locator(at.copy).click();
    await this.page.waitForFunction((element, old) => (element.textContent ?? '') !== old, { polling: 50 }, feedback, before);
    return feedback.evaluate((element) => element.textContent?.trim() ?? '');
  }

  async paste(): Promise<string> {
    const box = this.page.locator(at.message);
    await box.fill('');
    await box.click();
    await this.page.keyboard.down('Control');
    await this.page.keyboard.press('v');
    await this.page.keyboard.up('Control');
    return this.page.$eval(at.message, (input) => (input as HTMLInputElement).value);
  }

  async say(text: string): Promise<void> {
    await this.page.locator(at.message).fill(text);
    await this.page.locator(at.send).click();
  }

  async leave(): Promise<void> {
    await this.page.locator(at.leave).click();
  }

  chatLines(): Promise<SeenLine[]> {
    return this.page.$$eval(at.chatLines, (items) =>
      items.map((item) => ({ name: item.getAttribute('data-from-name') ?? '', text: item.querySelector('.text')?.textContent ?? '' })),
    );
  }

  async waitForChatLines(count: number, timeoutMs = 20_000): Promise<SeenLine[]> {
    try {
      // The log keeps its lines in blocks, so no CSS selector names "the count-th chat line": count them in the page.
      await this.page.waitForFunction(
        (wanted) => {
          const room = document.querySelector('chat-app')?.shadowRoot?.querySelector('room-view')?.shadowRoot;
          const log = room?.querySelector('chat-log')?.shadowRoot;
          return (log?.querySelectorAll('[role=listitem][data-from-name]').length ?? 0) >= wanted;
        },
        { polling: 'raf', timeout: timeoutMs },
        count,
      );
    } catch (error) {
      const seen = await this.chatLines();
      throw new Error(`Firefox saw ${seen.length} of ${count} chat lines: ${JSON.stringify(seen.map((l) => `${l.name}: ${l.text}`))}`, { cause: error });
    }
    return this.chatLines();
  }

  async waitForPeople(count: number, timeoutMs = 15_000): Promise<string[]> {
    // The last wanted entry present and the one after it absent, re-checked in case the list changed in between.
    const deadline = Date.now() + timeoutMs;
    const left = (): number => Math.max(1, deadline - Date.now());
    const people = (): Promise<string[]> => this.page.$$eval(at.people, (items) => items.map((item) => item.textContent?.replace(/\s+/g, ' ').trim() ?? ''));
    try {
      for (;;) {
        if (count > 0) await this.#appears(at.person(count), left());
        await this.page.waitForSelector(at.person(count + 1), { hidden: true, timeout: left() });
        const seen = await people();
        if (seen.length === count) return seen;
      }
    } catch (error) {
      throw new Error(`timed out waiting for a People list of ${count} in Firefox; saw ${JSON.stringify(await people())}`, { cause: error });
    }
  }

  async waitUntilConnected(timeoutMs = 15_000): Promise<void> {
    // "connected" or "connected · you host this room"; neither "connecting…" nor "reconnecting…" contains it.
    await this.#appears(`${at.status}::-p-text(connected)`, timeoutMs);
  }

  /** Waits for a line of the log containing `text` (puppeteer's text selector matches substrings). */
  async waitForText(text: string, timeoutMs = 15_000): Promise<void> {
    await this.#appears(`${at.logLine}::-p-text(${JSON.stringify(text)})`, timeoutMs);
  }

  async waitForJoinForm(): Promise<void> {
    await this.#appears(at.joinButton, 15_000);
  }

  isSecureContext(): Promise<boolean> {
    return this.page.evaluate(() => window.isSecureContext);
  }

  /** Picks the file at `path` with Attach file (puppeteer sets the input's files, as the file dialog would). */
  async attachFile(path: string): Promise<void> {
    const input = await this.page.waitForSelector(at.attach, { timeout: 15_000 });
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(path);
  }

  /**
   * The bytes of the received file `name` that its Download link offers (the card's verified Blob, read inside the
   * page: the page's CSP lets nothing fetch a blob: URL), once the page offers it.
   */
  async downloadedBytes(name: string, timeoutMs = 60_000): Promise<Buffer> {
    const found = (await this.page.waitForFunction(
      (fileName: string) => {
        const cards: Element[] = [];
        const walk = (root: ParentNode) => {
          for (const element of root.querySelectorAll('*')) {
            if (element.localName === 'file-card') cards.push(element);
            if (element.shadowRoot) walk(element.shadowRoot);
          }
        };
        walk(document);
        const card = cards.find((element) => element.shadowRoot?.querySelector('.name')?.textContent === fileName);
        return card?.shadowRoot?.querySelector('a[download]') ? card : false;
      },
      { timeout: timeoutMs, polling: 100 },
      name,
    )) as ElementHandle<Element>;
    const base64 = await found.evaluate(async (card: Element) => {
      const blob = (card as unknown as { view: { blob: Blob } }).view.blob;
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    });
    return Buffer.from(base64, 'base64');
  }

  /**
   * Waits until `selector` matches a visible element. `visible` also makes puppeteer re-check on every animation
   * frame: by default it re-checks these selectors on DOM mutations, and its MutationObserver does not see changes
   * inside shadow roots, so a wait for something that appears later never ends.
   */
  async #appears(selector: string, timeoutMs: number): Promise<void> {
    await this.page.waitForSelector(selector, { visible: true, timeout: timeoutMs });
  }
}
