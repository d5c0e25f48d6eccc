import { describe, expect, it } from 'vitest';
import type { ChatPage } from './chat-page.ts';
import { textsOf, useE2eFixture } from './fixture.ts';

const e2e = useE2eFixture();

/** Sends `count` numbered messages from `page`, one after another as fast as the UI takes them. */
async function stream(page: ChatPage, prefix: string, count: number, onSent?: (i: number) => Promise<void>): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await page.say(`${prefix} ${i}`);
    await onSent?.(i);
  }
}

const numbered = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`);

describe('the room survives in real Chromium', () => {
  it('moves to a new host when the host page closes mid-stream, losing and repeating nothing', { timeout: 120_000 }, async () => {
    const host = await e2e.person();
    await host.join('Hana');
    const invite = await host.inviteLink();
    const [ann, bob, cat] = [await e2e.person(invite), await e2e.person(invite), await e2e.person(invite)];
    await ann.join('Ann');
    await bob.join('Bob');
    await cat.join('Cat');
    for (const page of [ann, bob, cat]) await page.waitUntilConnected();
    await host.waitForPeople(4);

    const count = 30;
    await Promise.all([
      stream(ann, 'ann', count, async (i) => {
        if (i === 10) await host.page.close();
      }),
      stream(bob, 'bob', count),
    ]);
    for (const page of [ann, bob, cat]) {
      const people = await page.waitForPeople(3);
      expect(people.find((p) => p.startsWith('Ann'))).toContain('host');
      const lines = await page.waitForChatLines(2 * count, 30_000);
      expect(textsOf(lines, 'Ann')).toEqual(numbered('ann', count));
      expect(textsOf(lines, 'Bob')).toEqual(numbered('bob', count));
      expect(lines).toHaveLength(2 * count);
    }
    await ann.waitForText('You are now the host');
    // Every own message ends delivered.
    for (const page of [ann, bob]) {
      await page.log.getByText('sending…').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
      expect(await page.log.getByText('not delivered').count()).toBe(0);
      expect(await page.log.getByText('sending…').count()).toBe(0);
    }
  });

  it('gives a member who joins after 50 messages all 50, and keeps them across a reload', { timeout: 120_000 }, async () => {
    const host = await e2e.person();
    await host.join('Hana');
    const invite = await host.inviteLink();
    const ann = await e2e.person(invite);
    await ann.join('Ann');
    await ann.waitUntilConnected();
    await Promise.all([stream(host, 'hana', 25), stream(ann, 'ann', 25)]);
    await host.waitForChatLines(50);

    const late = await e2e.person(invite);
    await late.join('Late');
    const seen = await late.waitForChatLines(50);
    expect(textsOf(seen, 'Hana')).toEqual(numbered('hana', 25));
    expect(textsOf(seen, 'Ann')).toEqual(numbered('ann', 25));

    await late.page.reload();
    await late.waitUntilConnected();
    const again = await late.waitForChatLines(50);
    expect(again).toHaveLength(50);
    expect(textsOf(again, 'Ann')).toEqual(numbered('ann', 25));
    await late.say('back');
    await host.waitForText('back');
    expect(await late.chatLines()).toHaveLength(51);
  });
});
