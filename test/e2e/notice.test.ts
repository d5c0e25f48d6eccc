import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousFindings } from './axe.ts';
import type { ChatPage } from './chat-page.ts';
import { useE2eFixture } from './fixture.ts';
import { linkedRoom, setHidden } from './steps.ts';

const e2e = useE2eFixture();

/** The "is typing" line under `person`'s log. */
const typingLine = (person: ChatPage) => person.page.locator('chat-log .typing');

/** What `person`'s "is typing" line says at this moment (empty without one), read without waiting. */
const typingNow = (person: ChatPage): Promise<string> =>
  person.page.locator('chat-log').evaluate((log) => log.shadowRoot?.querySelector('.typing')?.textContent ?? '');

/** The log's button back to the newest line. */
const jumpButton = (person: ChatPage) => person.page.getByRole('button', { name: /^Jump to latest/ });

/** The "New messages" marker in `person`'s log. */
const marker = (person: ChatPage) => person.log.locator('.new-marker');

/**
 * `people` type a letter at a time, in turn, as people do, until `line` says `text` (a start goes out every 3 s at
 * most, so they may have to type on for a while).
 */
async function keepTypingUntil(people: ChatPage | readonly ChatPage[], line: Locator, text: string): Promise<void> {
  await expect
    .poll(
      async () => {
        for (const person of [people].flat()) await person.messageBox.press('x');
        return (await line.count()) > 0 ? line.innerText() : '';
      },
      { timeout: 15_000 },
    )
    .toBe(text);
}

/** Opens Settings (unless open) and returns its section. */
async function openSettings(person: ChatPage) {
  const button = person.page.getByRole('button', { name: 'Settings', exact: true });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  const settings = person.page.getByRole('region', { name: 'Settings' });
  await settings.getByRole('switch').first().waitFor();
  return settings;
}

/** Runs in the page before its scripts: counts the tones it starts (window.tonesPlayed). */
function countTones(): void {
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
    const counted = window as unknown as { tonesPlayed?: number };
    counted.tonesPlayed = (counted.tonesPlayed ?? 0) + 1;
    return start.apply(this, args);
  };
}

