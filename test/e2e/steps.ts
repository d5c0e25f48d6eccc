import { expect } from 'vitest';
import type { ChatPerson } from './chat-page.ts';

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
