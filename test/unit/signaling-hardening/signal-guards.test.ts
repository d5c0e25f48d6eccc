import { describe, expect, it } from 'vitest';
import { RecentChanges } from '../../../signaling/signal-guards.ts';

/** A record on a clock the test moves by hand: 30 s of grace, 4 entries a room. */
function recordAt(): { recent: RecentChanges; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  return { recent: new RecentChanges(30_000, 4, () => clock.now), clock };
}

describe('RecentChanges', () => {
  it('remembers a departure in its room only, for the grace and no longer', () => {
    const { recent, clock } = recordAt();
    recent.note('room-a', 'ann');
    expect(recent.has('room-a', 'ann')).toBe(true);
    expect(recent.has('room-b', 'ann')).toBe(false);
    expect(recent.has('room-a', 'bob')).toBe(false);
    clock.now += 29_999;
    expect(recent.has('room-a', 'ann')).toBe(true);
    clock.now += 1;
    expect(recent.has('room-a', 'ann')).toBe(false);
    expect(recent.roomCount).toBe(0);
  });

  it('restarts the grace when the same peer changes again', () => {
    const { recent, clock } = recordAt();
    recent.note('room', 'ann');
    clock.now += 20_000;
    recent.note('room', 'ann');
    clock.now += 20_000;
    expect(recent.has('room', 'ann')).toBe(true);
  });

  it('keeps at most its bound a room, forgetting the oldest first', () => {
    const { recent, clock } = recordAt();
    for (const peer of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']) {
      recent.note('room', peer);
      clock.now += 1;
    }
    expect(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((peer) => recent.has('room', peer))).toEqual([false, false, true, true, true, true]);
  });

  it('forgets a whole room at once', () => {
    const { recent } = recordAt();
    recent.note('room', 'ann');
    recent.note('other', 'bob');
    recent.forgetRoom('room');
    expect(recent.has('room', 'ann')).toBe(false);
    expect(recent.has('other', 'bob')).toBe(true);
    expect(recent.roomCount).toBe(1);
  });

  it('drops a room whose record has expired as soon as it is looked at', () => {
    const { recent, clock } = recordAt();
    for (let i = 0; i < 1000; i++) recent.note(`room-${i}`, 'ann');
    clock.now += 30_000;
    recent.note('room-0', 'bob');
    for (let i = 0; i < 1000; i++) recent.has(`room-${i}`, 'ann');
    expect(recent.roomCount).toBe(1);
  });

  it.each([[0, 1], [1, 0]])('refuses grace %s with bound %s', (graceMs, perRoom) => {
    expect(() => new RecentChanges(graceMs, perRoom)).toThrow(RangeError);
  });
});
