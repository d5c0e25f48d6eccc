import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CANDIDATE_LENGTH, MAX_NAME_LENGTH, MAX_SIGNAL_FRAME_BYTES, PEER_ID_PATTERN, ROOM_ID_PATTERN } from '../../../shared/limits.ts';
import { parseClientMessage } from '../../../shared/protocol/client-message.ts';
import { parseHostMessage } from '../../../shared/protocol/host-message.ts';
import { parseMemberMessage } from '../../../shared/protocol/member-message.ts';
import type { ProtocolError } from '../../../shared/protocol/parse.ts';
import { parseServerMessage } from '../../../shared/protocol/server-message.ts';
import type { Result } from '../../../shared/result.ts';

/**
 * Property tests of every boundary parser: no input makes one throw, every answer is a well-formed Result, what
 * is accepted survives a round trip unchanged, and nothing reaches Object.prototype.
 */

const parsers: Record<string, (raw: string) => Result<unknown, ProtocolError>> = {
  parseClientMessage,
  parseServerMessage,
  parseHostMessage,
  parseMemberMessage,
};

const NUM_RUNS = 400;

/** fast-check builds records without a prototype; the parser's output is plain JSON objects. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Checks the Result contract; returns the value when accepted. */
function checkResult(result: Result<unknown, ProtocolError>): void {
  if (result.ok) {
    expect(typeof result.value).toBe('object');
    return;
  }
  expect(['ERR_BAD_MESSAGE', 'ERR_TOO_LARGE']).toContain(result.error.code);
  expect(typeof result.error.message).toBe('string');
}

/** JSON values whose objects often carry the protocol's keys, so the schemas are exercised past the first check. */
const protocolishJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, 1, -1, 1.5, 2 ** 53, '', 'join', 'signal', 'offer', 'candidate', 'chat', 'ping', '__proto__'),
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom('type', 'v', 'room', 'name', 'to', 'from', 'data', 'sdp', 'candidate', 'resume', 'peerId', 'token', 'id', 'seq', 'ts', 'body', 'text', 'have', '__proto__', 'constructor'),
      tie('value'),
      { maxKeys: 6 },
    ),
  ),
})).value;

describe.each(Object.entries(parsers))('%s', (_name, parse) => {
  it('never throws on arbitrary text, and answers a well-formed Result', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => checkResult(parse(raw))), { numRuns: NUM_RUNS });
  });

  it('never throws on arbitrary JSON, and answers a well-formed Result', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => checkResult(parse(JSON.stringify(value)))), { numRuns: NUM_RUNS });
  });

  it('never throws on protocol-shaped JSON; what it accepts survives a round trip unchanged', () => {
    fc.assert(
      fc.property(protocolishJson, (value) => {
        const result = parse(JSON.stringify(value));
        checkResult(result);
        if (!result.ok) return;
        const again = parse(JSON.stringify(result.value));
        expect(again).toStrictEqual(result);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('does not let __proto__ or constructor keys reach Object.prototype', () => {
    fc.assert(
      fc.property(protocolishJson, (value) => {
        parse(`{"__proto__":{"polluted":${JSON.stringify(value)}},"constructor":{"prototype":{"polluted":1}},"type":"join"}`);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});

describe('parseClientMessage on valid messages', () => {
  const roomId = fc.stringMatching(ROOM_ID_PATTERN);
  const peerId = fc.stringMatching(PEER_ID_PATTERN);
  const name = fc
    .string({ minLength: 1, maxLength: MAX_NAME_LENGTH })
    .filter((text) => text.trim().length > 0 && text === text.trim() && !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(text));
  const join = fc.record(
    { type: fc.constant('join'), v: fc.constant(1), room: roomId, name, resume: fc.record({ peerId, token: fc.string({ maxLength: 128 }) }) },
    { requiredKeys: ['type', 'v', 'room', 'name'] },
  );
  const signal = fc.record({
    type: fc.constant('signal'),
    to: peerId,
    data: fc.oneof(
      fc.record({ type: fc.constantFrom('offer', 'answer'), sdp: fc.string({ maxLength: 2000 }) }),
      fc.record({
        type: fc.constant('candidate'),
        candidate: fc.record(
          {
            candidate: fc.string({ maxLength: MAX_CANDIDATE_LENGTH }),
            sdpMLineIndex: fc.option(fc.integer({ min: 0, max: 64 })),
            sdpMid: fc.option(fc.string({ maxLength: 64 })),
          },
          { requiredKeys: ['candidate'] },
        ),
      }),
    ),
  });
  const bare = fc.constantFrom({ type: 'leave' }, { type: 'host-unreachable' }, { type: 'handover' }, { type: 'pong' });

  it('accepts every well-formed client message as it was sent', () => {
    fc.assert(
      fc.property(fc.oneof(join, signal, bare), (message) => {
        const result = parseClientMessage(JSON.stringify(message));
        expect(result).toStrictEqual({ ok: true, value: plain(message) });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('drops every field the schema does not name, at any depth (nothing unchecked is forwarded)', () => {
    fc.assert(
      fc.property(signal, fc.dictionary(fc.string({ minLength: 1 }).filter((key) => !['type', 'to', 'data', '__proto__'].includes(key)), fc.jsonValue(), { minKeys: 1 }), (message, extra) => {
        const result = parseClientMessage(JSON.stringify({ ...extra, ...message, data: { ...message.data, from: 'spoof' } }));
        expect(result).toStrictEqual({ ok: true, value: plain(message) });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses every frame longer than the limit with ERR_TOO_LARGE, without parsing it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (extra) => {
        const result = parseClientMessage(`{"type":"leave"}${' '.repeat(MAX_SIGNAL_FRAME_BYTES + extra)}`);
        expect(result.ok ? null : result.error.code).toBe('ERR_TOO_LARGE');
      }),
      { numRuns: 50 },
    );
  });
});
