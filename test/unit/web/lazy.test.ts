import { describe, expect, it } from 'vitest';
import { Lazy } from '../../../web/src/app/lazy.ts';

describe('Lazy', () => {
  it('loads once, on the first get, and gives every caller the same module', async () => {
    let loads = 0;
    const lazy = new Lazy(async () => ({ n: ++loads }));
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
    expect(a).toBe(b);
    expect(await lazy.get()).toBe(a);
    expect(loads).toBe(1);
  });

  it('forgets a failed load, so the next get tries again', async () => {
    let loads = 0;
    const lazy = new Lazy(async () => {
      loads += 1;
      if (loads === 1) throw new Error('offline');
      return 'module';
    });
    await expect(lazy.get()).rejects.toThrow('offline');
    expect(await lazy.get()).toBe('module');
    expect(loads).toBe(2);
  });
});
