import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OfferThrottle, RecentChanges, type OfferVerdict } from '../../../signaling/signal-guards.ts';

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

describe('OfferThrottle', () => {
  /** 3 offers at once, then 1 a second, 3 refusals in a row before they count as violations. */
  function throttleAt(): { throttle: OfferThrottle; clock: { now: number } } {
    const clock = { now: 2_000_000 };
    return { throttle: new OfferThrottle(3, 1, 3, () => clock.now), clock };
  }

  function offers(throttle: OfferThrottle, count: number, member = 'ann', host = 'host'): OfferVerdict[] {
    return Array.from({ length: count }, () => throttle.judge(member, host));
  }

  it('passes a burst of 3, refuses the next 3 without counting them, and counts each one after that', () => {
    const { throttle } = throttleAt();
    expect(offers(throttle, 8)).toStrictEqual(['pass', 'pass', 'pass', 'refuse', 'refuse', 'refuse', 'violation', 'violation']);
  });

  it('lets one offer a second through after the burst, and a passed offer starts a new run of refusals', () => {
    const { throttle, clock } = throttleAt();
    offers(throttle, 5);
    clock.now += 1000;
    expect(offers(throttle, 5)).toStrictEqual(['pass', 'refuse', 'refuse', 'refuse', 'violation']);
  });

  it('gives a member a full burst for a new host at once, even right after its burst to the old one', () => {
    const { throttle } = throttleAt();
    expect(offers(throttle, 4, 'ann', 'old-host')).toContain('refuse');
    expect(offers(throttle, 3, 'ann', 'new-host')).toStrictEqual(['pass', 'pass', 'pass']);
  });

  it('counts each member on its own', () => {
    const { throttle } = throttleAt();
    offers(throttle, 10, 'flooder');
    expect(offers(throttle, 3, 'honest')).toStrictEqual(['pass', 'pass', 'pass']);
  });

  it('never refuses a member whose offers come a second apart, after any first three', () => {
    // A member offers when a link to its host starts; a link that lives a second before it fails is re-offered after
    // it, whatever the relink backoff (shared/liveness.ts) draws.
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 999 }), { maxLength: 2 }),
        fc.array(fc.integer({ min: 1000, max: 10_000 }), { maxLength: 50 }),
        (quick, spaced) => {
          const { throttle, clock } = throttleAt();
          expect(throttle.judge('ann', 'host')).toBe('pass');
          for (const gap of [...quick, ...spaced]) {
            clock.now += gap;
            expect(throttle.judge('ann', 'host')).toBe('pass');
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('forgets a member that left: a newcomer with its id starts afresh, and memory stays bounded', () => {
    const { throttle } = throttleAt();
    offers(throttle, 5);
    throttle.forget('ann');
    expect(throttle.size).toBe(0);
    expect(offers(throttle, 1)).toStrictEqual(['pass']);
  });
});
