import { describe, expect, it } from 'vitest';
import { RandomText } from '../../../signaling/random-text.ts';

describe('RandomText', () => {
  it('hands out base64url text of the asked number of bytes, never the same twice, across refills', () => {
    const random = new RandomText(64);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const text = random.take(12);
      expect(text).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(Buffer.from(text, 'base64url')).toHaveLength(12);
      seen.add(text);
    }
    expect(seen.size).toBe(200);
  });

  it('refuses more bytes than a block holds', () => {
    expect(() => new RandomText(16).take(17)).toThrow(RangeError);
  });
});
