import { describe, expect, it } from 'vitest';
import { TYPING_EXPIRY_MS, TYPING_INTERVAL_MS } from '../../../shared/limits.ts';
import type { Roster } from '../../../shared/roster.ts';
import { RoomTyping } from '../../../web/src/net/room-typing.ts';

/** A room's typing with a hand-driven clock and timers, a role that records what it sends, and a change counter. */
function typingFixture() {
  const clock = { now: 0 };
  const sent: boolean[] = [];
  const timers: { at: number; action: () => void }[] = [];
  let roster: Roster = { hostId: 'me', members: [{ id: 'me', name: 'Me' }, { id: 'ann', name: 'Ann' }, { id: 'bo', name: 'Bo' }] };
  const changes = { count: 0 };
  const typing = new RoomTyping({
    now: () => clock.now,
    roster: () => roster,
    role: () => ({ sendTyping: (active) => void sent.push(active) }),
    later: (delayMs, action) => void timers.push({ at: clock.now + delayMs, action }),
    changed: () => void (changes.count += 1),
  });
  /** Moves the clock to `at`, running the timers due by then. */
  const advance = (at: number): void => {
    clock.now = at;
    for (const timer of timers.splice(0).sort((a, b) => a.at - b.at)) {
      if (timer.at <= at) timer.action();
      else timers.push(timer);
    }
  };
  const setRoster = (next: Roster): void => {
    roster = next;
  };
  return { typing, clock, sent, changes, advance, setRoster };
}

describe('RoomTyping', () => {
  it("sends this person's typing through the role, a start an interval at most, messages or not", () => {
    const { typing, sent, advance } = typingFixture();
    typing.composing(true);
    advance(1000);
    typing.composing(true);
    advance(TYPING_INTERVAL_MS);
    typing.composing(true);
    expect(sent).toEqual([true, true]);
    typing.composing(false);
    expect(sent).toEqual([true, true, false]);
    typing.sent();
    typing.composing(true);
    expect(sent).toEqual([true, true, false]);
    advance(2 * TYPING_INTERVAL_MS);
    typing.composing(true);
    expect(sent).toEqual([true, true, false, true]);
  });

  it("shows the others' typing in roster order until it expires, and redraws by itself when it does", () => {
    const { typing, changes, advance } = typingFixture();
    typing.heard('bo', true);
    advance(1000);
    typing.heard('ann', true);
    expect(typing.names()).toEqual(['Ann', 'Bo']);
    const before = changes.count;
    advance(TYPING_EXPIRY_MS + 100);
    expect(changes.count).toBeGreaterThan(before);
    expect(typing.names()).toEqual(['Ann']);
    advance(1000 + TYPING_EXPIRY_MS + 100);
    expect(typing.names()).toEqual([]);
  });

  it('clears a person on their message and when they leave the room', () => {
    const { typing, setRoster } = typingFixture();
    typing.heard('ann', true);
    typing.heard('bo', true);
    typing.spoke('ann');
    expect(typing.names()).toEqual(['Bo']);
    setRoster({ hostId: 'me', members: [{ id: 'me', name: 'Me' }, { id: 'ann', name: 'Ann' }] });
    expect(typing.names()).toEqual([]);
  });

  it('switched off, neither sends nor shows, and stops what this person was typing', () => {
    const { typing, sent, advance } = typingFixture();
    typing.heard('ann', true);
    typing.composing(true);
    typing.enabled = false;
    expect(sent).toEqual([true, false]);
    expect(typing.names()).toEqual([]);
    typing.heard('bo', true);
    typing.sent();
    typing.composing(true);
    expect(sent).toEqual([true, false]);
    expect(typing.names()).toEqual([]);
    typing.enabled = true;
    expect(typing.names()).toEqual([]);
    advance(TYPING_INTERVAL_MS);
    typing.composing(true);
    expect(sent).toEqual([true, false, true]);
  });
});
