import { describe, expect, it } from 'vitest';
import type { ChatPage } from './chat-page.ts';
import { useE2eFixture } from './fixture.ts';

const e2e = useE2eFixture();

/** Ann creates a room and Bob (a browser profile of his own) joins it by her invite link. */
async function annAndBob(): Promise<{ ann: ChatPage; bob: ChatPage; invite: string }> {
  const ann = await e2e.person();
  await ann.join('Ann');
  const invite = await ann.inviteLink();
  const bob = await e2e.person(invite);
  await bob.join('Bob');
  await bob.waitUntilConnected();
  await ann.waitForPeople(2);
  return { ann, bob, invite };
}

const keyChangeLine = (name: string): string =>
  `${name}'s keys have changed since this browser last saw ${name}. Compare safety numbers (People) before trusting messages from ${name}.`;

describe('keys and People in real Chromium, at a LAN address over plain http (not a secure context)', () => {
  it('two people see the same safety number; a verification is one-sided and survives a reload', { timeout: 90_000 }, async () => {
    const { ann, bob } = await annAndBob();
    const annSees = await ann.safetyNumberWith('Bob');
    expect(annSees).toHaveLength(12);
    for (const group of annSees) expect(group).toMatch(/^\d{5}$/);
    expect(await bob.safetyNumberWith('Ann')).toEqual(annSees);
    // Each one's own half ("Your key") is one of the two halves, in sorted order.
    const halves = [(await ann.ownKeyHalf()).join(''), (await bob.ownKeyHalf()).join('')];
    expect(halves[0]).not.toBe(halves[1]);
    expect(halves.sort().join('')).toBe(annSees.join(''));
    expect(await ann.safetyPanel('Bob').innerText()).toMatch(/Bob sees these same 60 digits\. Compare them in person/);

    expect(await ann.keyStatusOf('Bob')).toBe('unverified');
    await ann.verify('Bob');
    expect(await ann.keyStatusOf('Bob')).toBe('verified');
    expect(await bob.keyStatusOf('Ann')).toBe('unverified');

    await ann.reload();
    await ann.waitUntilConnected();
    await ann.waitForPeople(2);
    await ann.waitForKeyStatus('Bob', 'verified');
    expect(await ann.safetyNumberWith('Bob')).toEqual(annSees);
    await ann.unverify('Bob');
    expect(await ann.keyStatusOf('Bob')).toBe('unverified');
    await ann.reload();
    await ann.waitUntilConnected();
    await ann.waitForPeople(2);
    expect(await ann.keyStatusOf('Bob')).toBe('unverified');
  });

  it('opens and closes the safety number from the keyboard', async () => {
    const { ann } = await annAndBob();
    const button = ann.page.getByRole('button', { name: 'Safety number with Bob' });
    await button.focus();
    await ann.page.keyboard.press('Enter');
    await ann.safetyPanel('Bob').waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    await ann.page.keyboard.press('Tab');
    await ann.page.keyboard.press('Enter');
    await ann.waitForKeyStatus('Bob', 'verified');
    await ann.page.keyboard.press('Escape');
    await ann.safetyPanel('Bob').waitFor({ state: 'detached' });
    expect(await button.evaluate((element) => element.matches(':focus'))).toBe(true);
    expect(await button.getAttribute('aria-expanded')).toBe('false');
  });

  it('someone back under the same name with a new key: a new safety number, a warning in People and in the log', { timeout: 90_000 }, async () => {
    const { ann, bob, invite } = await annAndBob();
    const before = await ann.safetyNumberWith('Bob');
    await ann.verify('Bob');
    await bob.close();
    await ann.waitForPeople(1);

    // A fresh browser context is a fresh profile, so a new key.
    const newBob = await e2e.person(invite);
    await newBob.join('Bob');
    await newBob.waitUntilConnected();
    await ann.waitForKeyStatus('Bob', 'changed');
    expect(await ann.keyChangeWarning('Bob')).toBe("Bob's key changed since you last saw them: compare safety numbers again.");
    await ann.waitForText(keyChangeLine('Bob'));
    const after = await ann.safetyNumberWith('Bob');
    expect(after).not.toEqual(before);
    expect(await newBob.safetyNumberWith('Ann')).toEqual(after);
    // New Bob knew no Ann before: nothing changed for him.
    expect(await newBob.keyStatusOf('Ann')).toBe('unverified');

    // Comparing and verifying the new key settles it.
    await ann.verify('Bob');
    expect(await ann.keyStatusOf('Bob')).toBe('verified');
  });

  it('a reload keeps one’s key, so one’s earlier messages (history from the host) are still one’s own', { timeout: 90_000 }, async () => {
    const { ann, bob } = await annAndBob();
    await bob.say('from Bob before the reload');
    await ann.say('from Ann');
    await bob.waitForChatLines(2);
    const half = await bob.ownKeyHalf();
    const number = await ann.safetyNumberWith('Bob');

    await bob.reload();
    await bob.waitUntilConnected();
    const lines = await bob.waitForChatLines(2);
    expect(lines.map((line) => line.text)).toEqual(['from Bob before the reload', 'from Ann']);
    expect(await bob.ownTexts()).toEqual(['from Bob before the reload']);
    expect(await bob.ownKeyHalf()).toEqual(half);
    expect(await bob.notKeptNote()).toBeNull();

    // Ann linked the reloaded Bob (the history came from her) and saw the same key: no warning, same number.
    expect(await ann.keyStatusOf('Bob')).toBe('unverified');
    expect(await ann.safetyNumberWith('Bob')).toEqual(number);
    expect(await ann.log.getByText(keyChangeLine('Bob')).count()).toBe(0);
  });

  it('two tabs of one profile that join at once on first use share one key', { timeout: 90_000 }, async () => {
    const ann = await e2e.person();
    await ann.join('Ann');
    const invite = await ann.inviteLink();
    const bob = await e2e.person(invite);
    const bobsOtherTab = await e2e.anotherTab(bob, invite);
    await Promise.all([bob.join('Bob'), bobsOtherTab.join('Bobby')]);
    await Promise.all([bob.waitUntilConnected(), bobsOtherTab.waitUntilConnected()]);
    expect(await bobsOtherTab.ownKeyHalf()).toEqual(await bob.ownKeyHalf());
    await ann.waitForPeople(3);
    expect(await ann.safetyNumberWith('Bobby')).toEqual(await ann.safetyNumberWith('Bob'));
  });

  it('joins with a key for this visit, and says so, when the browser refuses IndexedDB', { timeout: 90_000 }, async () => {
    // What Firefox does with site data blocked: opening a database throws.
    const refuse = () => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      };
    };
    const ann = await e2e.person(undefined, refuse);
    await ann.join('Ann');
    await ann.waitUntilConnected();
    expect(await ann.notKeptNote()).toMatch(/^This browser does not let ChatUs keep your key .* a new key for this visit only/);
    await ann.say('still works');
    await ann.waitForText('still works');
    const half = await ann.ownKeyHalf();
    expect(half).toHaveLength(6);

    await ann.reload();
    await ann.waitUntilConnected();
    expect(await ann.notKeptNote()).not.toBeNull();
    expect(await ann.ownKeyHalf()).not.toEqual(half);
  });
});
