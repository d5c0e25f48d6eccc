import { describe, expect, it } from 'vitest';
import { MAX_SIGNAL_FRAME_BYTES } from '../../../../shared/limits.ts';
import { parseClientMessage } from '../../../../shared/protocol/client-message.ts';

const offer = { type: 'offer', sdp: 'v=0\r\n' };
const join = { type: 'join', v: 1, room: 'r1', name: 'Ann' };
const signal = { type: 'signal', to: 'peer-1', data: offer };
const raw = (value: unknown): string => JSON.stringify(value);

describe('parseClientMessage accepts', () => {
  it.each([
    ['a join', join],
    ['a join with a resume claim', { ...join, resume: { peerId: 'p1', token: 't'.repeat(128) } }],
    ['a signal with an offer', signal],
    ['a signal with a candidate', { type: 'signal', to: 'p', data: { type: 'candidate', candidate: { candidate: '' } } }],
    ['a leave', { type: 'leave' }],
    ['a host-unreachable report', { type: 'host-unreachable' }],
    ['a handover', { type: 'handover' }],
    ['a join that answers pings', { ...join, answersPing: true }],
    ['a pong', { type: 'pong' }],
  ])('%s', (_label, message) => {
    const parsed = parseClientMessage(raw(message));
    expect(parsed).toStrictEqual({ ok: true, value: message });
  });

  it('trims the name of a join', () => {
    const parsed = parseClientMessage(raw({ ...join, name: '  Ann ' }));
    expect(parsed.ok && parsed.value.type === 'join' && parsed.value.name).toBe('Ann');
  });

  it('strips a spoofed `from` and any other unknown field from a signal', () => {
    const parsed = parseClientMessage(raw({ ...signal, from: 'someone-else', data: { ...offer, from: 'x' }, admin: true }));
    expect(parsed).toStrictEqual({ ok: true, value: signal });
  });

  it('strips unknown fields from a join', () => {
    const parsed = parseClientMessage(raw({ ...join, peerId: 'chosen', hostId: 'me' }));
    expect(parsed).toStrictEqual({ ok: true, value: join });
  });

  it('accepts a frame of exactly the size limit', () => {
    const text = raw(join);
    const padded = text + ' '.repeat(MAX_SIGNAL_FRAME_BYTES - text.length);
    expect(padded).toHaveLength(MAX_SIGNAL_FRAME_BYTES);
    expect(parseClientMessage(padded).ok).toBe(true);
  });
});

describe('parseClientMessage rejects', () => {
  const badMessages: [string, unknown][] = [
    // Shape of the frame.
    ['an unknown type', { type: 'chat', text: 'hi' }],
    ['a server-only type', { type: 'welcome' }],
    ['a missing type', { room: 'r1', name: 'Ann' }],
    ['a numeric type', { type: 1 }],
    ['a type in another case', { type: 'JOIN', v: 1, room: 'r1', name: 'Ann' }],
    ['a JSON array', [join]],
    ['JSON null', null],
    ['a JSON string', 'join'],
    ['a JSON number', 42],
    // join
    ['a join without v', { type: 'join', room: 'r1', name: 'Ann' }],
    ['a join with another version', { ...join, v: 2 }],
    ['a join with a string version', { ...join, v: '1' }],
    ['a join without room', { type: 'join', v: 1, name: 'Ann' }],
    ['a join with a numeric room', { ...join, room: 5 }],
    ['a join with a bad room id', { ...join, room: 'a b' }],
    ['a join with a too long room id', { ...join, room: 'r'.repeat(65) }],
    ['a join without name', { type: 'join', v: 1, room: 'r1' }],
    ['a join with a numeric name', { ...join, name: 5 }],
    ['a join with a whitespace-only name', { ...join, name: '   ' }],
    ['a join with a control character in the name', { ...join, name: 'A\u0007nn' }],
    ['a join with a too long name', { ...join, name: 'n'.repeat(33) }],
    ['a join with a string resume', { ...join, resume: 'p1' }],
    ['a join with a resume without token', { ...join, resume: { peerId: 'p1' } }],
    ['a join with a resume token over 128', { ...join, resume: { peerId: 'p1', token: 't'.repeat(129) } }],
    ['a join with a bad resume peer id', { ...join, resume: { peerId: 'p 1', token: 't' } }],
    ['a join with answersPing false', { ...join, answersPing: false }],
    ['a join with answersPing as a string', { ...join, answersPing: 'true' }],
    // signal
    ['a signal without to', { type: 'signal', data: offer }],
    ['a signal with a numeric to', { ...signal, to: 5 }],
    ['a signal with an empty to', { ...signal, to: '' }],
    ['a signal with a bad to', { ...signal, to: '../p' }],
    ['a signal without data', { type: 'signal', to: 'p' }],
    ['a signal with string data', { ...signal, data: 'v=0' }],
    ['a signal with an offer without sdp', { ...signal, data: { type: 'offer' } }],
    ['a signal with an unknown data type', { ...signal, data: { type: 'bye' } }],
    ['a signal with a bad candidate', { ...signal, data: { type: 'candidate', candidate: 'x' } }],
  ];

  it.each(badMessages)('%s with ERR_BAD_MESSAGE', (_label, message) => {
    const parsed = parseClientMessage(raw(message));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.code).toBe('ERR_BAD_MESSAGE');
  });

  it.each([
    ['empty text', ''],
    ['a lone brace', '{'],
    ['single quotes', "{'type':'leave'}"],
    ['a trailing comma', '{"type":"leave",}'],
    ['plain words', 'hello'],
  ])('%s as invalid JSON with ERR_BAD_MESSAGE', (_label, text) => {
    const parsed = parseClientMessage(text);
    expect(parsed).toStrictEqual({ ok: false, error: { code: 'ERR_BAD_MESSAGE', message: 'frame is not valid JSON' } });
  });

  it('a frame one character over the limit with ERR_TOO_LARGE, before parsing it', () => {
    const text = raw(join);
    const oversize = text + ' '.repeat(MAX_SIGNAL_FRAME_BYTES - text.length + 1);
    const parsed = parseClientMessage(oversize);
    expect(!parsed.ok && parsed.error.code).toBe('ERR_TOO_LARGE');
  });

  it('an oversize frame that is not even JSON with ERR_TOO_LARGE', () => {
    const parsed = parseClientMessage('{'.repeat(MAX_SIGNAL_FRAME_BYTES + 1));
    expect(!parsed.ok && parsed.error.code).toBe('ERR_TOO_LARGE');
  });

  it('names the offending field in the message', () => {
    const parsed = parseClientMessage(raw({ ...join, room: 'a b' }));
    expect(!parsed.ok && parsed.error.message).toMatch(/^room: /);
  });
});
