import type { Locator, Page } from 'playwright-core';
import { FileLines } from './file-lines.ts';

/** How People shows a person's key. */
export type KeyShown = 'verified' | 'changed' | 'unverified';

/** One chat line as a person sees it. */
export interface SeenLine {
  readonly name: string;
  readonly text: string;
}

/**
 * What a scenario does with a ChatUs page, whichever browser shows it: Chromium through playwright-core
 * ({@link ChatPage}) or Firefox through puppeteer-core (`FirefoxChatPage`). Every wait is on a condition.
 */
export interface ChatPerson {
  /** Which browser shows the page. */
  readonly browser: 'chromium' | 'firefox';
  /** Fills the join form (leaving prefilled fields as they are unless given) and presses Join. */
  join(name: string, options?: { room?: string; server?: string }): Promise<void>;
  /** Waits until the room is shown and returns the invite link. */
  inviteLink(): Promise<string>;
  /**
   * Presses "Copy invite link"; returns what the page then says about it, once that differs from what it said
   * before (so it cannot be the previous press's answer).
   */
  copyInvite(): Promise<string>;
  /** Empties the message box, pastes into it with Ctrl+V and returns what arrived: what the clipboard holds. */
  paste(): Promise<string>;
  /** Types a message and presses Send. */
  say(text: string): Promise<void>;
  /** Presses Leave in the room header. */
  leave(): Promise<void>;
  /** The chat lines in the log, in order. */
  chatLines(): Promise<SeenLine[]>;
  /** Waits until the log holds at least `count` chat lines; returns them all. */
  waitForChatLines(count: number, timeoutMs?: number): Promise<SeenLine[]>;
  /** Waits until the People list has exactly `count` entries; returns their texts. */
  waitForPeople(count: number, timeoutMs?: number): Promise<string[]>;
  /** Waits until the header says the page is linked (to the host, or hosting). */
  waitUntilConnected(timeoutMs?: number): Promise<void>;
  /** Waits for a line of the log whose text is exactly `text`. */
  waitForText(text: string, timeoutMs?: number): Promise<void>;
  /** Waits until the join form is shown. */
  waitForJoinForm(): Promise<void>;
  /** Reloads the page, as a person pressing F5. */
  reload(): Promise<void>;
  /** Closes the tab. */
  close(): Promise<void>;
  /** The address bar. */
  url(): string;
  /** The page's `isSecureContext`. */
  isSecureContext(): Promise<boolean>;
}

/** What a Playwright page and a puppeteer page offer alike, and a scenario needs as is. */
interface DriverPage {
  reload(): Promise<unknown>;
  close(): Promise<void>;
  url(): string;
}

/** The parts of a {@link ChatPerson} that are the same in both drivers. */
export abstract class PersonBase<P extends DriverPage> {
  constructor(readonly page: P) {}

  async reload(): Promise<void> {
    await this.page.reload();
  }

  close(): Promise<void> {
    return this.page.close();
  }

  url(): string {
    return this.page.url();
  }
}

/**
 * The ChatUs page in Chromium as a person uses it, through accessible names only: the join form, the room, the log
 * and the People list. Every wait is on a condition, never a sleep.
 */
export class ChatPage extends PersonBase<Page> implements ChatPerson {
  readonly browser = 'chromium';
  /** The files in the log, and Attach file. */
  readonly files = new FileLines(this.page);

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

  /** The People entry of the person named exactly `name`. */
  person(name: string): Locator {
    return this.people.filter({ has: this.page.locator('.name').getByText(name, { exact: true }) });
  }

  /** The open safety-number panel for `name`. */
  safetyPanel(name: string): Locator {
    return this.page.getByRole('region', { name: `Safety number with ${name}`, exact: true });
  }

  /** Opens the safety number with `name` (unless open) and returns its groups of digits as shown. */
  async safetyNumberWith(name: string): Promise<string[]> {
    return this.#disclosed(this.page.getByRole('button', { name: `Safety number with ${name}`, exact: true }), this.safetyPanel(name));
  }