describe('never missing a message, in Chromium at a LAN address over plain http', () => {
  it('shows who is typing to the others, clears it on send, and a person who turns it off neither shows nor sends', { timeout: 90_000 }, async () => {
    const [hana, ann, bo] = (await linkedRoom(e2e, ['Hana', 'Ann', 'Bo'])) as [ChatPage, ChatPage, ChatPage];
    await ann.messageBox.pressSequentially('on my way');
    await keepTypingUntil(ann, typingLine(hana), 'Ann is typing…');
    await typingLine(bo).filter({ hasText: /^Ann is typing…$/ }).waitFor();
    await keepTypingUntil(bo, typingLine(hana), 'Ann and Bo are typing…');
    await typingLine(ann).filter({ hasText: /^Bo is typing…$/ }).waitFor();

    const said = await ann.messageBox.inputValue();
    await ann.page.getByRole('button', { name: 'Send', exact: true }).click();
    await hana.waitForText(said);
    // The message and the end of Ann's typing are one change at Hana's: drawn together. (Bo's may stay, or have expired.)
    expect(await typingNow(hana)).toMatch(/^(Bo is typing…)?$/);
    await bo.waitForText(said);
    expect(await typingNow(bo)).toBe('');
    // Bo empties the box: typing stops at once, without waiting for it to expire.
    await bo.messageBox.fill('');
    await typingLine(hana).waitFor({ state: 'detached' });

    // Hana turns typing off: she shows nobody's, and sends none of her own.
    const settings = await openSettings(hana);
    await settings.getByRole('switch', { name: /who is typing/ }).uncheck();
    await hana.messageBox.pressSequentially('secret draft');
    // Both type on until Bo's start goes out. Hana's last start (in the first round of the room) is older than Bo's, so
    // hers would be let out first, at each turn before Bo's key, on the channel to Ann that Bo's relayed start takes.
    await keepTypingUntil([hana, bo], typingLine(ann), 'Bo is typing…');
    expect(await typingNow(hana)).toBe('');
    // Stopped typing expires by itself.
    await typingLine(ann).waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('counts lines that arrive while the log is scrolled up, marks the first, and jumps back to the latest', { timeout: 90_000 }, async () => {
    const [hana, ann] = (await linkedRoom(e2e, ['Hana', 'Ann'])) as [ChatPage, ChatPage];
    for (let i = 1; i <= 30; i += 1) await ann.say(`filler ${i}`);
    await hana.waitForText('filler 30');
    expect(await jumpButton(hana).count()).toBe(0);
    await hana.log.evaluate((log) => log.scrollTo({ top: 0 }));
    await expect.poll(() => jumpButton(hana).innerText()).toBe('Jump to latest');

    for (let i = 1; i <= 3; i += 1) await ann.say(`new ${i}`);
    await expect.poll(() => jumpButton(hana).innerText()).toBe('Jump to latest (3 new)');
    await expect.poll(() => hana.page.title()).toBe('(3) ChatUs');
    // The marker goes before the first line that came while Hana was reading further up.
    await expect.poll(() => marker(hana).evaluate((element) => element.parentElement?.querySelector('.text')?.textContent)).toBe('new 1');
    expect(await marker(hana).innerText()).toBe('New messages');
    expect(await ann.page.title()).toBe('ChatUs');
    // Everything at once, light and dark: the marker, the button, who is typing, Settings open.
    await keepTypingUntil(ann, typingLine(hana), 'Ann is typing…');
    await openSettings(hana);
    expect(await seriousFindings(hana.page)).toEqual([]);
    await hana.page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousFindings(hana.page)).toEqual([]);

    await jumpButton(hana).click();
    await jumpButton(hana).waitFor({ state: 'detached' });
    // The button went away under the focus: the log has it, where the keyboard scrolls on.
    expect(await hana.log.evaluate((log) => log.matches(':focus'))).toBe(true);
    await expect.poll(() => hana.page.title()).toBe('ChatUs');
    expect(await hana.log.evaluate((log) => log.scrollHeight - log.scrollTop - log.clientHeight)).toBeLessThan(40);
    // The marker stays to show where the new lines began, until Hana writes herself.
    expect(await marker(hana).count()).toBe(1);
    await hana.say('caught up');
    await marker(hana).waitFor({ state: 'detached' });
    // A screen reader heard of the burst in one sentence, not line by line.
    await expect.poll(() => hana.page.locator('chat-log #announcer').textContent()).toMatch(/^(Ann: new 3|\d+ new messages from Ann)$/);
  });

  it('says notifications need https on a plain-http page, and keeps the sound switch, which plays while hidden', { timeout: 90_000 }, async () => {
    const hana = await e2e.person(undefined, countTones);
    expect(await hana.isSecureContext()).toBe(false);
    await hana.join('Hana');
    const invite = await hana.inviteLink();
    const ann = await e2e.person(invite);
    await ann.join('Ann');
    await ann.waitUntilConnected();

    let settings = await openSettings(hana);
    const notifications = settings.getByRole('switch', { name: /Desktop notifications/ });
    expect(await notifications.isDisabled()).toBe(true);
    expect(await settings.locator('.note').innerText()).toMatch(/^Desktop notifications need https or localhost: this page is plain http\. The tab’s title still counts new messages, and the sound works here\.$/);
    // The switch says why it is off.
    expect(await notifications.getAttribute('aria-describedby')).toBe('notifications-note');
    const sound = () => settings.getByRole('switch', { name: /^Sound/ });
    expect(await sound().isChecked()).toBe(false);
    await sound().check();

    await hana.reload();
    await hana.waitUntilConnected();
    settings = await openSettings(hana);
    expect(await sound().isChecked()).toBe(true);
    expect(await settings.getByRole('switch', { name: /who is typing/ }).isChecked()).toBe(true);

    await setHidden(hana, true);
    await ann.say('ping while away');
    await hana.waitForText('ping while away');
    await expect.poll(() => hana.page.evaluate(() => (window as unknown as { tonesPlayed?: number }).tonesPlayed ?? 0)).toBeGreaterThan(0);
    await expect.poll(() => hana.page.title()).toBe('(1) ChatUs');
  });
});

/**
 * Runs in the page before its scripts: a stand-in for the browser's Notification that records what the page asks and
 * shows (window.notifications), with a permission that starts unanswered and is granted when asked.
 */
function recordNotifications(): void {
  const record = { asked: 0, shown: [] as { title: string; body: string | undefined; tag: string | undefined }[] };
  let permission: NotificationPermission = 'default';
  class RecordedNotification {
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      record.shown.push({ title, body: options?.body, tag: options?.tag });
    }
    static get permission(): NotificationPermission {
      return permission;
    }
    static requestPermission(): Promise<NotificationPermission> {
      record.asked += 1;
      permission = 'granted';
      return Promise.resolve(permission);
    }
    close(): void {}
  }
  Object.assign(window, { Notification: RecordedNotification, notifications: record });
}

describe('desktop notifications, in Chromium at a secure address (http://127.0.0.1)', () => {
  const loopback = useE2eFixture({ origin: 'loopback' });

  it('are asked for only when the person turns them on, and show a burst while the tab is hidden', { timeout: 60_000 }, async () => {
    const hana = await loopback.person(undefined, recordNotifications);
    const record = () => hana.page.evaluate(() => (window as unknown as { notifications: { asked: number; shown: unknown[] } }).notifications);
    await hana.join('Hana');
    const ann = await loopback.person(await hana.inviteLink());
    await ann.join('Ann');
    await ann.waitUntilConnected();
    await ann.say('before');
    await hana.waitForText('before');
    // Joining, chatting, opening Settings: nothing asks the browser.
    const settings = await openSettings(hana);
    expect(await record()).toEqual({ asked: 0, shown: [] });
    expect(await settings.locator('.note').count()).toBe(0);
    const notifications = settings.getByRole('switch', { name: /Desktop notifications/ });
    await notifications.check();
    expect((await record()).asked).toBe(1);
    expect(await notifications.isChecked()).toBe(true);

    // In front, nothing shows; in the background, each burst does, replacing the room's last one (same tag).
    await ann.say('seen');
    await hana.waitForText('seen');
    await setHidden(hana, true);
    await ann.say('hello from Ann');
    await hana.waitForText('hello from Ann');
    const room = new URL(hana.url()).searchParams.get('room') ?? '';
    await expect.poll(async () => (await record()).shown).toEqual([{ title: `ChatUs · ${room}`, body: 'Ann: hello from Ann', tag: `chatus-${room}` }]);
    expect((await record()).asked).toBe(1);
  });
});
