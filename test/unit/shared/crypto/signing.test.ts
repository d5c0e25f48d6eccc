import { describe, expect, it } from 'vitest';
import type { PublicIdentity } from '../../../../shared/crypto/identity.ts';
import {
  associatedData,
  signMessage,
  signedBytes,
  verifyMessage,
  type MessageContent,
  type MessageHeader,
} from '../../../../shared/crypto/signing.ts';
import { ann, bob, cat, flipped, headerBy, toHex } from './fixtures.ts';

const header = headerBy(ann);
const sealed = { nonce: new Uint8Array(24).fill(7), ciphertext: new Uint8Array(20).fill(9) };
const contents: [string, MessageContent][] = [
  ['an open-room message', { kind: 'room', text: 'hello' }],
  ['a private-room message', { kind: 'room-sealed', sealed }],
  ['a direct message', { kind: 'dm', recipient: bob.publicIdentity, sealed }],
];

describe('signMessage and verifyMessage', () => {
  it.each(contents)('round-trip %s', (_name, content) => {
    const signature = signMessage(ann, header, content);
    expect(signature).toHaveLength(64);
    expect(verifyMessage(header, content, signature)).toStrictEqual({ ok: true, value: true });
  });

  it('signs deterministically (RFC 8032), so a re-sent message carries the same signature', () => {
    const content = contents[0]?.[1] as MessageContent;
    expect(toHex(signMessage(ann, header, content))).toBe(toHex(signMessage(ann, header, content)));
  });

  it('throws when the header names another author (caller misuse)', () => {
    expect(() => signMessage(bob, header, { kind: 'room', text: 'hi' })).toThrow();
  });

  it('throws on fields out of range when signing (caller misuse)', () => {
    expect(() => signMessage(ann, { ...header, seq: -1 }, { kind: 'room', text: 'hi' })).toThrow();
  });
});

describe('verifyMessage refuses what the host might change', () => {
  const content: MessageContent = { kind: 'room', text: 'pay Bob 10' };
  const signature = signMessage(ann, header, content);

  const headers: [string, MessageHeader][] = [
    ['another protocol version', { ...header, v: 2 }],
    ['another room (replay across rooms)', { ...header, room: 'room-2' }],
    ['another id', { ...header, id: 'msg-00000002' }],
    ['another author', { ...header, author: bob.publicIdentity }],
    ['another seq (reorder within a sender)', { ...header, seq: 2 }],
    ['another ts', { ...header, ts: header.ts + 1 }],
  ];
  it.each(headers)('%s', (_name, changed) => {
    expect(verifyMessage(changed, content, signature)).toMatchObject({ ok: false, error: { code: 'ERR_BAD_SIGNATURE' } });
  });

  const changedContents: [string, MessageContent, MessageContent][] = [
    ['changed text', content, { kind: 'room', text: 'pay Bob 100' }],
    ['a changed ciphertext byte', { kind: 'room-sealed', sealed }, { kind: 'room-sealed', sealed: { ...sealed, ciphertext: flipped(sealed.ciphertext, 3) } }],
    ['a changed nonce byte', { kind: 'room-sealed', sealed }, { kind: 'room-sealed', sealed: { ...sealed, nonce: flipped(sealed.nonce, 0) } }],
    ['a redirected DM', { kind: 'dm', recipient: bob.publicIdentity, sealed }, { kind: 'dm', recipient: cat.publicIdentity, sealed }],
    ['a DM passed off as a room message', { kind: 'dm', recipient: bob.publicIdentity, sealed }, { kind: 'room-sealed', sealed }],
  ];
  it.each(changedContents)('%s', (_name, original, changed) => {
    const signed = signMessage(ann, header, original);
    expect(verifyMessage(header, changed, signed)).toMatchObject({ ok: false, error: { code: 'ERR_BAD_SIGNATURE' } });
  });

  it('a flipped bit anywhere in the signature, a truncated or an empty signature', () => {
    for (let i = 0; i < signature.length; i++) {
      expect(verifyMessage(header, content, flipped(signature, i)).ok).toBe(false);
    }
    expect(verifyMessage(header, content, signature.subarray(0, 63)).ok).toBe(false);
    expect(verifyMessage(header, content, new Uint8Array()).ok).toBe(false);
  });

  it('fields out of range or text that is not well-formed, as a result rather than a throw', () => {
    expect(verifyMessage({ ...header, seq: 1.5 }, content, signature)).toMatchObject({ ok: false, error: { code: 'ERR_BAD_ENCODING' } });
    expect(verifyMessage(header, { kind: 'room', text: '\uD800' }, signature)).toMatchObject({
      ok: false,
      error: { code: 'ERR_BAD_ENCODING' },
    });
  });
});

describe('signedBytes is unambiguous', () => {
  const bytesOf = (h: MessageHeader, c: MessageContent): string => {
    const bytes = signedBytes(h, c);
    if (!bytes.ok) throw new Error(bytes.error.message);
    return toHex(bytes.value);
  };

  it('moving characters between room and id gives different bytes', () => {
    expect(bytesOf({ ...header, room: 'ab', id: 'c' }, contents[0]![1])).not.toBe(
      bytesOf({ ...header, room: 'a', id: 'bc' }, contents[0]![1]),
    );
  });

  it('swapping seq and ts gives different bytes', () => {
    expect(bytesOf({ ...header, seq: 1, ts: 2 }, contents[0]![1])).not.toBe(bytesOf({ ...header, seq: 2, ts: 1 }, contents[0]![1]));
  });

  it('moving bytes between nonce and ciphertext gives different bytes', () => {
    const a = { nonce: Uint8Array.of(1, 2), ciphertext: Uint8Array.of(3) };
    const b = { nonce: Uint8Array.of(1), ciphertext: Uint8Array.of(2, 3) };
    expect(bytesOf(header, { kind: 'room-sealed', sealed: a })).not.toBe(bytesOf(header, { kind: 'room-sealed', sealed: b }));
  });

  it('is never the associated data of the same header (distinct labels)', () => {
    const ad = associatedData(header, { kind: 'room-sealed' });
    expect(ad.ok && toHex(ad.value)).not.toBe(bytesOf(header, { kind: 'room-sealed', sealed }));
  });

  it('starts with the label and covers exactly the documented fields, in order', () => {
    const recipient: PublicIdentity = bob.publicIdentity;
    const hexOf = (text: string) => toHex(new TextEncoder().encode(text));
    const len = (n: number) => n.toString(16).padStart(8, '0');
    const expected =
      len(24) + hexOf('ChatUs v1 signed message') +
      '00000001' +
      len(6) + hexOf('room-1') +
      len(12) + hexOf('msg-00000001') +
      len(64) + toHex(ann.publicIdentity.signing) + toHex(ann.publicIdentity.agreement) +
      '0000000000000001' +
      header.ts.toString(16).padStart(16, '0') +
      '03' +
      len(64) + toHex(recipient.signing) + toHex(recipient.agreement) +
      len(24) + toHex(sealed.nonce) +
      len(20) + toHex(sealed.ciphertext);
    expect(bytesOf(header, { kind: 'dm', recipient, sealed })).toBe(expected);
  });
});
