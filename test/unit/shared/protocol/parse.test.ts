import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ClientMessage } from '../../../../shared/protocol/client-message.ts';
import { byType, parseFrame } from '../../../../shared/protocol/parse.ts';

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

describe('byType', () => {
  const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
  // Valid and invalid frames of every client type, and frames whose `type` picks no option.
  const frames: unknown[] = [
    { type: 'join', v: 1, room: 'r1', name: 'Ann' },
    { type: 'join', v: 1, room: 'r1', name: ' Ann ', answersPing: true, resume: { peerId: 'p1', token: 't' } },
    { type: 'join', v: 2, room: 'r1', name: 'Ann' },
    { type: 'join', v: 1, room: 'bad room', name: 'Ann' },
    { type: 'join', v: 1, room: 'r1', name: '' },
    { type: 'signal', to: 'p1', data: { type: 'candidate', candidate } },
    { type: 'signal', to: 'p1', data: { type: 'offer', sdp: 'v=0' } },
    { type: 'signal', to: 'p1', data: { type: 'sealed', kind: 'offer', sealed: 'x' } },
    { type: 'signal', to: 'p1', data: { type: 'bogus' } },
    { type: 'signal', to: 7, data: { type: 'offer', sdp: 'v=0' } },
    { type: 'leave' },
    { type: 'leave', extra: 1 },
    { type: 'pong' },
    { type: 'handover' },
    { type: 'host-unreachable' },
    { type: 'toString' },
    { type: 'constructor' },
    { type: 'nope' },
    { type: 3 },
    {},
    [],
    null,
    'join',
  ];

  it.each(frames.map((frame) => [JSON.stringify(frame)]))('parses %s exactly as the whole variant does', (text) => {
    expect(parseFrame(byType(ClientMessage), text, 10_000)).toStrictEqual(parseFrame(ClientMessage, text, 10_000));
  });

  it('falls back to the whole variant when an option has no literal type', () => {
    const Loose = v.variant('type', [Point, v.object({ type: v.picklist(['a', 'b']) })]);
    expect(byType(Loose)({ type: 'point' })).toBe(Loose);
  });
});
