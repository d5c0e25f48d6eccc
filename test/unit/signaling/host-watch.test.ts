import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultHostWatch } from '../../../shared/liveness.ts';
import { HostWatch, type WatchedHost } from '../../../signaling/host-watch.ts';

/** A host whose page answers each ping at once while `answering` is true. */
class FakeHost implements WatchedHost {
  answering = true;
  pings = 0;
  cut = false;
  #heard = false;

  takeHeard(): boolean {
    const heard = this.#heard;
    this.#heard = false;
    return heard;
  }

  ping(): void {
    this.pings += 1;
    if (this.answering) this.#heard = true;
  }

  /** The page sent something of its own (a signal, say). */
  spoke(): void {
    this.#heard = true;
  }

  cutSilent(): void {
    this.cut = true;
  }
}

const { pingIntervalMs: interval, maxMissedPings: misses } = defaultHostWatch;

describe('HostWatch', () => {
  let watch: HostWatch;
  beforeEach(() => {
    vi.useFakeTimers();
    watch = new HostWatch(defaultHostWatch);
  });
  afterEach(() => {
    watch.stop();
    vi.useRealTimers();
  });

  it('pings a host at once and every interval, and keeps one that answers', () => {
    const host = new FakeHost();
    watch.watch(host);
    expect(host.pings).toBe(1);
    vi.advanceTimersByTime(interval * 100);
    expect(host.pings).toBe(101);
    expect(host.cut).toBe(false);
  });

  it('drops a host at the interval that makes its misses in a row reach the limit, not one before', () => {
    const host = new FakeHost();
    watch.watch(host);
    host.answering = false;
    // The first ping was answered; every later one is not.
    vi.advanceTimersByTime(interval * misses);
    expect(host.cut).toBe(false);
    vi.advanceTimersByTime(interval);
    expect(host.cut).toBe(true);
    expect(watch.size).toBe(0);
    const pings = host.pings;
    vi.advanceTimersByTime(interval * 10);
    expect(host.pings).toBe(pings);
  });

  it('keeps a host that is silent for one interval less than the limit and then answers (a long task)', () => {
    const host = new FakeHost();
    watch.watch(host);
    vi.advanceTimersByTime(interval);
    host.answering = false;
    vi.advanceTimersByTime(interval * (misses - 1));
    // The busy page runs again: it answers the pings that waited for it, and its misses start again from zero.
    host.spoke();
    host.answering = true;
    vi.advanceTimersByTime(interval * misses * 3);
    expect(host.cut).toBe(false);
  });

  it('counts anything the page sends, not only answers to pings', () => {
    const host = new FakeHost();
    host.answering = false;
    watch.watch(host);
    for (let i = 0; i < misses * 4; i++) {
      host.spoke();
      vi.advanceTimersByTime(interval);
    }
    expect(host.cut).toBe(false);
  });

  it('counts a server stall as one miss however long it lasted: the answers that came meanwhile are read after it', () => {
    const host = new FakeHost();
    watch.watch(host);
    host.answering = false;
    // A stalled server runs its timer once when it wakes up, before reading what arrived; the miss count goes to 1.
    watch.tick();
    host.spoke();
    host.answering = true;
    vi.advanceTimersByTime(interval * misses * 2);
    expect(host.cut).toBe(false);
  });

  it('stops pinging a host it no longer watches, and runs no timer with nobody to watch', () => {
    const host = new FakeHost();
    watch.watch(host);
    watch.watch(host);
    expect(host.pings).toBe(1);
    watch.unwatch(host);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(interval * misses * 2);
    expect(host.pings).toBe(1);
    expect(host.cut).toBe(false);
  });
});
