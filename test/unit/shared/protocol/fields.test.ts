import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { MAX_CANDIDATE_LENGTH, MAX_NAME_LENGTH, MAX_SDP_LENGTH } from '../../../../shared/limits.ts';
import { DisplayName, IceServer, PeerId, RoomId, SignalData } from '../../../../shared/protocol/fields.ts';

const accepts = (schema: v.GenericSchema, value: unknown): boolean => v.safeParse(schema, value).success;

describe('DisplayName', () => {
  it.each([
    ['a plain name', 'Ann', 'Ann'],
    ['surrounding spaces trimmed', '  Ann  ', 'Ann'],
    ['surrounding tab and newline trimmed', '\tAnn\n', 'Ann'],
    ['inner spaces kept', 'Ann Lee', 'Ann Lee'],
    ['exactly the limit', 'x'.repeat(MAX_NAME_LENGTH), 'x'.repeat(MAX_NAME_LENGTH)],
    ['the limit after trimming', `  ${'x'.repeat(MAX_NAME_LENGTH)}  `, 'x'.repeat(MAX_NAME_LENGTH)],
    ['non-Latin letters', 'Zoë 李', 'Zoë 李'],
    ['fullwidth letters', 'Ａｎｎ', 'Ａｎｎ'],
    ['an emoji', 'Ann 🎉', 'Ann 🎉'],
  ])('accepts %s', (_label, input, output) => {
    const parsed = v.safeParse(DisplayName, input);
    expect(parsed.success).toBe(true);
    expect(parsed.output).toBe(output);
  });

  it.each([
    ['empty', ''],
    ['only spaces', '    '],
    ['only whitespace of several kinds', ' \t\n\u00a0 '],
    ['one over the limit', 'x'.repeat(MAX_NAME_LENGTH + 1)],
    ['NUL inside', 'An\u0000n'],
    ['newline inside', 'Ann\nBob'],
    ['tab inside', 'Ann\tBob'],
    ['ESC (terminal escape)', 'Ann\u001b[31m'],
    ['DEL', 'Ann\u007f'],
    ['zero-width space (impersonation)', 'Ann\u200b'],
    ['bidi override', '\u202eAnn'],
    ['C1 control', 'Ann\u0085'],
    ['line separator', 'An\u2028n'],
    ['a number', 42],
    ['null', null],
    ['an object', { name: 'Ann' }],
  ])('rejects %s', (_label, input) => {
    expect(accepts(DisplayName, input)).toBe(false);
  });
});

