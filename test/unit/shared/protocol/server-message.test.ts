import { describe, expect, it } from 'vitest';
import { MAX_ROOM_MEMBERS, MAX_SIGNAL_FRAME_BYTES } from '../../../../shared/limits.ts';
import { parsePublicIdentity } from '../../../../shared/crypto/identity.ts';
import { parseServerMessage } from '../../../../shared/protocol/server-message.ts';

const welcome = { type: 'welcome', v: 1, peerId: 'p1', room: 'r1', iceServers: [], resumeToken: 'tok' };
const members = (count: number): { id: string; name: string }[] =>
  Array.from({ length: count }, (_, i) => ({ id: `p${i}`, name: `N${i}` }));
const roster = { type: 'roster', hostId: 'p0', members: members(2) };
const signal = { type: 'signal', from: 'p0', data: { type: 'answer', sdp: 'v=0' } };
const error = { type: 'error', code: 'ERR_NAME_TAKEN', message: 'taken' };
const raw = (value: unknown): string => JSON.stringify(value);

describe('parseServerMessage accepts', () => {
  it.each([
    ['a welcome', welcome],
    ['a welcome with ICE servers and a share URL', { ...welcome, iceServers: [{ urls: 'stun:s.example.invalid' }], shareUrl: 'http://192.168.1.5:8080/' }],
    ['a roster', roster],
    ['a roster of one', { type: 'roster', hostId: 'p0', members: members(1) }],
    ['a full roster', { type: 'roster', hostId: 'p0', members: members(MAX_ROOM_MEMBERS) }],
    ['a signal', signal],
    ['an error', error],
    ['a ping', { type: 'ping' }],
  ])('%s', (_label, message) => {
    expect(parseServerMessage(raw(message))).toStrictEqual({ ok: true, value: message });
  });

  it('a roster whose identities have the right form, without checking their keys (checked where a client uses one)', () => {
    // 86 characters of canonical base64url whose Ed25519 half is not a usable key: the roster parses, and
    // parsePublicIdentity refuses it where the key is used (signature checks, sealing, safety numbers).
    const message = { ...roster, members: [{ id: 'p0', name: 'N0', identity: `${'A'.repeat(85)}A` }] };
    expect(parsePublicIdentity(message.members[0]!.identity).ok).toBe(false);
    expect(parseServerMessage(raw(message))).toStrictEqual({ ok: true, value: message });
  });

  it('strips unknown fields', () => {
    expect(parseServerMessage(raw({ ...signal, to: 'p1', extra: 1 }))).toStrictEqual({ ok: true, value: signal });
  });
});

describe('parseServerMessage rejects', () => {
  it.each([
    ['an unknown type', { type: 'chat' }],
    ['a client-only type', { type: 'join', v: 1, room: 'r1', name: 'Ann' }],
    ['a pong (client-only)', { type: 'pong' }],
    ['no type', { peerId: 'p1' }],
    ['a welcome of another version', { ...welcome, v: 2 }],
    ['a welcome without peerId', { ...welcome, peerId: undefined }],
    ['a welcome with a bad peerId', { ...welcome, peerId: 'a b' }],
    ['a welcome with a bad room', { ...welcome, room: '' }],
    ['a welcome without iceServers', { ...welcome, iceServers: undefined }],
    ['a welcome with a malformed ICE server', { ...welcome, iceServers: [{ url: 'stun:x' }] }],
    ['a welcome without resumeToken', { ...welcome, resumeToken: undefined }],
    ['a welcome with a resumeToken over 128', { ...welcome, resumeToken: 't'.repeat(129) }],
    ['a welcome with a shareUrl that is no URL', { ...welcome, shareUrl: 'not a url' }],
    ['a roster without hostId', { type: 'roster', members: members(1) }],
    ['a roster with a bad hostId', { ...roster, hostId: '' }],
    ['a roster over the member limit', { ...roster, members: members(MAX_ROOM_MEMBERS + 1) }],
    ['a roster whose members is not a list', { ...roster, members: { p0: 'N0' } }],
    ['a roster entry without name', { ...roster, members: [{ id: 'p0' }] }],
    ['a roster entry with a control character in the name', { ...roster, members: [{ id: 'p0', name: 'A\nB' }] }],
    ['a roster entry with an identity one character short', { ...roster, members: [{ id: 'p0', name: 'N0', identity: 'A'.repeat(85) }] }],
    ['a roster entry with an identity that is not base64url', { ...roster, members: [{ id: 'p0', name: 'N0', identity: `${'A'.repeat(85)}=` }] }],
    ['a signal without from', { type: 'signal', data: signal.data }],
    ['a signal with bad data', { ...signal, data: { type: 'offer', sdp: 1 } }],
    ['an error without code', { type: 'error', message: 'x' }],
    ['an error with a numeric code', { ...error, code: 409 }],
    ['an error without message', { type: 'error', code: 'ERR_BAD_MESSAGE' }],
  ])('%s with ERR_BAD_MESSAGE', (_label, message) => {
    const parsed = parseServerMessage(raw(message));
    expect(!parsed.ok && parsed.error.code).toBe('ERR_BAD_MESSAGE');
  });

  it('invalid JSON with ERR_BAD_MESSAGE', () => {
    const parsed = parseServerMessage('{"type":');
    expect(!parsed.ok && parsed.error.code).toBe('ERR_BAD_MESSAGE');
  });

  it('an oversize frame with ERR_TOO_LARGE', () => {
    const text = raw(error);
    const parsed = parseServerMessage(text + ' '.repeat(MAX_SIGNAL_FRAME_BYTES - text.length + 1));
    expect(!parsed.ok && parsed.error.code).toBe('ERR_TOO_LARGE');
  });
});