  /** Opens "Your key" (unless open) and returns one's own half of every safety number, as groups of digits. */
  async ownKeyHalf(): Promise<string[]> {
    return this.#disclosed(this.page.getByRole('button', { name: 'Your key' }), this.page.getByRole('region', { name: 'Your key' }));
  }

  /** Presses Verify in the safety-number panel of `name` (opening it) and waits for People to show the mark. */
  async verify(name: string): Promise<void> {
    await this.safetyNumberWith(name);
    await this.safetyPanel(name).getByRole('button', { name: 'Verify', exact: true }).click();
    await this.waitForKeyStatus(name, 'verified');
  }

  /** Presses Unverify in the safety-number panel of `name` (opening it) and waits for the mark to go. */
  async unverify(name: string): Promise<void> {
    await this.safetyNumberWith(name);
    await this.safetyPanel(name).getByRole('button', { name: 'Unverify', exact: true }).click();
    await this.waitForKeyStatus(name, 'unverified');
  }

  /** How People shows `name`'s key now: verified (the check mark), changed (the warning) or neither. */
  async keyStatusOf(name: string): Promise<KeyShown> {
    const row = this.person(name);
    await row.waitFor();
    if ((await row.getByRole('note').count()) > 0) return 'changed';
    return (await row.getByText(/^✓ verified$/).count()) > 0 ? 'verified' : 'unverified';
  }

  /** Waits until People shows `name`'s key as `status`. */
  async waitForKeyStatus(name: string, status: KeyShown, timeoutMs = 15_000): Promise<void> {
    const row = this.person(name);
    const mark = row.getByText(/^✓ verified$/);
    const warning = row.getByRole('note');
    await row.waitFor({ timeout: timeoutMs });
    if (status === 'verified') await mark.waitFor({ timeout: timeoutMs });
    if (status === 'changed') await warning.waitFor({ timeout: timeoutMs });
    if (status !== 'verified') await mark.waitFor({ state: 'detached', timeout: timeoutMs });
    if (status !== 'changed') await warning.waitFor({ state: 'detached', timeout: timeoutMs });
  }

  /** The key-change warning People shows for `name`. */
  async keyChangeWarning(name: string): Promise<string> {
    return (await this.person(name).getByRole('note').innerText()).trim();
  }

  /** The page's note that this browser could not keep the person's key, or null when there is none. */
  async notKeptNote(): Promise<string | null> {
    const note = this.page.locator('own-key').getByRole('note');
    return (await note.count()) > 0 ? (await note.innerText()).trim() : null;
  }

  /** The texts of the chat lines the page shows as one's own, in log order. */
  ownTexts(): Promise<string[]> {
    return this.chatItems.and(this.page.locator('.own')).locator('.text').allInnerTexts();
  }