describe.each([
  ['RoomId', RoomId],
  ['PeerId', PeerId],
])('%s', (_name, schema) => {
  it.each([['a'], ['Room_1-x'], ['ABC-def_123'], ['x'.repeat(64)]])('accepts %j', (input) => {
    expect(accepts(schema, input)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['65 characters', 'x'.repeat(65)],
    ['a space', 'my room'],
    ['a slash', 'a/b'],
    ['a dot-dot path', '../etc'],
    ['a dot', 'a.b'],
    ['percent-encoding', 'a%2e'],
    ['a non-ASCII letter', 'café'],
    ['a trailing newline', 'room\n'],
    ['a number', 7],
    ['null', null],
  ])('rejects %s', (_label, input) => {
    expect(accepts(schema, input)).toBe(false);
  });
});

describe('SignalData', () => {
  const candidateLine = 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host';

  it.each([
    ['an offer', { type: 'offer', sdp: 'v=0\r\n' }],
    ['an answer', { type: 'answer', sdp: 'v=0\r\n' }],
    ['an empty sdp', { type: 'offer', sdp: '' }],
    ['an sdp at the limit', { type: 'offer', sdp: 'x'.repeat(MAX_SDP_LENGTH) }],
    ['a full candidate', { type: 'candidate', candidate: { candidate: candidateLine, sdpMLineIndex: 0, sdpMid: '0', usernameFragment: 'abcd' } }],
    ['a candidate with nulls', { type: 'candidate', candidate: { candidate: candidateLine, sdpMLineIndex: null, sdpMid: null, usernameFragment: null } }],
    ['a bare candidate', { type: 'candidate', candidate: { candidate: candidateLine } }],
    ['the end-of-candidates marker', { type: 'candidate', candidate: { candidate: '' } }],
    ['a candidate line at the limit', { type: 'candidate', candidate: { candidate: 'x'.repeat(MAX_CANDIDATE_LENGTH) } }],
    ['sdpMLineIndex at its maximum', { type: 'candidate', candidate: { candidate: candidateLine, sdpMLineIndex: 64 } }],
  ])('accepts %s', (_label, input) => {
    expect(accepts(SignalData, input)).toBe(true);
  });

  it.each([
    ['an sdp one over the limit', { type: 'offer', sdp: 'x'.repeat(MAX_SDP_LENGTH + 1) }],
    ['a missing sdp', { type: 'offer' }],
    ['a numeric sdp', { type: 'answer', sdp: 42 }],
    ['pranswer', { type: 'pranswer', sdp: 'v=0' }],
    ['rollback', { type: 'rollback' }],
    ['an unknown type', { type: 'renegotiate' }],
    ['no type', { sdp: 'v=0' }],
    ['a candidate without its object', { type: 'candidate' }],
    ['a candidate given as a bare string', { type: 'candidate', candidate: candidateLine }],
    ['a candidate object without its line', { type: 'candidate', candidate: { sdpMid: '0' } }],
    ['a candidate line one over the limit', { type: 'candidate', candidate: { candidate: 'x'.repeat(MAX_CANDIDATE_LENGTH + 1) } }],
    ['a negative sdpMLineIndex', { type: 'candidate', candidate: { candidate: candidateLine, sdpMLineIndex: -1 } }],
    ['a fractional sdpMLineIndex', { type: 'candidate', candidate: { candidate: candidateLine, sdpMLineIndex: 0.5 } }],
    ['an sdpMLineIndex over 64', { type: 'candidate', candidate: { candidate: candidateLine, sdpMLineIndex: 65 } }],
    ['a string sdpMLineIndex', { type: 'candidate', candidate: { candidate: candidateLine, sdpMLineIndex: '0' } }],
    ['an sdpMid over 64 characters', { type: 'candidate', candidate: { candidate: candidateLine, sdpMid: 'm'.repeat(65) } }],
    ['a numeric sdpMid', { type: 'candidate', candidate: { candidate: candidateLine, sdpMid: 0 } }],
    ['a usernameFragment over 256 characters', { type: 'candidate', candidate: { candidate: candidateLine, usernameFragment: 'u'.repeat(257) } }],
    ['a string', 'offer'],
    ['an array', [{ type: 'offer', sdp: '' }]],
    ['null', null],
  ])('rejects %s', (_label, input) => {
    expect(accepts(SignalData, input)).toBe(false);
  });

  it('strips fields the schema does not know, at every level', () => {
    const parsed = v.parse(SignalData, {
      type: 'candidate',
      extra: 'x',
      candidate: { candidate: candidateLine, sdpMid: '0', __proto_hack: true },
    });
    expect(parsed).toStrictEqual({ type: 'candidate', candidate: { candidate: candidateLine, sdpMid: '0' } });
  });
});

describe('IceServer', () => {
  it.each([
    ['one url', { urls: 'stun:stun.example.invalid:3478' }],
    ['several urls', { urls: ['stun:a.example.invalid', 'turn:b.example.invalid'] }],
    ['TURN credentials', { urls: 'turn:t.example.invalid', username: 'u', credential: 'p' }],
  ])('accepts %s', (_label, input) => {
    expect(accepts(IceServer, input)).toBe(true);
  });

  it.each([
    ['no urls', { username: 'u' }],
    ['numeric urls', { urls: 3478 }],
    ['a list with a number', { urls: ['stun:a', 1] }],
    ['a numeric username', { urls: 'turn:t', username: 1 }],
    ['a bare string', 'stun:a'],
  ])('rejects %s', (_label, input) => {
    expect(accepts(IceServer, input)).toBe(false);
  });
});
