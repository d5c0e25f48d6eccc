import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parseFrame } from '../../../../shared/protocol/parse.ts';

const Point = v.object({ type: v.literal('point'), at: v.object({ x: v.number(), y: v.number() }) });

describe('parseFrame', () => {
  it('returns the schema output for a valid frame', () => {
    expect(parseFrame(Point, '{"type":"point","at":{"x":1,"y":2},"z":3}', 100)).toStrictEqual({
      ok: true,
      value: { type: 'point', at: { x: 1, y: 2 } },
    });
  });

  it('checks the size before anything else: an oversize frame is ERR_TOO_LARGE even if it is valid', () => {
    const text = '{"type":"point","at":{"x":1,"y":2}}';
    expect(parseFrame(Point, text, text.length).ok).toBe(true);
    expect(parseFrame(Point, text, text.length - 1)).toStrictEqual({
      ok: false,
      error: { code: 'ERR_TOO_LARGE', message: `frame is longer than ${text.length - 1} characters` },
    });
  });

  it.each([['{'], [''], ['undefined'], ['NaN'], ['{"a":1}{"b":2}'], ['\u0000']])('refuses %j as invalid JSON', (text) => {
    expect(parseFrame(Point, text, 100)).toStrictEqual({
      ok: false,
      error: { code: 'ERR_BAD_MESSAGE', message: 'frame is not valid JSON' },
    });
  });

  it('names the path of the first bad field in the error message', () => {
    const parsed = parseFrame(Point, '{"type":"point","at":{"x":1,"y":"2"}}', 100);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatchObject({ code: 'ERR_BAD_MESSAGE', message: expect.stringMatching(/^at\.y: /) });
  });

  it('never throws, whatever the text', () => {
    for (const text of ['__proto__', '{"__proto__":{"polluted":1}}', '[]', '"point"', '1e999', 'null']) {
      expect(() => parseFrame(Point, text, 100)).not.toThrow();
      expect(parseFrame(Point, text, 100).ok).toBe(false);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
