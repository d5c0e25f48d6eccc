import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameThrottle, RatePolicy, TokenBucket, ViolationMeter, type ThrottleVerdict } from '../../../shared/rate-limit.ts';

/** A bucket on a clock the test moves by hand. */
function bucketAt(capacity: number, perSecond: number): { bucket: TokenBucket; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  return { bucket: new TokenBucket(capacity, perSecond, () => clock.now), clock };
}

function takeMany(bucket: TokenBucket, count: number, scale = 1): number {
  let taken = 0;
  for (let i = 0; i < count; i++) if (bucket.take(scale)) taken += 1;
  return taken;
}

describe('TokenBucket', () => {
  it('lets a whole burst through at once, then nothing until time passes', () => {
    const { bucket } = bucketAt(60, 20);
    expect(takeMany(bucket, 100)).toBe(60);
    expect(bucket.take()).toBe(false);
  });

  it('lets a join, an offer and 20 ICE candidates through at once with the defaults', () => {
    const { bucket } = bucketAt(60, 20);
    expect(takeMany(bucket, 22)).toBe(22);
  });

  it('refills at the rate, up to the capacity and no further', () => {
    const { bucket, clock } = bucketAt(10, 20);
    takeMany(bucket, 10);
    clock.now += 100; // 2 tokens at 20/s
    expect(takeMany(bucket, 10)).toBe(2);
    clock.now += 60_000;
    expect(takeMany(bucket, 100)).toBe(10);
  });

  it('scales capacity and rate with the links a socket stands for', () => {
    const { bucket, clock } = bucketAt(10, 20);
    expect(takeMany(bucket, 100, 5)).toBe(50);
    clock.now += 100; // 2 tokens a link, five links
    expect(takeMany(bucket, 100, 5)).toBe(10);
    expect(bucket.take(0)).toBe(false); // below 1 counts as 1
  });

  it('gives each added link its own burst at once, and shrinks back when links go', () => {
    const { bucket } = bucketAt(10, 20);
    expect(takeMany(bucket, 5)).toBe(5);
    expect(takeMany(bucket, 100, 3)).toBe(25);
    expect(takeMany(bucket, 100, 1)).toBe(0);
  });

  it('ignores a clock that steps back', () => {
    const { bucket, clock } = bucketAt(5, 1);
    takeMany(bucket, 5);
    clock.now -= 10_000;
    expect(bucket.take()).toBe(false);
    clock.now += 10_000;
    expect(bucket.take()).toBe(false);
    clock.now += 1000;
    expect(bucket.take()).toBe(true);
  });

  it.each([[0, 1], [1, 0], [Number.NaN, 1], [1, -1]])('refuses capacity %s with rate %s', (capacity, rate) => {
    expect(() => new TokenBucket(capacity, rate)).toThrow(RangeError);
    expect(() => new RatePolicy(capacity, rate)).toThrow(RangeError);
  });

  it('keeps its own count on a policy it shares with other buckets', () => {
    const clock = { now: 0 };
    const policy = new RatePolicy(3, 1, () => clock.now);
    const [a, b] = [new TokenBucket(policy), new TokenBucket(policy)];
    expect(takeMany(a, 5)).toBe(3);
    expect(takeMany(b, 5)).toBe(3);
    clock.now += 1000;
    expect(takeMany(a, 5)).toBe(1);
  });

  it('is full exactly when it holds its whole allowance again, at the scale it was last used at', () => {
    const { bucket, clock } = bucketAt(10, 20);
    expect(bucket.full).toBe(true);
    bucket.take();
    expect(bucket.full).toBe(false);
    clock.now += 49; // 0.98 of a token back
    expect(bucket.full).toBe(false);
    clock.now += 1;
    expect(bucket.full).toBe(true);
    takeMany(bucket, 25, 3);
    clock.now += 1000; // 60 back at 3 links, more than the 25 taken
    expect(bucket.full).toBe(true);
    takeMany(bucket, 30, 3);
    clock.now += 400; // 24 of the 30 back
    expect(bucket.full).toBe(false);
  });

  it('never lets more through in any interval than the capacity plus what the rate refilled', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 300 }),
        (capacity, perSecond, gaps) => {
          const { bucket, clock } = bucketAt(capacity, perSecond);
          const start = clock.now;
          let taken = 0;
          for (const gap of gaps) {
            clock.now += gap;
            if (bucket.take()) taken += 1;
            expect(taken).toBeLessThanOrEqual(capacity + ((clock.now - start) / 1000) * perSecond + 1e-9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('FrameThrottle', () => {
  function verdicts(throttle: FrameThrottle, count: number, links = 1): ThrottleVerdict[] {
    return Array.from({ length: count }, () => throttle.judge(links));
  }

  it('passes a burst, warns once, drops quietly, and cuts after a whole burst of refusals', () => {
    const clock = { now: 0 };
    const throttle = new FrameThrottle(3, 1, () => clock.now);
    expect(verdicts(throttle, 8)).toStrictEqual(['pass', 'pass', 'pass', 'warn', 'drop', 'drop', 'cut', 'cut']);
  });

  it('forgives a client that slows down: a passed frame starts a new run', () => {
    const clock = { now: 0 };
    const throttle = new FrameThrottle(3, 1, () => clock.now);
    expect(verdicts(throttle, 5)).toStrictEqual(['pass', 'pass', 'pass', 'warn', 'drop']);
    clock.now += 1000;
    expect(verdicts(throttle, 5)).toStrictEqual(['pass', 'warn', 'drop', 'drop', 'cut']);
  });

  it('scales with the links a host stands for', () => {
    const throttle = new FrameThrottle(3, 1, () => 0);
    expect(verdicts(throttle, 10, 3).filter((verdict) => verdict === 'pass')).toHaveLength(9);
  });

  it('rests (is as good as new) only with a full bucket and no run of refusals', () => {
    const clock = { now: 0 };
    const throttle = new FrameThrottle(new RatePolicy(3, 1, () => clock.now));
    expect(throttle.resting).toBe(true);
    expect(verdicts(throttle, 4)).toStrictEqual(['pass', 'pass', 'pass', 'warn']);
    clock.now += 3000;
    expect(throttle.resting).toBe(false); // full again, but still in a run of refusals
    expect(verdicts(throttle, 1)).toStrictEqual(['pass']);
    expect(throttle.resting).toBe(false);
    clock.now += 1000;
    expect(throttle.resting).toBe(true);
    // As good as new: the same verdicts as a new throttle's from here on.
    const fresh = new FrameThrottle(new RatePolicy(3, 1, () => clock.now));
    expect(verdicts(throttle, 8)).toStrictEqual(verdicts(fresh, 8));
  });
});

describe('ViolationMeter', () => {
  /** A meter on a clock the test moves by hand: 20 violations, draining over 60 s. */
  function meterAt(): { meter: ViolationMeter; clock: { now: number } } {
    const clock = { now: 5_000_000 };
    return { meter: new ViolationMeter(20, 60_000, () => clock.now), clock };
  }

  function recordMany(meter: ViolationMeter, count: number): boolean[] {
    return Array.from({ length: count }, () => meter.record());
  }

  it('cuts on the 21st violation of a quick run, as the old lifetime count did', () => {
    const { meter } = meterAt();
    const cuts = recordMany(meter, 25);
    expect(cuts.indexOf(true)).toBe(20);
    expect(cuts.slice(20).every(Boolean)).toBe(true);
  });

  it('forgets violations over the window: 15, a window later 15 more, and none of them cuts', () => {
    const { meter, clock } = meterAt();
    expect(recordMany(meter, 15).some(Boolean)).toBe(false);
    clock.now += 60_000;
    expect(recordMany(meter, 15).some(Boolean)).toBe(false);
  });

  it('drains in proportion to the time passed: half a window takes off 10 of 15', () => {
    const { meter, clock } = meterAt();
    recordMany(meter, 15);
    clock.now += 30_000;
    expect(recordMany(meter, 15).some(Boolean)).toBe(false);
    expect(meter.record()).toBe(true);
  });

  it('without time passing, 15 and 15 more cut at the 21st', () => {
    const { meter } = meterAt();
    recordMany(meter, 15);
    expect(recordMany(meter, 15).indexOf(true)).toBe(5);
  });

  it('never cuts a socket that errs at most once every 3 s (the drain rate), however long it lives', () => {
    const { meter, clock } = meterAt();
    for (let i = 0; i < 10_000; i++) {
      clock.now += 3000;
      expect(meter.record()).toBe(false);
    }
  });

  it('is drained once every violation has drained away', () => {
    const { meter, clock } = meterAt();
    expect(meter.drained).toBe(true);
    recordMany(meter, 2);
    clock.now += 5999; // 2 violations drain in 6 s
    expect(meter.drained).toBe(false);
    clock.now += 1;
    expect(meter.drained).toBe(true);
  });

  it('drains nothing on a clock that steps back', () => {
    const { meter, clock } = meterAt();
    recordMany(meter, 20);
    clock.now -= 60_000;
    expect(meter.record()).toBe(true);
  });

  it.each([[0, 1], [1, 0], [Number.NaN, 1]])('refuses limit %s with window %s', (limit, windowMs) => {
    expect(() => new ViolationMeter(limit, windowMs)).toThrow(RangeError);
  });

  it('never lets more than the limit plus what the window drained pass without a cut', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 300 }), (gaps) => {
        const { meter, clock } = meterAt();
        const start = clock.now;
        let uncut = 0;
        for (const gap of gaps) {
          clock.now += gap;
          if (!meter.record()) uncut += 1;
          expect(uncut).toBeLessThanOrEqual(20 + ((clock.now - start) / 60_000) * 20 + 1e-9);
        }
      }),
      { numRuns: 200 },
    );
  });
});
