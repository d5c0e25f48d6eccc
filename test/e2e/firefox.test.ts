/**
 * Firefox ESR beside Chromium, both at a LAN address over plain http (not a secure context): Firefox as a member, as
 * the host, and on both sides of a host change. Skipped, saying why, where Firefox ESR is not installed.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, type TestContext } from 'vitest';
import { loadedWasmHashing, sha256Of, useFileFolder } from './file-folder.ts';
import { breakThePolicy, textsOf, useE2eFixture } from './fixture.ts';
import { chatRound, expectHost } from './steps.ts';

const e2e = useE2eFixture({ firefox: true });
const { makeFile } = useFileFolder();

/** Skips the test, saying why, when this machine has no Firefox ESR. */
function needFirefox(context: TestContext): void {
  if (!e2e.firefoxMissing) return;
  // Said on stderr too: vitest's default reporter shows a skipped test but not its note.
  console.warn(`SKIPPED Firefox scenario: ${e2e.firefoxMissing}`);
  context.skip(`Firefox ESR: ${e2e.firefoxMissing}`);
}

describe('Firefox ESR and Chromium in one room, at a LAN address', () => {
  it('Firefox as a member: joins by invite link, chats, copies the link, comes back after a reload, leaves', { timeout: 90_000 }, async (context) => {
    needFirefox(context);
    const ann = await e2e.person();
    await ann.join('Ann');
    const invite = await ann.inviteLink();

    const fay = await e2e.firefoxPerson(invite);
    await fay.join('Fay');
    await fay.waitUntilConnected();
    await expectHost(fay, 2, 'Ann');
    expect(await fay.inviteLink()).toBe(invite);
    await chatRound([ann, fay], 'hello');
    // Firefox copies with execCommand on plain http; it says Copied only if that worked.
    expect(await fay.copyInvite()).toMatch(/^Copied\./);
    expect(await fay.paste()).toBe(invite);

    await fay.reload();
    await fay.waitUntilConnected();
    await fay.waitForChatLines(2);
    await chatRound([ann, fay], 'again');
    expect(textsOf(await fay.chatLines(), 'Fay')).toEqual(['hello 2', 'again 2']);

    await fay.leave();
    await fay.waitForJoinForm();
    await ann.waitForPeople(1);
    await ann.waitForText('Fay left');
  });

  it('Firefox as the host: creates the room, Chromium joins by its invite link, both chat and come back after reloads', { timeout: 90_000 }, async (context) => {
    needFirefox(context);
    const fay = await e2e.firefoxPerson();
    await fay.join('Fay');
    const invite = await fay.inviteLink();
    expect(new URL(invite).searchParams.get('server')).toBe(e2e.serverAddress());
    expect(fay.url()).toBe(invite);

    const bob = await e2e.person(invite);
    await bob.join('Bob');
    await bob.waitUntilConnected();
    await expectHost(bob, 2, 'Fay');
    await chatRound([fay, bob], 'hi');

    await bob.reload();
    await bob.waitUntilConnected();
    await bob.waitForChatLines(2);
    const safetyNumber = await bob.safetyNumberWith('Fay');
    await fay.reload();
    await fay.waitUntilConnected();
    await chatRound([fay, bob], 'back');
    expect(textsOf(await bob.chatLines(), 'Fay')).toEqual(['hi 1', 'back 1']);
    // Firefox kept Fay's key in IndexedDB across the reload: the same safety number, no key-change warning.
    expect(await bob.safetyNumberWith('Fay')).toEqual(safetyNumber);
    expect(await bob.keyStatusOf('Fay')).toBe('unverified');

    await bob.leave();
    await bob.waitForJoinForm();
    await fay.waitForText('Bob left');
  });

  it("Firefox under the server's CSP: the page works, and an inline script or style is blocked and reported", async (context) => {
    needFirefox(context);
    const fay = await e2e.firefoxPerson();
    await fay.join('Fay');
    await fay.waitUntilConnected();
    // Nothing so far (the fixture fails the test on any violation it is left with); now break the policy on purpose.
    expect(await e2e.takeCspViolations(0)).toStrictEqual([]);
    await fay.page.evaluate(breakThePolicy);
    const seen = (await e2e.takeCspViolations(2)).join('\n');
    expect(seen).toMatch(/style-src/);
    expect(seen).toMatch(/script-src/);
    expect(await fay.page.evaluate(() => (window as { inlineRan?: number }).inlineRan)).toBeUndefined();
  });

  it('hands the host role from Chromium to Firefox and from Firefox to Chromium, members of both kinds following', { timeout: 120_000 }, async (context) => {
    needFirefox(context);
    const hana = await e2e.person();
    await hana.join('Hana');
    const invite = await hana.inviteLink();
    const fay = await e2e.firefoxPerson(invite);
    await fay.join('Fay');
    await fay.waitUntilConnected();
    const bob = await e2e.person(invite);
    await bob.join('Bob');
    const gil = await e2e.firefoxPerson(invite);
    await gil.join('Gil');
    for (const person of [bob, gil]) await person.waitUntilConnected();
    await chatRound([hana, fay, bob, gil], 'one');

    // Chromium host gone: Fay, present longest, hosts in Firefox; Bob (Chromium) and Gil (Firefox) link to her.
    await hana.close();
    for (const person of [fay, bob, gil]) await expectHost(person, 3, 'Fay');
    await fay.waitForText('You are now the host');
    for (const person of [bob, gil]) await person.waitUntilConnected();
    await chatRound([fay, bob, gil], 'two');

    // Firefox host gone: Bob hosts in Chromium; Gil (Firefox) links to him.
    await fay.close();
    for (const person of [bob, gil]) await expectHost(person, 2, 'Bob');
    await gil.waitUntilConnected();
    await chatRound([bob, gil], 'three');
    for (const person of [bob, gil]) {
      const lines = await person.chatLines();
      expect(lines).toHaveLength(4 + 3 + 2);
      expect(textsOf(lines, 'Gil')).toEqual(['one 4', 'two 3', 'three 2']);
    }
  });

  it('files between Firefox and Chromium: each receives the other’s file intact', { timeout: 120_000 }, async (context) => {
    needFirefox(context);
    const ann = await e2e.person();
    await ann.join('Ann');
    const fay = await e2e.firefoxPerson(await ann.inviteLink());
    await fay.join('Fay');
    await fay.waitUntilConnected();
    await chatRound([ann, fay], 'files next');

    const toFay = makeFile('for fay.bin', 6 * 1024 * 1024);
    await ann.files.attachFile(toFay.path);
    const received = await fay.downloadedBytes('for fay.bin');
    expect(createHash('sha256').update(received).digest('hex')).toBe(toFay.sha256);

    const toAnn = makeFile('from fay.bin', 5 * 1024 * 1024 + 3);
    await fay.attachFile(toAnn.path);
    expect(sha256Of((await ann.files.download('from fay.bin')).path)).toBe(toAnn.sha256);
    // Both hashed with hash-wasm (under the CSP: no violation reported).
    expect(await ann.page.evaluate(loadedWasmHashing)).toBe(true);
    expect(await fay.page.evaluate(loadedWasmHashing)).toBe(true);
  });
});
