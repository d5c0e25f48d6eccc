import { describe, expect, it } from 'vitest';
import { sha256Of, useFileFolder } from './file-folder.ts';
import { useE2eFixture } from './fixture.ts';

const e2e = useE2eFixture();
const { makeFile } = useFileFolder();

describe('private rooms in Chromium at a plain-http LAN address', () => {
  it('creates a private room whose link carries the secret in the fragment only; the invited person chats both ways', async () => {
    const hana = await e2e.person();
    await hana.createPrivateRoom('Hana');
    await hana.waitUntilConnected();
    const invite = new URL(await hana.inviteLink());
    expect(invite.hash).toMatch(/^#[A-Za-z0-9_-]{48}$/);
    // The secret is never in the address bar (nor in what a reload sends the server).
    expect(new URL(hana.page.url()).hash).toBe('');

    const ann = await e2e.person(invite.href);
    expect(new URL(ann.page.url()).hash).toBe('');
    expect(await ann.privateNote()).toMatch(/Private room/);
    await ann.join('Ann');
    await ann.waitUntilConnected();
    await ann.say('only for the two of us');
    await hana.waitForText('only for the two of us');
    await hana.say('agreed');
    await ann.waitForText('agreed');
    expect(await ann.inviteLink()).toBe(invite.href);

    // A reload comes back into the private room, although the address bar no longer has the secret.
    await ann.reload();
    await ann.waitUntilConnected();
    await ann.waitForText('only for the two of us');
    await hana.say('welcome back');
    await ann.waitForText('welcome back');
  });

  it('refuses a cut or edited invite link with a sentence, and joins nothing', async () => {
    const hana = await e2e.person();
    await hana.createPrivateRoom('Hana');
    await hana.waitUntilConnected();
    const invite = new URL(await hana.inviteLink());
    const cut = new URL(invite);
    cut.hash = invite.hash.slice(0, -6);
    const mallory = await e2e.person(cut.href);
    expect(await mallory.joinAlert()).toMatch(/^This invite link is not valid/);
    expect(await mallory.privateNote()).toBeNull();
    expect(new URL(mallory.page.url()).hash).toBe('');

    // The room id alone (as the server knows it) does not let anyone in.
    const roomOnly = new URL(invite);
    roomOnly.hash = '';
    roomOnly.searchParams.set('room', new URL(hana.page.url()).searchParams.get('room') ?? '');
    const eve = await e2e.person(roomOnly.href);
    await eve.join('Eve');
    expect(await eve.joinAlert()).toMatch(/This room is private/);
    expect(await hana.waitForPeople(1)).toHaveLength(1);
  });

  it('sends a file sealed to one person: they download it intact, the host relays it and sees nothing', { timeout: 120_000 }, async () => {
    const hana = await e2e.person();
    await hana.createPrivateRoom('Hana');
    await hana.waitUntilConnected();
    const invite = await hana.inviteLink();
    const ann = await e2e.person(invite);
    await ann.join('Ann');
    await ann.waitUntilConnected();
    const bob = await e2e.person(invite);
    await bob.join('Bob');
    await bob.waitUntilConnected();
    await ann.say('ann here');
    await bob.waitForText('ann here');
    await bob.say('bob here');
    await ann.waitForText('bob here');

    const file = makeFile('for bob.pdf', 3 * 1024 * 1024);
    await ann.files.sendFileTo('Bob', file.path);
    const saved = await bob.files.download('for bob.pdf');
    expect(sha256Of(saved.path)).toBe(file.sha256);
    expect(await ann.files.fileEnd('for bob.pdf')).toBe('sent');
    // A file for the room, sealed with the room key: everyone gets it.
    const slides = makeFile('slides.bin', 1024 * 1024);
    await bob.files.attachFile(slides.path);
    expect(sha256Of((await hana.files.download('slides.bin')).path)).toBe(slides.sha256);
    expect(await hana.files.fileCard('for bob.pdf').count()).toBe(0);
  });
});