  /** Presses a disclosure button unless it is expanded, and returns the digit groups its region shows. */
  async #disclosed(button: Locator, region: Locator): Promise<string[]> {
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
    const groups = region.locator('.group');
    await groups.first().waitFor();
    return groups.allInnerTexts();
  }

  async join(name: string, options: { room?: string; server?: string } = {}): Promise<void> {
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    if (options.room !== undefined) await this.page.getByLabel('Room', { exact: true }).fill(options.room);
    if (options.server !== undefined) await this.page.getByLabel('Server', { exact: true }).fill(options.server);
    await this.joinButton.click();
  }

  /** Fills Name (and Server, if given) and presses Create private room. */
  async createPrivateRoom(name: string, options: { server?: string } = {}): Promise<void> {
    await this.page.getByLabel('Name', { exact: true }).fill(name);
    if (options.server !== undefined) await this.page.getByLabel('Server', { exact: true }).fill(options.server);
    await this.page.getByRole('button', { name: 'Create private room' }).click();
  }

  /** The join form's alert, once one shows. */
  async joinAlert(): Promise<string> {
    const alert = this.page.locator('join-form').getByRole('alert');
    await alert.waitFor();
    return alert.innerText();
  }

  /** The join form's note that the room comes from a private invite link, or null without one. */
  async privateNote(): Promise<string | null> {
    const note = this.page.locator('#private-note');
    return (await note.count()) === 0 ? null : note.innerText();
  }

  async inviteLink(): Promise<string> {
    const field = this.page.getByRole('textbox', { name: 'Invite link' });
    await field.waitFor();
    return field.inputValue();
  }

  async copyInvite(): Promise<string> {
    const feedback = this.page.locator('invite-link').getByRole('status');
    const before = await feedback.innerText();
    await this.page.getByRole('button', { name: 'Copy invite link' }).click();
    const escaped = before.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await feedback.filter({ hasNotText: new RegExp(`^\\s*${escaped}\\s*$`) }).waitFor();
    return feedback.innerText();
  }

  async paste(): Promise<string> {
    await this.messageBox.fill('');
    await this.messageBox.focus();
    await this.page.keyboard.press('ControlOrMeta+V');
    return this.messageBox.inputValue();
  }

  async leave(): Promise<void> {
    await this.page.getByRole('button', { name: 'Leave' }).click();
  }

  async say(text: string): Promise<void> {
    await this.messageBox.fill(text);
    await this.page.getByRole('button', { name: 'Send', exact: true }).click();
  }

  async chatLines(): Promise<SeenLine[]> {
    return this.chatItems.evaluateAll((items) =>
      items.map((item) => ({
        name: item.getAttribute('data-from-name') ?? '',
        text: item.querySelector('.text')?.textContent ?? '',
      })),
    );
  }

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

  async waitForPeople(count: number, timeoutMs = 15_000): Promise<string[]> {
    await waitForCount(this.people, count, timeoutMs, `a People list of ${count}`);
    return this.people.allInnerTexts();
  }

  async waitUntilConnected(timeoutMs = 15_000): Promise<void> {
    await this.page.getByRole('status').filter({ hasText: /^connected/ }).waitFor({ timeout: timeoutMs });
  }

  async waitForText(text: string, timeoutMs = 15_000): Promise<void> {
    await this.log.getByText(text, { exact: true }).first().waitFor({ timeout: timeoutMs });
  }

  async waitForJoinForm(): Promise<void> {
    await this.joinButton.waitFor();
  }

  /** The chat lines marked private, each as its sender line says it ("Ann → you") and its text. */
  privateLines(): Promise<SeenLine[]> {
    return this.chatItems.and(this.page.locator('[data-private="true"]')).evaluateAll((items) =>
      items.map((item) => ({
        name: `${item.querySelector('.name')?.textContent ?? ''} ${item.querySelector('.private-tag')?.textContent ?? ''}`.trim(),
        text: item.querySelector('.text')?.textContent ?? '',
      })),
    );
  }

  /** Waits for a private line with exactly this text; returns every private line. */
  async waitForPrivateText(text: string, timeoutMs = 15_000): Promise<SeenLine[]> {
    await this.chatItem(text).and(this.page.locator('[data-private="true"]')).waitFor({ timeout: timeoutMs });
    return this.privateLines();
  }

  /** Presses Message next to `name` in People; the message box then holds "/msg NAME ". */
  async startMessageTo(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Message ${name}`, exact: true }).click();
  }

  /** Types `text` at the end of what the message box holds (with the caret there, as a person would) and sends it. */
  async typeAndSend(text: string): Promise<void> {
    await this.messageBox.pressSequentially(text);
    await this.page.getByRole('button', { name: 'Send', exact: true }).click();
  }

  /** What the message composer says under the box (a refusal), once it says something. */
  async composerAlert(): Promise<string> {
    const alert = this.page.locator('message-composer').getByRole('alert');
    await alert.waitFor();
    return alert.innerText();
  }

  isSecureContext(): Promise<boolean> {
    return this.page.evaluate(() => window.isSecureContext);
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
