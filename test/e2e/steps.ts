import { expect } from 'vitest';
import type { ChatPage, ChatPerson } from './chat-page.ts';
import type { E2eFixture } from './fixture.ts';

/** Each of `people` says one line (`round 1`, `round 2` …), and every one of them sees all those lines arrive. */
export async function chatRound(people: readonly ChatPerson[], round: string): Promise<void> {
  const before = await Promise.all(people.map((person) => person.chatLines()));
  for (const [i, person] of people.entries()) await person.say(`${round} ${i + 1}`);
  const said = people.map((_, i) => `${round} ${i + 1}`);
  for (const [i, person] of people.entries()) {
    const lines = await person.waitForChatLines(before[i]!.length + people.length);
    expect(lines.slice(-people.length).map((line) => line.text).sort()).toEqual([...said].sort());
  }
}

/** Waits until `person`'s People list has `count` entries, and checks that `name`'s, and only it, says host. */
export async function expectHost(person: ChatPerson, count: number, name: string): Promise<void> {
  const people = await person.waitForPeople(count);
  expect(people.filter((entry) => entry.includes('host')), JSON.stringify(people)).toHaveLength(1);
  expect(people.find((entry) => entry.startsWith(name))).toContain('host');
}

/**
 * Tells `person`'s page it is in the background (or in front again), as the browser would: headless Chromium never
 * hides a page, so visibilityState is set and visibilitychange fired; everything after that is the app's own code.
 */
export function setHidden(person: ChatPage, hidden: boolean): Promise<void> {
  return person.page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** The first of `names` makes a room, the others join by its invite link; returns them once everyone's lines reach everyone. */
export async function linkedRoom(e2e: E2eFixture, names: readonly string[]): Promise<ChatPage[]> {
  const host = await e2e.person();
  await host.join(names[0]!);
  const invite = await host.inviteLink();
  const people = [host];
  for (const name of names.slice(1)) {
    const person = await e2e.person(invite);
    await person.join(name);
    await person.waitUntilConnected();
    people.push(person);
  }
  await chatRound(people, 'ready');
  return people;
}
