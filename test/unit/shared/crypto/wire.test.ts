import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { toBase64url } from '../../../../shared/crypto/encoding.ts';
import { encodePublicIdentity } from '../../../../shared/crypto/identity.ts';
import { derivePrivateRoom } from '../../../../shared/crypto/private-room.ts';
import {
  JoinChallengeText,
  MAX_CHAT_PLAINTEXT_BYTES,
  PublicIdentityText,
  RoomAuthKeyText,
  SealedChatText,
  SignatureText,
  decodeSealed,
  encodeSealed,
} from '../../../../shared/crypto/wire.ts';
import { MAX_PEER_FRAME_BYTES, MAX_TEXT_LENGTH } from '../../../../shared/limits.ts';
import { ann, counting, toHex } from './fixtures.ts';

const accepts = (schema: v.GenericSchema, value: unknown) => v.safeParse(schema, value).success;
const identity = encodePublicIdentity(ann.publicIdentity);
const sealed = { nonce: counting(24), ciphertext: counting(40) };

describe('wire schemas accept', () => {
  it.each<[string, v.GenericSchema, unknown]>([
    ['a public identity', PublicIdentityText, identity],
    ['a signature', SignatureText, toBase64url(new Uint8Array(64))],
    ['a room auth key', RoomAuthKeyText, toBase64url(derivePrivateRoom({ bytes: counting(32) }).authPublicKey)],
    ['a join challenge', JoinChallengeText, toBase64url(counting(32))],
    ['sealed text', SealedChatText, encodeSealed(sealed)],
    ['sealed text of the longest chat message', SealedChatText, encodeSealed({ nonce: counting(24), ciphertext: new Uint8Array(MAX_CHAT_PLAINTEXT_BYTES + 16) })],
  ])('%s', (_name, schema, value) => {
    expect(accepts(schema, value)).toBe(true);
  });
});

describe('wire schemas reject', () => {
  it.each<[string, v.GenericSchema, unknown]>([
    ['an identity one character short', PublicIdentityText, identity.slice(1)],
    ['an identity with a small-order signing key', PublicIdentityText, toBase64url(new Uint8Array(64))],
    ['an identity that is not a string', PublicIdentityText, 42],
    ['a signature of 63 bytes', SignatureText, toBase64url(new Uint8Array(63))],
    ['a non-canonical signature', SignatureText, `${toBase64url(new Uint8Array(64)).slice(0, -1)}B`],
    ['a room auth key of small order', RoomAuthKeyText, toBase64url(new Uint8Array(32))],
    ['a join challenge of 16 bytes', JoinChallengeText, toBase64url(new Uint8Array(16))],
    ['sealed text with a 12-byte nonce', SealedChatText, { ...encodeSealed(sealed), nonce: toBase64url(new Uint8Array(12)) }],
    ['sealed text shorter than its tag', SealedChatText, { ...encodeSealed(sealed), ciphertext: toBase64url(new Uint8Array(15)) }],
    ['sealed text over the chat limit', SealedChatText, encodeSealed({ nonce: counting(24), ciphertext: new Uint8Array(MAX_CHAT_PLAINTEXT_BYTES + 17) })],
    ['sealed text in standard base64', SealedChatText, { ...encodeSealed(sealed), ciphertext: 'ab+/' }],
    ['sealed text without a nonce', SealedChatText, { ciphertext: encodeSealed(sealed).ciphertext }],
  ])('%s', (_name, schema, value) => {
    expect(accepts(schema, value)).toBe(false);
  });
});

describe('sealed text on the wire', () => {
  it('decodes back to the same bytes', () => {
    const decoded = decodeSealed(encodeSealed(sealed));
    expect(decoded.ok && [toHex(decoded.value.nonce), toHex(decoded.value.ciphertext)]).toStrictEqual([
      toHex(sealed.nonce),
      toHex(sealed.ciphertext),
    ]);
  });

  it('refuses, as a result, what the schema would have refused', () => {
    expect(decodeSealed({ nonce: 'AA', ciphertext: '' }).ok).toBe(false);
  });

  it('leaves room in a data-channel frame for the longest sealed chat message and its signed fields', () => {
    const ciphertext = Math.ceil(((MAX_TEXT_LENGTH * 3 + 16) * 4) / 3);
    const fields = 2 * 86 /* author, recipient */ + 86 /* signature */ + 32 /* nonce */ + 512 /* envelope JSON */;
    expect(ciphertext + fields).toBeLessThan(MAX_PEER_FRAME_BYTES);
  });
});
