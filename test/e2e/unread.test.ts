import { describe, expect, it } from 'vitest';
import type { ChatPage } from './chat-page.ts';
import { useE2eFixture } from './fixture.ts';
import { linkedRoom, setHidden } from './steps.ts';

const e2e = useE2eFixture();

describe('unread lines in the tab title, in Chromium', () => {
  it('counts lines from others while the tab is in the background and clears when the person comes back', { timeout: 60_000 }, async () => {
    const [hana, ann] = (await linkedRoom(e2e, ['Hana', 'Ann'])) as [ChatPage, ChatPage];
    expect(await hana.page.title()).toBe('ChatUs');
    // Hana switches to another tab (see setHidden).
    await setHidden(hana, true);
    await ann.say('are you there?');
    await ann.say('hello?');
    await hana.waitForText('hello?');
    await expect.poll(() => hana.page.title()).toBe('(2) ChatUs');
    await setHidden(hana, false);
    await expect.poll(() => hana.page.title()).toBe('ChatUs');
    // Ann's tab was in front all along: nothing counted there.
    expect(await ann.page.title()).toBe('ChatUs');
  });
});
