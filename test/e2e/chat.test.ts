import { describe, expect, it } from 'vitest';
import { breakThePolicy, textsOf as of, useE2eFixture, type E2eFixture } from './fixture.ts';

const e2e = useE2eFixture();
const person = (url?: string) => e2e.person(url);

describe('ChatUs in real Chromium, at a LAN address over plain http (not a secure context)', () => {
  it('a host and two members join by invite link, chat, each line once in order, and quit', { timeout: 90_000 }, () => chatAndQuit(e2e));

  it('copies the invite link, and says Copied only when the clipboard has it', async () => {
    const ann = await person();
    await ann.join('Ann');
    const invite = await ann.inviteLink();
    expect(await ann.copyInvite()).toMatch(/^Copied\./);
    expect(await ann.paste()).toBe(invite);

    // When the browser refuses the copy as well, the page says so and leaves the link selected for Ctrl+C.
    await ann.page.evaluate(() => {
      document.execCommand = () => false;
    });
    expect(await ann.copyInvite()).toBe('Press Ctrl+C (⌘C) to copy the selected link. This browser lets only https or localhost pages copy for you.');
    expect(await ann.page.getByRole('textbox', { name: 'Invite link' }).evaluate((input: HTMLInputElement) => input.value.slice(input.selectionStart ?? 0, input.selectionEnd ?? 0))).toBe(invite);
  });

  it("the server's CSP blocks inline script and style, and the fixture that fails tests on violations sees them", async () => {
    const ann = await person();
    await ann.join('Ann');
    await ann.page.evaluate(breakThePolicy);
    const seen = await e2e.takeCspViolations(2);
    expect(seen.join('\n')).toMatch(/style-src/);
    expect(seen.join('\n')).toMatch(/script-src/);
    expect(await ann.page.evaluate(() => (window as { inlineRan?: number }).inlineRan)).toBeUndefined();
  });

  it('shows user text as text, never as HTML', async () => {
    const ann = await person();
    await ann.join('Ann');
    const bob = await person(await ann.inviteLink());
    await bob.join('Bob');
    await bob.waitUntilConnected();
    const dialogs: string[] = [];
    for (const page of [ann, bob]) page.page.on('dialog', (dialog) => void dialogs.push(dialog.message()));
    const payloads = ['<img src=x onerror=alert(1)>', '<img src=x onerror="window.pwned=1"><b>bold</b>'];
    for (const payload of payloads) await bob.say(payload);
    for (const page of [ann, bob]) {
      const lines = await page.waitForChatLines(payloads.length);
      expect(of(lines, 'Bob')).toEqual(payloads);
      await page.waitForText(payloads[0]!);
      expect(await page.log.locator('img, b').count()).toBe(0);
      expect(await page.page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    }
    expect(dialogs).toEqual([]);
  });

  it('refuses a taken name with a reason and stays on the join form', async () => {
    const ann = await person();
    await ann.join('Ann');
    const other = await person(await ann.inviteLink());
    await other.join('ANN');
    const alert = other.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/name is taken/i);
    expect(await other.joinButton.isVisible()).toBe(true);
  });

  it('refuses an over-long message in the UI with a reason, keeping the text', async () => {
    const ann = await person();
    await ann.join('Ann');
    await ann.inviteLink();
    await ann.say('x'.repeat(2001));
    const alert = ann.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/limit is 2000/);
    expect((await ann.messageBox.inputValue()).length).toBe(2001);
    // The next message that does fit is the first and only chat line: the refused one never went out.
    await ann.say('short enough');
    await ann.waitForText('short enough');
    expect(await ann.chatLines()).toEqual([{ name: 'Ann', text: 'short enough' }]);
  });
});

describe('ChatUs in real Chromium at 127.0.0.1 (a secure context)', () => {
  const loopback = useE2eFixture({ origin: 'loopback' });
  it('chats and quits exactly as on a LAN address', { timeout: 90_000 }, () => chatAndQuit(loopback));

  it('copies the invite link with the async clipboard', async () => {
    const ann = await loopback.person();
    await ann.join('Ann');
    const invite = await ann.inviteLink();
    // Browsers let a focused secure page write on a click; a Playwright context must be told so.
    await ann.page.context().grantPermissions(['clipboard-write'], { origin: loopback.appUrl() });
    // Without the plain-http fallback: only the async clipboard can have copied it.
    await ann.page.evaluate(() => {
      document.execCommand = () => false;
    });
    expect(await ann.copyInvite()).toMatch(/^Copied\./);
    expect(await ann.paste()).toBe(invite);
  });
});

// Times on the lines must never be mistaken for text: the same scenario with every page's clock at a time whose hour
// starts with 1, and at the last minute of the day (and a 24-hour locale).
for (const [clock, locale] of [['10:00', 'en-US'], ['23:59', 'de-DE']] as const) {
  describe(`ChatUs in real Chromium at ${clock} (${locale})`, () => {
    const atClock = useE2eFixture({ clock, locale });
    it('chats and quits exactly as at any other time', { timeout: 90_000 }, () => chatAndQuit(atClock));
  });
}

/** A host and two members join by invite link, chat five rounds, see each line once in order; one quits, one leaves. */
async function chatAndQuit(fixture: E2eFixture): Promise<void> {
  const person = (url?: string) => fixture.person(url);
  const ann = await person();
  await ann.join('Ann');
  const invite = await ann.inviteLink();
  expect(new URL(invite).searchParams.get('room')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(new URL(invite).searchParams.get('server')).toBe(fixture.serverAddress());
  // The address bar became the room's link, so a reload goes back in.
  expect(ann.url()).toBe(invite);

  const bob = await person(invite);
  const cat = await person(invite);
  for (const page of [bob, cat]) {
    await expect(page.page.getByLabel('Server', { exact: true }).inputValue()).resolves.toBe(fixture.serverAddress());
    await expect(page.page.getByLabel('Room', { exact: true }).inputValue()).resolves.toBe(new URL(invite).searchParams.get('room'));
  }
  await bob.join('Bob');
  await cat.join('Cat');
  for (const page of [ann, bob, cat]) {
    const people = await page.waitForPeople(3);
    expect(people.find((p) => p.startsWith('Ann'))).toContain('host');
    expect(people.filter((p) => p.includes('host'))).toHaveLength(1);
  }
  await Promise.all([bob.waitUntilConnected(), cat.waitUntilConnected()]);

  for (let i = 1; i <= 5; i++) {
    await Promise.all([ann.say(`ann ${i}`), bob.say(`bob ${i}`), cat.say(`cat ${i}`)]);
  }
  for (const page of [ann, bob, cat]) {
    await page.waitForChatLines(15);
    const lines = await page.chatLines();
    expect(lines).toHaveLength(15);
    for (const name of ['Ann', 'Bob', 'Cat']) {
      expect(of(lines, name)).toEqual([1, 2, 3, 4, 5].map((i) => `${name.toLowerCase()} ${i}`));
    }
  }
  // A chat line shows who, when and what.
  const line = await bob.chatItem('ann 1').innerText();
  expect(line).toContain('Ann');
  expect(line).toMatch(/\d{1,2}:\d{2}/);
  await ann.waitForText('Bob joined');

  await cat.say('quit');
  await cat.joinButton.waitFor();
  for (const page of [ann, bob]) {
    await page.waitForPeople(2);
    await page.waitForText('Cat left');
    // Seconds after the burst: a late duplicate would be here by now.
    expect(await page.chatLines()).toHaveLength(15);
  }

  await bob.leave();
  await bob.waitForJoinForm();
  await ann.waitForPeople(1);
  await ann.waitForText('Bob left');
}
