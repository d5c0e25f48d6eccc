import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ChatPage } from './chat-page.ts';
import { useE2eFixture } from './fixture.ts';
import { focusedElement, scrollsSideways, tabStops, type FocusedElement } from './focus-probe.ts';

const e2e = useE2eFixture();

/** A phone's viewport: 360 CSS pixels wide. */
const PHONE = { width: 360, height: 640 };

/** Fails unless `locator` lies wholly inside the viewport of `page`. */
async function expectInViewport(page: Page, locator: Locator, what: string): Promise<void> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, what).not.toBeNull();
  expect(box!.x, what).toBeGreaterThanOrEqual(0);
  expect(box!.y, what).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, what).toBeLessThanOrEqual(viewport.width + 0.5);
  expect(box!.y + box!.height, what).toBeLessThanOrEqual(viewport.height + 0.5);
}

/** Every stop of the keyboard order must show a solid ring at least 2 px wide with 3:1 contrast (WCAG 2.4.13). */
function expectVisibleRings(stops: readonly FocusedElement[]): void {
  expect(stops.length).toBeGreaterThan(3);
  const weak = stops.filter((stop) => stop.outlineStyle !== 'solid' || stop.outlineWidth < 2 || stop.contrast < 3);
  expect(weak, JSON.stringify(stops)).toEqual([]);
}

const focusName = async (page: Page): Promise<string> => (await focusedElement(page))?.name ?? 'nothing';

/** Opens the page at phone size and joins, by the keyboard alone, as `name`. */
async function joinByKeyboard(person: ChatPage, name: string): Promise<void> {
  await person.waitForJoinForm();
  expect(await focusName(person.page)).toMatch(/^input#name /);
  await person.page.keyboard.type(name);
  await person.page.keyboard.press('Enter');
  await person.waitUntilConnected();
}

describe('the room on a phone 360 px wide, in Chromium at a LAN address over plain http', () => {
  it('fills the width with the log and the message box, keeps People and Invite behind header buttons, never scrolls sideways', { timeout: 60_000 }, async () => {
    const ann = await e2e.person();
    await ann.page.setViewportSize(PHONE);
    expect(await scrollsSideways(ann.page)).toBe(false);
    await joinByKeyboard(ann, 'Ann');
    const { page } = ann;
    expect(await scrollsSideways(page)).toBe(false);
    const log = await ann.log.boundingBox();
    expect(log!.x).toBe(0);
    expect(log!.width).toBe(PHONE.width);
    await expectInViewport(page, ann.messageBox, 'the message box');
    await expectInViewport(page, page.getByRole('button', { name: 'Send' }), 'Send');
    expect((await ann.messageBox.boundingBox())!.width).toBeGreaterThan(PHONE.width / 3);

    const peopleButton = page.getByRole('button', { name: /^People/ });
    const inviteButton = page.getByRole('button', { name: 'Invite', exact: true });
    const peopleList = page.getByRole('list', { name: 'People' });
    const inviteField = page.getByRole('textbox', { name: 'Invite link' });
    expect(await peopleButton.getAttribute('aria-expanded')).toBe('false');
    expect(await inviteButton.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator(`#${await peopleButton.getAttribute('aria-controls')}`).count()).toBe(1);
    expect(await page.locator(`#${await inviteButton.getAttribute('aria-controls')}`).count()).toBe(1);
    expect(await peopleList.isVisible()).toBe(false);
    expect(await inviteField.isVisible()).toBe(false);

    await peopleButton.click();
    expect(await peopleButton.getAttribute('aria-expanded')).toBe('true');
    await ann.person('Ann').waitFor();
    expect(await inviteField.isVisible()).toBe(false);
    await expectInViewport(page, ann.messageBox, 'the message box below the open People');
    // Escape closes it and leaves focus on its button.
    await page.keyboard.press('Escape');
    expect(await peopleButton.getAttribute('aria-expanded')).toBe('false');
    expect(await peopleList.isVisible()).toBe(false);
    expect(await focusName(page)).toMatch(/^button "People/);

    await inviteButton.click();
    await inviteField.waitFor();
    await expectInViewport(page, inviteField, 'the invite link');
    await expectInViewport(page, page.getByRole('button', { name: 'Copy invite link' }), 'Copy');
    expect(await peopleList.isVisible()).toBe(false);
    await inviteButton.click();
    expect(await inviteField.isVisible()).toBe(false);

    // Long words and links wrap instead of widening the page.
    await ann.say(`${'x'.repeat(300)} https://chat.lan.test/${'y'.repeat(200)}`);
    await ann.waitForChatLines(1);
    expect(await scrollsSideways(page)).toBe(false);

    // The on-screen keyboard takes the lower half: the message box stays in sight, with focus and what was typed.
    await ann.messageBox.fill('typing on a phone');
    await page.setViewportSize({ width: PHONE.width, height: 300 });
    await expectInViewport(page, ann.messageBox, 'the message box above the keyboard');
    await expectInViewport(page, page.getByRole('button', { name: 'Send' }), 'Send above the keyboard');
    expect(await focusName(page)).toMatch(/^input#message /);
  });
});

describe('keyboard use and focus, in Chromium at a LAN address over plain http', () => {
  it('puts focus in the message box after Join, keeps it there after Send, and on Name after Leave', { timeout: 60_000 }, async () => {
    const ann = await e2e.person();
    await joinByKeyboard(ann, 'Ann');
    const { page } = ann;
    expect(await focusName(page)).toMatch(/^input#message /);
    await page.keyboard.type('sent with Enter');
    await page.keyboard.press('Enter');
    await ann.waitForText('sent with Enter');
    expect(await focusName(page)).toMatch(/^input#message /);
    // Leave, reached by Shift+Tab from the message box.
    for (let i = 0; i < 30 && !/^button "Leave"/.test(await focusName(page)); i += 1) await page.keyboard.press('Shift+Tab');
    expect(await focusName(page)).toMatch(/^button "Leave"/);
    await page.keyboard.press('Enter');
    await ann.waitForJoinForm();
    expect(await focusName(page)).toMatch(/^input#name /);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`shows a solid focus ring with 3:1 contrast on every stop of the keyboard order, ${scheme} theme, wide and 360 px`, { timeout: 60_000 }, async () => {
      const ann = await e2e.person();
      await ann.page.emulateMedia({ colorScheme: scheme });
      await ann.waitForJoinForm();
      expectVisibleRings(await tabStops(ann.page));
      await joinByKeyboard(ann, 'Ann');
      await ann.say('a line to show');
      await ann.waitForText('a line to show');
      const wide = await tabStops(ann.page);
      expectVisibleRings(wide);
      // The stops a person needs are all there: the header's Leave, People's Your key, Copy, the log, the box.
      for (const name of [/^button "Leave"/, /^button "Your key"/, /^button "Copy invite link"/, /^chat-log /, /^input#message /]) {
        expect(wide.map((stop) => stop.name), String(name)).toContainEqual(expect.stringMatching(name));
      }
      await ann.page.setViewportSize(PHONE);
      await ann.page.getByRole('button', { name: /^People/ }).click();
      const phone = await tabStops(ann.page);
      expectVisibleRings(phone);
      expect(phone.map((stop) => stop.name)).toContainEqual(expect.stringMatching(/^button "Invite"/));
    });
  }
});
