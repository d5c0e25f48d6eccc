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

  get joinButton(): Locator {
    return this.page.getByRole('button', { name: 'Join' });
  }

  get messageBox(): Locator {
    return this.page.getByRole('textbox', { name: 'Message' });
  }

  get people(): Locator {
    return this.page.getByRole('list', { name: 'People' }).getByRole('listitem');
  }

  get log(): Locator {
    return this.page.getByRole('log');
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

  /** Types a message and presses Send. */
  async say(text: string): Promise<void> {
    await this.messageBox.fill(text);
    await this.page.getByRole('button', { name: 'Send' }).click();
  }

  /** The chat lines in the log, in order. */
  async chatLines(): Promise<SeenLine[]> {
    return this.log.locator('li[data-from-name]').evaluateAll((items) =>
      items.map((item) => ({
        name: item.getAttribute('data-from-name') ?? '',
        text: item.querySelector('.text')?.textContent ?? '',
      })),
    );
  }

  /** Waits until the log holds at least `count` chat lines. */
  async waitForChatLines(count: number, timeoutMs = 20_000): Promise<SeenLine[]> {
    try {
      await this.log.locator('li[data-from-name]').nth(count - 1).waitFor({ timeout: timeoutMs });
    } catch (error) {
      const seen = await this.chatLines();
      const status = [...(await this.page.getByRole('status').allInnerTexts()), ...(await this.people.allInnerTexts()), this.page.url()];
      throw new Error(`saw ${seen.length} of ${count} chat lines (status ${JSON.stringify(status)}): ${JSON.stringify(seen.map((l) => `${l.name}: ${l.text}`))}`, { cause: error });
    }
    return this.chatLines();
  }

  /** Waits until the People list has exactly `count` entries; returns their texts. */
  async waitForPeople(count: number, timeoutMs = 15_000): Promise<string[]> {
    await poll(async () => (await this.people.count()) === count, timeoutMs, `People list of ${count}`);
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

/** Re-checks `condition` every 50 ms until it holds; fails after `timeoutMs` naming what was awaited. */
export async function poll(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
