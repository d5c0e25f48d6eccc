import { describe, expect, it } from 'vitest';
import {
  openDirectChannel,
  openDirectMessage,
  sealDirectMessage,
  type DirectChannel,
  type DirectContent,
} from '../../../../shared/crypto/direct-message.ts';
import { toBase64url } from '../../../../shared/crypto/encoding.ts';
import { parsePublicIdentity, type Identity, type PublicIdentity } from '../../../../shared/crypto/identity.ts';
import { systemRandom } from '../../../../shared/crypto/random.ts';
import { signMessage, verifyMessage, type MessageHeader } from '../../../../shared/crypto/signing.ts';
import { ann, bob, cat, flipped, headerBy, seededRandom, toHex } from './fixtures.ts';

function channel(own: Identity, peer: PublicIdentity): DirectChannel {
  const opened = openDirectChannel(own, peer);
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

const annBob = channel(ann, bob.publicIdentity);
const bobAnn = channel(bob, ann.publicIdentity);
const header = headerBy(ann);
const seal = (text = 'just between us', h: MessageHeader = header): DirectContent =>
  sealDirectMessage(annBob, h, text, seededRandom(1));

describe('openDirectChannel', () => {
  it('agrees the same keys on both sides, crosswise', () => {
    expect(toHex(annBob.sendKey)).toBe(toHex(bobAnn.receiveKey));
    expect(toHex(annBob.receiveKey)).toBe(toHex(bobAnn.sendKey));
  });

  it('uses a different key in each direction and for each pair', () => {
    const annCat = channel(ann, cat.publicIdentity);
    const keys = [annBob.sendKey, annBob.receiveKey, annCat.sendKey, annCat.receiveKey].map(toHex);
    expect(new Set(keys).size).toBe(4);
  });

  it('refuses, as a result, a peer whose X25519 key is of small order', () => {
    const lowOrder = parsePublicIdentity(toBase64url(Uint8Array.from([...bob.publicIdentity.signing, 1, ...new Uint8Array(31)])));
    if (!lowOrder.ok) throw new Error('fixture');
    expect(openDirectChannel(ann, lowOrder.value)).toMatchObject({ ok: false, error: { code: 'ERR_BAD_KEY' } });
  });
});

describe('sealDirectMessage and openDirectMessage', () => {
  it('the recipient opens what the author sealed, and so does the author', () => {
    const content = seal();
    expect(content.recipient).toBe(bob.publicIdentity);
    expect(openDirectMessage(bobAnn, header, content)).toStrictEqual({ ok: true, value: 'just between us' });
    expect(openDirectMessage(annBob, header, content)).toStrictEqual({ ok: true, value: 'just between us' });
  });

  it('round-trips empty, long and astral text', () => {
    for (const text of ['', 'é'.repeat(2000), '👩🏽‍💻 ok']) {
      expect(openDirectMessage(bobAnn, header, seal(text))).toStrictEqual({ ok: true, value: text });
    }
  });

  it('composes with signing: sign the sealed content, verify, then open', () => {
    const content = seal();
    const signature = signMessage(ann, header, content);
    expect(verifyMessage(header, content, signature).ok).toBe(true);
    expect(openDirectMessage(bobAnn, header, content).ok).toBe(true);
  });

  it('a DM between other people is ERR_NOT_A_PARTY, not a throw', () => {
    const catAnn = channel(cat, ann.publicIdentity);
    expect(openDirectMessage(catAnn, header, seal())).toMatchObject({ ok: false, error: { code: 'ERR_NOT_A_PARTY' } });
  });

  it('throws when the header names another author (caller misuse)', () => {
    expect(() => sealDirectMessage(annBob, headerBy(bob), 'x', systemRandom)).toThrow();
  });
});

describe('openDirectMessage refuses tampering with ERR_DECRYPT', () => {
  const content = seal('meet at 6');
  const refused = { ok: false, error: { code: 'ERR_DECRYPT' } };

  it('any flipped byte of the ciphertext or the nonce', () => {
    const { nonce, ciphertext } = content.sealed;
    for (let i = 0; i < ciphertext.length; i++) {
      const changed = { ...content, sealed: { nonce, ciphertext: flipped(ciphertext, i) } };
      expect(openDirectMessage(bobAnn, header, changed)).toMatchObject(refused);
    }
    for (let i = 0; i < nonce.length; i++) {
      const changed = { ...content, sealed: { nonce: flipped(nonce, i), ciphertext } };
      expect(openDirectMessage(bobAnn, header, changed)).toMatchObject(refused);
    }
  });

  it.each<[string, MessageHeader]>([
    ['another room', { ...header, room: 'room-2' }],
    ['another id', { ...header, id: 'msg-00000002' }],
    ['another seq', { ...header, seq: 9 }],
    ['another ts', { ...header, ts: 1 }],
    ['another version', { ...header, v: 2 }],
  ])('a header moved to %s (associated data)', (_name, changed) => {
    expect(openDirectMessage(bobAnn, changed, content)).toMatchObject(refused);
  });

  it('a DM re-addressed back to its author (reflection: the other direction’s key)', () => {
    const reflected = { ...content, recipient: ann.publicIdentity };
    expect(openDirectMessage(annBob, { ...header, author: bob.publicIdentity }, reflected)).toMatchObject(refused);
  });

  it('a DM sealed on another channel (wrong key)', () => {
    const catBob = channel(cat, bob.publicIdentity);
    const forged = sealDirectMessage(catBob, headerBy(cat), 'from "ann"', seededRandom(2));
    expect(openDirectMessage(bobAnn, header, forged)).toMatchObject(refused);
  });

  it('a truncated ciphertext and a short nonce, without throwing', () => {
    const { nonce, ciphertext } = content.sealed;
    const cases = [
      { nonce, ciphertext: ciphertext.subarray(0, ciphertext.length - 1) },
      { nonce, ciphertext: new Uint8Array() },
      { nonce: nonce.subarray(0, 12), ciphertext },
    ];
    for (const sealed of cases) {
      expect(openDirectMessage(bobAnn, header, { ...content, sealed })).toMatchObject(refused);
    }
  });
});

describe('nonces', () => {
  it('never repeat over 10,000 seals with the system random source', () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 10_000; i++) nonces.add(toHex(sealDirectMessage(annBob, header, 'same', systemRandom).sealed.nonce));
    expect(nonces.size).toBe(10_000);
  });

  it('come from the injected random source, 24 bytes a seal', () => {
    const lengths: number[] = [];
    sealDirectMessage(annBob, header, 'x', (n) => {
      lengths.push(n);
      return new Uint8Array(n);
    });
    expect(lengths).toStrictEqual([24]);
  });
});
