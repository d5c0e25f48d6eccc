import { expect } from 'vitest';
import { HISTORY_LIMIT, REORDER_WINDOW_MS } from '../../shared/limits.ts';
import { messageKey } from '../../shared/protocol/envelope.ts';
import type { TimelineEntry } from '../../shared/timeline.ts';
import type { RoomSession, SessionSnapshot } from '../../web/src/net/room-session.ts';
import { chatLines, type SessionPool, until } from './sessions.ts';

/**
 * What adversarial tests check of the honest people in a room after each attack: they still chat both ways through
 * the host, their timelines keep the contract (nothing above older history), and a late joiner gets the history.
 */

/** The keys (author/id) of a snapshot's chat lines, in timeline order. */
export function chatKeys(snapshot: SessionSnapshot): string[] {
  return snapshot.timeline.flatMap((entry) => (entry.kind === 'chat' ? [messageKey(entry.message)] : []));
}

/** The lines a person had before an attack are still their first lines, in the same order. */
export function expectHistoryKept(before: SessionSnapshot, after: SessionSnapshot): void {
  const kept = chatKeys(before);
  expect(chatKeys(after).slice(0, kept.length)).toEqual(kept);
}

const arrivalOf = (entry: TimelineEntry): number => (entry.kind === 'chat' ? entry.receivedAt : entry.ts);

/**
 * No line sits above a line that arrived more than the re-order window before it: a late (or back-dated) message is
 * placed among recent lines only, never above older history.
 */
export function expectNoLineAboveOlderHistory(snapshot: SessionSnapshot): void {
  let latest = -Infinity;
  let latestIndex = -1;
  snapshot.timeline.forEach((entry, index) => {
    const arrival = arrivalOf(entry);
    if (arrival < latest - REORDER_WINDOW_MS) {
      const above = snapshot.timeline[latestIndex];
      throw new Error(`line ${index} (arrived ${arrival}) is below line ${latestIndex} (arrived ${latest}): ${JSON.stringify([above, entry])}`);
    }
    if (arrival > latest) [latest, latestIndex] = [arrival, index];
  });
}

/** The number of chat lines whose text is `text`. */
export const countText = (snapshot: SessionSnapshot, text: string): number =>
  snapshot.timeline.filter((entry) => entry.kind === 'chat' && entry.text === text).length;

/** Whether a snapshot has a chat line with this text. */
export const hasText = (text: string) => (snapshot: SessionSnapshot): boolean => countText(snapshot, text) > 0;

/**
 * Everyone in `people` (the host first) says one line tagged `label`; each of them sees every one of those lines
 * exactly once. Then a late joiner joins and gets exactly the host's recent history, the newest lines in the host's
 * order. (Not all in the host's order: a line its author back-dated long after history is at the end for those who
 * were there, and at its seq for a late joiner, for whom all history arrives at once.) Every timeline keeps the
 * arrival contract. Returns the late joiner.
 */
export async function expectRoomWorks(pool: SessionPool, room: string, people: readonly RoomSession[], label: string): Promise<RoomSession> {
  const [host] = people;
  if (!host) throw new Error('a room needs a host');
  await until(host, (s) => s.role === 'host');
  for (const person of people.slice(1)) await until(person, (s) => s.linkedToHost && s.roster.hostId === host.snapshot().selfId);
  const texts = people.map((person, i) => {
    const text = `${label} from #${i}`;
    const sent = person.send(text);
    if (!sent.ok) throw new Error(`${person.snapshot().name} could not send: ${sent.error.code}`);
    return text;
  });
  for (const person of people) {
    const seen = await until(person, (s) => texts.every((text) => countText(s, text) > 0));
    for (const text of texts) expect(countText(seen, text), `${seen.name} sees "${text}" once`).toBe(1);
    expectNoLineAboveOlderHistory(seen);
  }
  const late = await pool.join(room, `Late ${label}`.slice(0, 32));
  const recent = (): string[] => chatKeys(host.snapshot()).slice(-HISTORY_LIMIT);
  // The host's history, read once the late joiner has as many lines (a re-send may still have been on its way).
  const got = await until(late, (s) => chatKeys(s).length >= recent().length);
  expect([...chatKeys(got)].sort()).toEqual([...recent()].sort());
  expect(chatLines(got).slice(-texts.length)).toEqual(chatLines(host.snapshot()).slice(-texts.length));
  return late;
}
