import type { Locator, Page } from 'playwright-core';

/** One chat line as a person sees it. */
export interface SeenLine {
  readonly name: string;
  readonly text: string;
}

/**
 * The ChatUs page as a person uses it, through accessible names only: the join form, the room, the log and the
 * People list. Every wait is on a condition, never a sleep.
 */
export class ChatPage {
  constructor(readonly page: Page) {}

  /** The join form's submit button; visible exactly while the join form is shown. */
  get joinButton(): Locator {
    return this.page.getByRole('button', { name: 'Join' });
  }

  /** The room's message input. */
  get messageBox(): Locator {
    return this.page.getByRole('textbox', { name: 'Message' });
  }

  /** The entries of the People list (the host's carries the word "host"). */
  get people(): Locator {
    return this.page.getByRole('list', { name: 'People' }).getByRole('listitem');
  }

  /** The message list (role="log"): chat lines and system lines. */
  get log(): Locator {
    return this.page.getByRole('log');
  }

  /** The chat lines of the log (system lines have no sender). */
  get chatItems(): Locator {
    return this.log.getByRole('listitem').and(this.page.locator('[data-from-name]'));
  }

  /**
   * The one chat line whose text is exactly `text`. An exact match on the text alone: a substring match on the whole
   * line would also hit its time ("ann 1" is in "Ann 10:07 AM ann 2").
   */
  chatItem(text: string): Locator {
    return this.chatItems.filter({ has: this.page.locator('.text').getByText(text, { exact: true }) });
  }

  /** Fills the join form (leaving prefilled fields as they are unless given) and presses Join. */
  async join(name: string, options: { room?: string; server?: string } = {}): Promise<void> {
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    if (options.room !== undefined) await this.page.getByLabel('Room', { exact: true }).fill(options.room);
    if (options.server !== undefined) await this.page.getByLabel('Server', { exact: true }).fill(options.server);
    await this.joinButton.click();
  }

  /** Waits until the room is shown and returns the invite link. */
  async inviteLink(): Promise<string> {
    const field = this.page.getByRole('textbox', { name: 'Invite link' });
    await field.waitFor();
    return field.inputValue();
  }

  /** Presses Leave in the room header. */
  async leave(): Promise<void> {
    await this.page.getByRole('button', { name: 'Leave' }).click();
  }

  /** Types a message and presses Send. */
  async say(text: string): Promise<void> {
    await this.messageBox.fill(text);
    await this.page.getByRole('button', { name: 'Send' }).click();
  }

  /** The chat lines in the log, in order. */
  async chatLines(): Promise<SeenLine[]> {
    return this.chatItems.evaluateAll((items) =>
      items.map((item) => ({
        name: item.getAttribute('data-from-name') ?? '',
        text: item.querySelector('.text')?.textContent ?? '',
      })),
    );
  }

  /** Waits until the log holds at least `count` chat lines. */
  async waitForChatLines(count: number, timeoutMs = 20_000): Promise<SeenLine[]> {
    try {
      await this.chatItems.nth(count - 1).waitFor({ timeout: timeoutMs });
    } catch (error) {
      const seen = await this.chatLines();
      const status = [...(await this.page.getByRole('status').allInnerTexts()), ...(await this.people.allInnerTexts()), this.page.url()];
      throw new Error(`saw ${seen.length} of ${count} chat lines (status ${JSON.stringify(status)}): ${JSON.stringify(seen.map((l) => `${l.name}: ${l.text}`))}`, { cause: error });
    }
    return this.chatLines();
  }

  /** Waits until the People list has exactly `count` entries; returns their texts. */
  async waitForPeople(count: number, timeoutMs = 15_000): Promise<string[]> {
    await waitForCount(this.people, count, timeoutMs, `a People list of ${count}`);
    return this.people.allInnerTexts();
  }

  /** Waits until the header says the page is linked (to the host, or hosting). */
  async waitUntilConnected(timeoutMs = 15_000): Promise<void> {
    await this.page.getByRole('status').filter({ hasText: /^connected/ }).waitFor({ timeout: timeoutMs });
  }

  /** Waits for a line of the log containing `text`. */
  async waitForText(text: string, timeoutMs = 15_000): Promise<void> {
    await this.log.getByText(text, { exact: true }).first().waitFor({ timeout: timeoutMs });
  }
}

/**
 * Waits until `locator` matches exactly `count` elements. Built on Playwright's own condition waits (the last wanted
 * element attached, the one after it absent), re-checked in case the list changed between the two.
 */
export async function waitForCount(locator: Locator, count: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const left = (): number => Math.max(1, deadline - Date.now());
  try {
    for (;;) {
      if (count > 0) await locator.nth(count - 1).waitFor({ state: 'attached', timeout: left() });
      await locator.nth(count).waitFor({ state: 'detached', timeout: left() });
      if ((await locator.count()) === count) return;
    }
  } catch (error) {
    const seen = await locator.allInnerTexts().catch(() => []);
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw ${JSON.stringify(seen)}`, { cause: error });
  }
}
