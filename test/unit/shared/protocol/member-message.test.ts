import { describe, expect, it } from 'vitest';
import { signedFieldsOf } from '../../../support/signed-chat.ts';
import { HISTORY_LIMIT, MAX_PEER_FRAME_BYTES, MAX_TEXT_LENGTH } from '../../../../shared/limits.ts';
import { parseMemberMessage } from '../../../../shared/protocol/member-message.ts';

const chat = { v: 1, type: 'chat', id: 'msg-0001', from: 'p1', seq: 1, ts: 1_700_000_000_000, body: { text: 'hi' }, ...signedFieldsOf('p1') };
/** `count` message keys of the longest allowed peer id and message id, so a sync at the limit is as big as it gets. */
const ids = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${'p'.repeat(64)}/${String(i).padStart(64, 'm')}`);
const raw = (value: unknown): string => JSON.stringify(value);

describe('parseMemberMessage accepts', () => {
  it.each([
    ['a chat', chat],
    ['a chat with a UUID id', { ...chat, id: '0b6f2c1e-8a9d-4c8e-9f1e-2a3b4c5d6e7f' }],
    ['a chat with an 8-character id', { ...chat, id: 'abcdefgh' }],
    ['a chat with a 64-character id', { ...chat, id: 'a'.repeat(64) }],
    ['a chat at the text limit', { ...chat, body: { text: 'x'.repeat(MAX_TEXT_LENGTH) } }],
    ["someone else's chat handed on", { type: 'forward', chat: { ...chat, name: 'Ann' } }],
    ['a chat with the largest safe seq', { ...chat, seq: Number.MAX_SAFE_INTEGER }],
    ['a chat at ts 0', { ...chat, ts: 0 }],
    ['a ping', { type: 'ping', ts: 123 }],
    ['a ping at ts 0', { type: 'ping', ts: 0 }],
    ['an empty sync', { type: 'sync', have: [] }],
    ['a sync at the history limit', { type: 'sync', have: ids(HISTORY_LIMIT) }],
    ['typing started', { type: 'typing', active: true }],
    ['typing stopped', { type: 'typing', active: false }],
  ])('%s', (_label, message) => {
    expect(parseMemberMessage(raw(message))).toStrictEqual({ ok: true, value: message });
  });

  it('strips a `from` a member puts on its typing: the host stamps it from the link', () => {
    expect(parseMemberMessage(raw({ type: 'typing', active: true, from: 'someone-else' }))).toStrictEqual({ ok: true, value: { type: 'typing', active: true } });
  });

  it('strips a `name` a member puts on its own chat: the host stamps names', () => {
    expect(parseMemberMessage(raw({ ...chat, name: 'Host', body: { text: 'hi', html: '<b>' } }))).toStrictEqual({
      ok: true,
      value: chat,
    });
  });
});

describe('parseMemberMessage rejects', () => {
  it.each([
    ['an unknown type', { type: 'typed' }],
    ['typing without active', { type: 'typing' }],
    ['typing with a string active', { type: 'typing', active: 'yes' }],
    ['a host-only type', { type: 'ack', ids: ['msg-0001'] }],
    ['no type', { ...chat, type: undefined }],
    ['a chat of another version', { ...chat, v: 2 }],
    ['a chat without v', { ...chat, v: undefined }],
    ['a chat with a 7-character id', { ...chat, id: 'abcdefg' }],
    ['a chat with a 65-character id', { ...chat, id: 'a'.repeat(65) }],
    ['a chat with a space in the id', { ...chat, id: 'msg 0001' }],
    ['a chat with a numeric id', { ...chat, id: 12345678 }],
    ['a chat with a bad from', { ...chat, from: 'p/1' }],
    ['a chat without from', { ...chat, from: undefined }],
    ['a chat with seq 0', { ...chat, seq: 0 }],
    ['a chat with a negative seq', { ...chat, seq: -1 }],
    ['a chat with a fractional seq', { ...chat, seq: 1.5 }],
    ['a chat with an unsafe seq', { ...chat, seq: Number.MAX_SAFE_INTEGER + 1 }],
    ['a chat with a string seq', { ...chat, seq: '1' }],
    ['a chat with a negative ts', { ...chat, ts: -1 }],
    ['a chat with a fractional ts', { ...chat, ts: 1.5 }],
    ['a chat without body', { ...chat, body: undefined }],
    ['a chat with a string body', { ...chat, body: 'hi' }],
    ['a chat with empty text', { ...chat, body: { text: '' } }],
    ['a chat without its author key', { ...chat, author: undefined }],
    ['a forward without a name', { type: 'forward', chat }],
    ['a chat with text over the limit', { ...chat, body: { text: 'x'.repeat(MAX_TEXT_LENGTH + 1) } }],
    ['a chat with numeric text', { ...chat, body: { text: 5 } }],
    ['a ping without ts', { type: 'ping' }],
    ['a ping with a negative ts', { type: 'ping', ts: -5 }],
    ['a ping with a string ts', { type: 'ping', ts: 'now' }],
    ['a sync without have', { type: 'sync' }],
    ['a sync over the history limit', { type: 'sync', have: ids(HISTORY_LIMIT + 1) }],
    ['a sync with a bad key', { type: 'sync', have: ['peer/ok-id-0001', 'peer/bad'] }],
    ['a sync with a bare id (no author)', { type: 'sync', have: ['ok-id-0001'] }],
    ['a sync whose have is a string', { type: 'sync', have: 'message-1' }],
    ['JSON null', null],
    ['a JSON array', [chat]],
  ])('%s with ERR_BAD_MESSAGE', (_label, message) => {
    const parsed = parseMemberMessage(raw(message));
    expect(!parsed.ok && parsed.error.code).toBe('ERR_BAD_MESSAGE');
  });

  it('invalid JSON with ERR_BAD_MESSAGE', () => {
    const parsed = parseMemberMessage('{"type":"ping","ts":1');
    expect(!parsed.ok && parsed.error.code).toBe('ERR_BAD_MESSAGE');
  });

  it('a frame one over the data-channel limit with ERR_TOO_LARGE', () => {
    const text = raw(chat);
    const atLimit = text + ' '.repeat(MAX_PEER_FRAME_BYTES - text.length);
    expect(parseMemberMessage(atLimit).ok).toBe(true);
    const parsed = parseMemberMessage(`${atLimit} `);
    expect(!parsed.ok && parsed.error.code).toBe('ERR_TOO_LARGE');
  });
});
