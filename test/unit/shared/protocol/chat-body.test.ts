import { describe, expect, it } from 'vitest';
import { sealedBody } from '../../../../shared/chat-content.ts';
import { MAX_CHAT_PLAINTEXT_BYTES } from '../../../../shared/crypto/wire.ts';
import { MAX_PEER_FRAME_BYTES, MAX_TEXT_LENGTH } from '../../../../shared/limits.ts';
import { parseHostMessage } from '../../../../shared/protocol/host-message.ts';
import { parseMemberMessage } from '../../../../shared/protocol/member-message.ts';
import { signedDirect, signedFieldsOf, testKey } from '../../../support/signed-chat.ts';

const header = { v: 1, type: 'chat', id: 'msg-0001', from: 'p1', seq: 1, ts: 1_700_000_000_000, ...signedFieldsOf('p1') };
/** Well-formed sealed text of `bytes` plaintext bytes (nonce 24 bytes, ciphertext plus its 16-byte tag). */
const sealed = (bytes = 5) => sealedBody({ kind: 'room-sealed', sealed: { nonce: new Uint8Array(24), ciphertext: new Uint8Array(bytes + 16) } });
const dm = (bytes = 5) => ({ to: 'p2', recipient: testKey('p2'), ...sealed(bytes) });
const raw = (value: unknown): string => JSON.stringify(value);

describe('chat bodies', () => {
  it.each([
    ['open text', { text: 'hi' }],
    ["a private room's sealed text", sealed()],
    ['a direct message', dm()],
  ])('accepts %s, from a member and from the host', (_label, body) => {
    expect(parseMemberMessage(raw({ ...header, body }))).toStrictEqual({ ok: true, value: { ...header, body } });
    expect(parseHostMessage(raw({ ...header, name: 'Ann', body }))).toStrictEqual({ ok: true, value: { ...header, name: 'Ann', body } });
  });

  it.each([
    ['text and sealed together', { text: 'hi', ...sealed() }],
    ['a DM without its recipient', { to: 'p2', ...sealed() }],
    ['a DM without its peer id', { recipient: testKey('p2'), ...sealed() }],
    ['a DM that also carries text', { ...dm(), text: 'the plaintext' }],
    ['a recipient that is not a key', { ...dm(), recipient: 'A'.repeat(86) }],
    ['a bad peer id', { ...dm(), to: 'p 2' }],
    ['a short nonce', { sealed: { ...sealed().sealed, nonce: 'AAAA' } }],
    ['a ciphertext shorter than its tag', { sealed: { ...sealed().sealed, ciphertext: 'AAAA' } }],
    ['a ciphertext over the limit', sealed(MAX_CHAT_PLAINTEXT_BYTES + 1)],
    ['no variant at all', {}],
  ])('refuses %s', (_label, body) => {
    expect(parseMemberMessage(raw({ ...header, body }))).toMatchObject({ ok: false, error: { code: 'ERR_BAD_MESSAGE' } });
  });

  it('drops unknown keys of a body, as of every object', () => {
    expect(parseMemberMessage(raw({ ...header, body: { ...dm(), html: '<b>' } }))).toMatchObject({ ok: true, value: { body: dm() } });
  });

  it('fits the largest DM of 2000 characters in a peer frame with more than half of it to spare', () => {
    // Every character three UTF-8 bytes: the largest plaintext a 2000-character text can be.
    const chat = signedDirect('p1', 'p2', { id: 'm'.repeat(64), seq: Number.MAX_SAFE_INTEGER, text: '€'.repeat(MAX_TEXT_LENGTH), to: 'p'.repeat(64) });
    const frame = raw({ type: 'forward', chat: { ...chat, from: 'p'.repeat(64), name: 'n'.repeat(32) } });
    expect(parseMemberMessage(frame).ok).toBe(true);
    expect(frame.length).toBeLessThan(MAX_PEER_FRAME_BYTES / 2);
  });
});
