import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from '../../../signaling/deadlines.ts';

describe('Deadlines', () => {
  let expired: string[];
  let deadlines: Deadlines<string>;
  beforeEach(() => {
    vi.useFakeTimers();
    expired = [];
    deadlines = new Deadlines<string>(1000, (item) => expired.push(item), () => Date.now());
  });
  afterEach(() => {
    deadlines.stop();
    vi.useRealTimers();
  });

  it('expires each item its delay after it was added, in the order added', () => {
    deadlines.add('a');
    vi.advanceTimersByTime(400);
    deadlines.add('b');
    vi.advanceTimersByTime(599);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(399);
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a', 'b']);
    expect(deadlines.size).toBe(0);
  });

  it('never expires an item deleted before its time, and keeps the others on time', () => {
    deadlines.add('a');
    vi.advanceTimersByTime(100);
    deadlines.add('b');
    expect(deadlines.delete('a')).toBe(true);
    expect(deadlines.delete('a')).toBe(false);
    vi.advanceTimersByTime(1099);
    expect(expired).toEqual(['b']);
  });

  it('uses one timer however many items it holds, and none once it holds nothing', () => {
    for (let i = 0; i < 100; i++) deadlines.add(`s${i}`);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(expired).toHaveLength(100);
    expect(vi.getTimerCount()).toBe(0);
    deadlines.add('late');
    expect(vi.getTimerCount()).toBe(1);
  });

  it('expires nothing after stop', () => {
    deadlines.add('a');
    deadlines.stop();
    vi.advanceTimersByTime(5000);
    expect(expired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
