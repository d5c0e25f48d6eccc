import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, MAX_PEER_FRAME_BYTES, MAX_TEXT_LENGTH } from '../../../../shared/limits.ts';
import { parseHostMessage } from '../../../../shared/protocol/host-message.ts';
import { signedFieldsOf } from '../../../support/signed-chat.ts';

const delivered = {
  v: 1,
  type: 'chat',
  id: 'msg-0001',
  from: 'p1',
  name: 'Ann',
  seq: 3,
  ts: 1_700_000_000_000,
  body: { text: 'hello' },
  ...signedFieldsOf('p1'),
};
const raw = (value: unknown): string => JSON.stringify(value);

describe('parseHostMessage accepts', () => {
  it.each([
    ['a delivered chat', delivered],
    ['a delivered chat at the text limit', { ...delivered, body: { text: 'x'.repeat(MAX_TEXT_LENGTH) } }],
    ['an ack', { type: 'ack', ids: ['msg-0001'] }],
    ['an ack of several', { type: 'ack', ids: ['msg-0001', 'msg-0002'] }],
    ['a reject', { type: 'reject', code: 'ERR_BAD_MESSAGE', message: 'from does not match' }],
    ['a pong', { type: 'pong', ts: 42 }],
    ['a pong with a fractional ts', { type: 'pong', ts: 42.5 }],
    ['an empty sync', { type: 'sync', have: [] }],
    ["someone's typing", { type: 'typing', from: 'p1', active: true }],
    ["someone's typing stopped", { type: 'typing', from: 'p1', active: false }],
    ['a sync at the history limit', { type: 'sync', have: Array.from({ length: HISTORY_LIMIT }, (_, i) => `${'p'.repeat(64)}/${String(i).padStart(64, 'm')}`) }],
  ])('%s', (_label, message) => {
    expect(parseHostMessage(raw(message))).toStrictEqual({ ok: true, value: message });
  });

  it('trims the stamped name and strips unknown fields', () => {
    expect(parseHostMessage(raw({ ...delivered, name: ' Ann ', extra: 'x', body: { text: 'hello', extra: 1 } }))).toStrictEqual({
      ok: true,
      value: delivered,
    });
  });
});

describe('parseHostMessage rejects', () => {
  it.each([
    ['an unknown type', { type: 'roster' }],
    ['a member-only type', { type: 'ping', ts: 1 }],
    ['a sync over the history limit', { type: 'sync', have: Array.from({ length: HISTORY_LIMIT + 1 }, (_, i) => `peer/message-${i}`) }],
    ['a sync with a bad key', { type: 'sync', have: ['peer/short'] }],
    ['a sync with a bare id', { type: 'sync', have: ['message-0001'] }],
    ['a sync without have', { type: 'sync' }],
    ['a chat without the stamped name', { ...delivered, name: undefined }],
    ['a chat with an empty name', { ...delivered, name: ' ' }],
    ['a chat with a control character in the name', { ...delivered, name: 'A\u0000' }],
    ['a chat with a name over the limit', { ...delivered, name: 'n'.repeat(33) }],
    ['a chat with a numeric name', { ...delivered, name: 1 }],
    ['a chat with seq 0', { ...delivered, seq: 0 }],
    ['a chat with empty text', { ...delivered, body: { text: '' } }],
    ['a chat without a signature', { ...delivered, sig: undefined }],
    ['a chat with a short signature', { ...delivered, sig: 'A'.repeat(85) }],
    ['a chat with an author key that is not base64url', { ...delivered, author: '+'.repeat(86) }],
    ['a chat of another version', { ...delivered, v: 0 }],
    ['an ack without ids', { type: 'ack' }],
    ['an ack of nothing', { type: 'ack', ids: [] }],
    ['an ack with a bad id', { type: 'ack', ids: ['short'] }],
    ['an ack of the old single-id shape', { type: 'ack', id: 'msg-0001' }],
    ['an ack of too many ids', { type: 'ack', ids: Array.from({ length: 201 }, (_, i) => `msg-${String(i).padStart(4, '0')}`) }],
    ['a reject without code', { type: 'reject', message: 'x' }],
    ['a reject with a numeric code', { type: 'reject', code: 1, message: 'x' }],
    ['a reject without message', { type: 'reject', code: 'ERR_BAD_MESSAGE' }],
    ['a pong without ts', { type: 'pong' }],
    ['typing without from', { type: 'typing', active: true }],
    ['typing from a bad peer id', { type: 'typing', from: 'p/1', active: true }],
    ['typing without active', { type: 'typing', from: 'p1' }],
    ['a pong with a negative ts', { type: 'pong', ts: -1 }],
    ['JSON true', true],
  ])('%s with ERR_BAD_MESSAGE', (_label, message) => {
    const parsed = parseHostMessage(raw(message));
    expect(!parsed.ok && parsed.error.code).toBe('ERR_BAD_MESSAGE');
  });

  it('invalid JSON with ERR_BAD_MESSAGE', () => {
    const parsed = parseHostMessage('not json');
    expect(!parsed.ok && parsed.error.code).toBe('ERR_BAD_MESSAGE');
  });

  it('a frame over the data-channel limit with ERR_TOO_LARGE', () => {
    const parsed = parseHostMessage(raw({ ...delivered, body: { text: 'x'.repeat(MAX_PEER_FRAME_BYTES) } }));
    expect(!parsed.ok && parsed.error.code).toBe('ERR_TOO_LARGE');
  });
});
