import { describe, expect, it } from 'vitest';
import { MAX_ROOM_TITLE_LENGTH } from '../../shared/limits.ts';
import type { ChatPage } from './chat-page.ts';
import { useE2eFixture } from './fixture.ts';

const e2e = useE2eFixture();

/** Fills Name and Room title on a fresh join form and presses Join, or Create private room. */
async function createTitled(person: ChatPage, name: string, title: string, kind: 'open' | 'private'): Promise<void> {
  await person.page.getByLabel('Room title', { exact: false }).fill(title);
  if (kind === 'open') await person.join(name);
  else await person.createPrivateRoom(name);
  await person.waitUntilConnected();
}

const heading = (person: ChatPage) => person.page.getByRole('banner').getByRole('heading', { level: 1 });

describe('room titles, in Chromium at a LAN address over plain http', () => {
  it('shows the creator’s title in the header, the tab and the invite, as text, to everyone who opens the link', { timeout: 60_000 }, async () => {
    const title = 'Book club <b>Tuesday</b>';
    const ann = await e2e.person();
    await createTitled(ann, 'Ann', title, 'open');
    expect(await heading(ann).innerText()).toBe(title);
    expect(await heading(ann).getAttribute('dir')).toBe('auto');
    expect(await heading(ann).locator('b').count()).toBe(0);
    expect(await ann.page.title()).toBe(`${title} · ChatUs`);
    const invite = new URL(await ann.inviteLink());
    expect(new URLSearchParams(invite.hash.slice(1)).get('title')).toBe(title);
    // Only the fragment carries it, which browsers never send to a server.
    expect(invite.search).not.toContain('Tuesday');

    const bob = await e2e.person(invite.href);
    await bob.waitForJoinForm();
    expect(await bob.page.getByText('You are invited to').innerText()).toBe(`You are invited to ${title}.`);
    expect(await bob.page.getByLabel('Room title', { exact: false }).count()).toBe(0);
    expect(await bob.page.title()).toBe(`${title} · ChatUs`);
    await bob.join('Bob');
    await bob.waitUntilConnected();
    expect(await heading(bob).innerText()).toBe(title);
    expect(new URLSearchParams(new URL(await bob.inviteLink()).hash.slice(1)).get('title')).toBe(title);

    // A reload comes back to the room with its title.
    await ann.reload();
    await ann.waitUntilConnected();
    expect(await heading(ann).innerText()).toBe(title);
  });

  it('drops the link’s title when the person names another room in the form: that room’s invite carries none', { timeout: 60_000 }, async () => {
    const ann = await e2e.person();
    await createTitled(ann, 'Ann', 'Lab talk', 'open');
    const cy = await e2e.person(await ann.inviteLink());
    await cy.waitForJoinForm();
    await cy.page.getByText('You are invited to').waitFor();
    await cy.page.getByLabel('Room', { exact: true }).fill('elsewhere');
    // Not invited to this one: the form asks for its title instead.
    expect(await cy.page.getByText('You are invited to').count()).toBe(0);
    await cy.page.getByLabel('Room title', { exact: false }).waitFor();
    await cy.join('Cy');
    await cy.waitUntilConnected();
    expect(await heading(cy).innerText()).toBe('Room elsewhere');
    const invite = new URL(await cy.inviteLink());
    expect(invite.searchParams.get('room')).toBe('elsewhere');
    expect(new URLSearchParams(invite.hash.slice(1)).get('title')).toBeNull();
    expect(await cy.page.title()).toBe('ChatUs');
  });

  it('cleans a title a link was edited to carry: no control or bidi characters, at most the limit', { timeout: 60_000 }, async () => {
    const ann = await e2e.person();
    await ann.join('Ann');
    await ann.waitUntilConnected();
    const edited = new URL(await ann.inviteLink());
    edited.hash = `title=${encodeURIComponent(`\u202E\u0007evil${'y'.repeat(200)}\n`)}`;
    const eve = await e2e.person(edited.href);
    await eve.join('Eve');
    await eve.waitUntilConnected();
    const shown = await heading(eve).innerText();
    expect(shown).toBe(`evil${'y'.repeat(MAX_ROOM_TITLE_LENGTH - 4)}`);
    // Ann's own page has no title: the link's title is the link's, not the room's on the server.
    expect(await heading(ann).innerText()).toMatch(/^Room /);
  });

  it('keeps a private room’s title in the link’s fragment beside the secret, out of the address bar', { timeout: 60_000 }, async () => {
    const ann = await e2e.person();
    await createTitled(ann, 'Ann', 'Secret garden', 'private');
    const invite = new URL(await ann.inviteLink());
    expect(invite.hash).toMatch(/^#[\w-]{48}&title=Secret\+garden$/);
    const bob = await e2e.person(invite.href);
    await bob.waitForJoinForm();
    expect(bob.url()).not.toContain('#');
    expect(await bob.page.getByText('You are invited to').innerText()).toBe('You are invited to Secret garden.');
    await bob.join('Bob');
    await bob.waitUntilConnected();
    expect(await heading(bob).innerText()).toBe('Secret garden');
    expect(await bob.inviteLink()).toBe(invite.href);
  });
});
