import { describe, expect, it } from 'vitest';
import { defaultHostWatch } from '../../shared/liveness.ts';
import type { ChatPage } from './chat-page.ts';
import { textsOf, useE2eFixture } from './fixture.ts';

const e2e = useE2eFixture();

/**
 * How long the others may wait for a hung host's replacement: the most the server's host watch lets it stay, and a
 * generous allowance for the election and the pages re-linking. Far below the 30 s hang, so a host kept for as long as
 * it hangs fails the test.
 */
const replacedWithinMs = (defaultHostWatch.maxMissedPings + 1) * defaultHostWatch.pingIntervalMs + 5000;

/** Runs a busy loop of `ms` in the page, as a long task does: none of the page's other JavaScript runs meanwhile. */
function hang(page: ChatPage, ms: number): Promise<void> {
  return page.page.evaluate((busyMs) => {
    const until = Date.now() + busyMs;
    while (Date.now() < until) {
      // The page's JavaScript does nothing else.
    }
  }, ms);
}

/** A room of Hana (host), Ann and Bob, every member linked. */
async function roomOfThree(): Promise<[ChatPage, ChatPage, ChatPage]> {
  const host = await e2e.person();
  await host.join('Hana');
  const invite = await host.inviteLink();
  const [ann, bob] = [await e2e.person(invite), await e2e.person(invite)];
  await ann.join('Ann');
  await bob.join('Bob');
  for (const page of [ann, bob]) await page.waitUntilConnected();
  await host.waitForPeople(3);
  return [host, ann, bob];
}

describe('a host page that stops running its JavaScript', () => {
  it('is replaced when it hangs for 30 s, and the others chat again', { timeout: 120_000 }, async () => {
    const [host, ann, bob] = await roomOfThree();
    await bob.say('before');
    await ann.waitForChatLines(1);

    // Not awaited: the page hangs for 30 s while its browser still answers the socket's WebSocket pings.
    hang(host, 30_000).catch(() => undefined);
    await bob.say('during');
    await ann.waitForText('You are now the host', replacedWithinMs);
    await bob.waitForText('Ann is now the host', replacedWithinMs);
    await ann.say('flowing again');
    for (const page of [ann, bob]) {
      const lines = await page.waitForChatLines(3, replacedWithinMs);
      expect(textsOf(lines, 'Bob')).toEqual(['before', 'during']);
      expect(textsOf(lines, 'Ann')).toEqual(['flowing again']);
    }
    // Hana is out of the room until her page runs again (then it joins back as a member).
    expect((await bob.waitForPeople(2)).find((p) => p.startsWith('Ann'))).toContain('host');
  });

  it('keeps its role when it is busy for 2 s, and nothing sent meanwhile is lost', { timeout: 120_000 }, async () => {
    const [host, ann, bob] = await roomOfThree();
    const busy = hang(host, 2000);
    for (let i = 1; i <= 3; i++) {
      await ann.say(`ann ${i}`);
      await bob.say(`bob ${i}`);
    }
    await busy;
    await ann.say('ann 4');
    for (const page of [host, ann, bob]) {
      const lines = await page.waitForChatLines(7);
      expect(textsOf(lines, 'Ann')).toEqual(['ann 1', 'ann 2', 'ann 3', 'ann 4']);
      expect(textsOf(lines, 'Bob')).toEqual(['bob 1', 'bob 2', 'bob 3']);
      expect(lines).toHaveLength(7);
      const people = await page.waitForPeople(3);
      expect(people.find((p) => p.startsWith('Hana'))).toContain('host');
    }
    for (const page of [ann, bob]) {
      expect(await page.log.getByText('not delivered').count()).toBe(0);
      expect(await page.log.getByText(/now the host/).count()).toBe(0);
    }
  });
});
