import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../shared/backoff.ts';

const policy = { baseMs: 500, maxMs: 10_000 };

describe('backoffDelay', () => {
  it.each([
    [0, 500],
    [1, 1000],
    [3, 4000],
    [5, 10_000],
    [40, 10_000],
  ])('attempt %i stays below a ceiling of %i ms', (attempt, ceiling) => {
    expect(backoffDelay(attempt, policy, () => 0.999999)).toBe(ceiling - 1);
    expect(backoffDelay(attempt, policy, () => 0)).toBe(0);
  });

  it('spreads clients over the whole window (full jitter)', () => {
    expect(backoffDelay(2, policy, () => 0.5)).toBe(1000);
  });
});
