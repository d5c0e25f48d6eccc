import { describe, expect, it } from 'vitest';
import { seriousFindings } from './axe.ts';
import type { ChatPage } from './chat-page.ts';
import { useE2eFixture } from './fixture.ts';
import { linkedRoom } from './steps.ts';

const e2e = useE2eFixture();

/** The element of the newest chat line's text in `person`'s log. */
const lastText = (person: ChatPage) => person.page.locator('chat-log .chat .text').last();

describe('what people write, in Chromium at a LAN address over plain http', () => {
  it('links only http(s) addresses, safely; shows markup as text; lays out each line in its own direction', { timeout: 60_000 }, async () => {
    const [hana, ann] = (await linkedRoom(e2e, ['Hana', 'Ann'])) as [ChatPage, ChatPage];
    await ann.say('notes at https://chat.lan.test:8080/notes?week=3. thanks');
    await hana.waitForText('notes at https://chat.lan.test:8080/notes?week=3. thanks');
    const link = lastText(hana).getByRole('link');
    expect(await link.getAttribute('href')).toBe('https://chat.lan.test:8080/notes?week=3');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await lastText(hana).innerText()).toBe('notes at https://chat.lan.test:8080/notes?week=3. thanks');

    const markup = '<img src=x onerror="document.title=\'pwned\'"> javascript:alert(1)';
    await ann.say(markup);
    await hana.waitForText(markup);
    expect(await lastText(hana).innerText()).toBe(markup);
    expect(await lastText(hana).locator('img, a').count()).toBe(0);
    expect(await hana.page.title()).not.toBe('pwned');

    await ann.say('مرحبا بالجميع');
    await hana.waitForText('مرحبا بالجميع');
    expect(await lastText(hana).evaluate((element) => element.matches(':dir(rtl)'))).toBe(true);
    expect(await hana.page.evaluate(() => document.documentElement.matches(':dir(ltr)'))).toBe(true);
  });

  it('has no serious, critical or region accessibility findings on the join form and in a room with messages', { timeout: 60_000 }, async () => {
    const first = await e2e.person();
    expect(await seriousFindings(first.page)).toEqual([]);
    await first.page.close();
    const [hana, ann] = (await linkedRoom(e2e, ['Hana', 'Ann'])) as [ChatPage, ChatPage];
    for (let i = 1; i <= 3; i += 1) await ann.say(`line ${i} with https://chat.lan.test/${i}`);
    await hana.waitForText('line 3 with https://chat.lan.test/3');
    expect(await seriousFindings(hana.page)).toEqual([]);
    expect(await seriousFindings(ann.page)).toEqual([]);
  });

  it('follows a dark system theme, still with no serious, critical or region findings', { timeout: 60_000 }, async () => {
    const first = await e2e.person();
    await first.page.emulateMedia({ colorScheme: 'dark' });
    const background = () => first.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(17, 20, 24)');
    expect(await seriousFindings(first.page)).toEqual([]);
    await first.page.close();
    const [hana, ann] = (await linkedRoom(e2e, ['Hana', 'Ann'])) as [ChatPage, ChatPage];
    for (const person of [hana, ann]) await person.page.emulateMedia({ colorScheme: 'dark' });
    await ann.say('in the dark https://chat.lan.test/night');
    await hana.waitForText('in the dark https://chat.lan.test/night');
    expect(await seriousFindings(hana.page)).toEqual([]);
    expect(await seriousFindings(ann.page)).toEqual([]);
  });

  it('has none on a phone 360 px wide either: the join form, the room, People and Invite open', { timeout: 60_000 }, async () => {
    const first = await e2e.person();
    await first.page.setViewportSize({ width: 360, height: 640 });
    await first.waitForJoinForm();
    expect(await seriousFindings(first.page)).toEqual([]);
    await first.page.close();
    const [hana, ann] = (await linkedRoom(e2e, ['Hana', 'Ann'])) as [ChatPage, ChatPage];
    await hana.page.setViewportSize({ width: 360, height: 640 });
    await ann.say('on a small screen https://chat.lan.test/phone');
    await hana.waitForText('on a small screen https://chat.lan.test/phone');
    expect(await seriousFindings(hana.page)).toEqual([]);
    for (const panel of [/^People/, /^Invite$/]) {
      await hana.page.getByRole('button', { name: panel }).click();
      expect(await seriousFindings(hana.page)).toEqual([]);
    }
  });
});
