import { describe, expect, it } from 'vitest';
import { useE2eFixture } from './fixture.ts';

const e2e = useE2eFixture();

describe('private messages in real Chromium, at a LAN address over plain http', () => {
  it('/msg Bob hello reaches Bob marked private; the host page shows nothing of it; People: Message sends one too', { timeout: 90_000 }, async () => {
    const hana = await e2e.person();
    await hana.join('Hana');
    const invite = await hana.inviteLink();
    const ann = await e2e.person(invite);
    await ann.join('Ann');
    const bob = await e2e.person(invite);
    await bob.join('Bob');
    for (const page of [ann, bob]) await page.waitUntilConnected();
    expect(await ann.isSecureContext()).toBe(false);
    await ann.waitForPeople(3);

    await ann.say('/msg Bob hello');
    expect(await bob.waitForPrivateText('hello')).toEqual([{ name: 'Ann → you (private)', text: 'hello' }]);
    expect(await ann.waitForPrivateText('hello')).toEqual([{ name: 'you → Bob (private)', text: 'hello' }]);
    // A room line after it: once the host shows that, it would have shown the DM before it.
    await ann.say('a room line');
    await hana.waitForText('a room line');
    expect(await hana.privateLines()).toEqual([]);
    expect(await hana.log.getByText('hello', { exact: true }).count()).toBe(0);
    expect((await hana.chatLines()).map((line) => line.text)).toEqual(['a room line']);

    // A name that matches nobody is refused with a reason, and the text stays.
    await ann.say('/msg Zed hi');
    expect(await ann.composerAlert()).toMatch(/No one called “Zed”/);
    expect(await ann.messageBox.inputValue()).toBe('/msg Zed hi');

    // People: Message puts "/msg Ann " in Bob's box, focused; what he types goes to Ann alone.
    await bob.startMessageTo('Ann');
    expect(await bob.messageBox.inputValue()).toBe('/msg Ann ');
    await bob.typeAndSend('hi back');
    expect(await ann.waitForPrivateText('hi back')).toContainEqual({ name: 'Bob → you (private)', text: 'hi back' });
    await bob.say('another room line');
    await hana.waitForText('another room line');
    expect(await hana.privateLines()).toEqual([]);
    expect(await hana.log.getByText('hi back', { exact: true }).count()).toBe(0);
  });
});
