import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toBase64url } from '../../../../shared/crypto/encoding.ts';
import { Label } from '../../../../shared/crypto/labels.ts';
import {
  JOIN_CHALLENGE_BYTES,
  PRIVATE_ROOM_ID_LENGTH,
  derivePrivateRoom,
  isPrivateRoomId,
  openRoomMessage,
  privateRoomId,
  sealRoomMessage,
  signJoinChallenge,
  verifyJoinProof,
  type JoinBinding,
} from '../../../../shared/crypto/private-room.ts';
import { openSignal, sealSignal, type SignalRoute } from '../../../../shared/crypto/sealed-signal.ts';
import { signMessage, verifyMessage } from '../../../../shared/crypto/signing.ts';
import { ROOM_ID_PATTERN } from '../../../../shared/limits.ts';
import { ann, bob, counting, flipped, headerBy, seededRandom, toHex } from './fixtures.ts';

const secret = { bytes: counting(32) };
const room = derivePrivateRoom(secret);
const otherRoom = derivePrivateRoom({ bytes: counting(32, 1) });

describe('derivePrivateRoom', () => {
  it('is deterministic: every member derives the same id and keys', () => {
    expect(derivePrivateRoom({ bytes: counting(32) })).toStrictEqual(room);
  });

  it('derives each key with HKDF-SHA256 under its own label, as Node computes it', () => {
    const node = (label: string) => toHex(new Uint8Array(hkdfSync('sha256', secret.bytes, new Uint8Array(), label, 32)));
    expect(toHex(room.authSeed)).toBe(node(Label.roomAuth));
    expect(toHex(room.messageKey)).toBe(node(Label.roomMessageKey));
    expect(toHex(room.signalKey)).toBe(node(Label.roomSignalKey));
  });

  it('gives label-separated values: no key equals another, the secret, or the id', () => {
    const values = [secret.bytes, room.authSeed, room.authPublicKey, room.messageKey, room.signalKey].map(toHex);
    expect(new Set(values).size).toBe(values.length);
  });

  it('gives a 22-character room id that fits ROOM_ID_PATTERN and is the hash of the auth key', () => {
    expect(room.roomId).toHaveLength(PRIVATE_ROOM_ID_LENGTH);
    expect(room.roomId).toMatch(ROOM_ID_PATTERN);
    expect(room.roomId).toBe(privateRoomId(room.authPublicKey));
    expect(isPrivateRoomId(room.roomId, room.authPublicKey)).toBe(true);
    expect(isPrivateRoomId(room.roomId, otherRoom.authPublicKey)).toBe(false);
    expect(otherRoom.roomId).not.toBe(room.roomId);
  });

  it('matches the published ChatUs vector for the secret 00 01 … 1f', () => {
    expect([room.roomId, toBase64url(room.authPublicKey), toHex(room.messageKey), toHex(room.signalKey)]).toStrictEqual(
      ROOM_VECTOR,
    );
  });
});

describe('join proofs', () => {
  const challenge = seededRandom(10)(JOIN_CHALLENGE_BYTES);
  const binding: JoinBinding = { room: room.roomId, challenge };
  const proof = signJoinChallenge(room.authSeed, binding);

  it('verify for the room and the challenge they answer', () => {
    expect(proof).toHaveLength(64);
    expect(verifyJoinProof(room.authPublicKey, binding, proof)).toStrictEqual({ ok: true, value: true });
  });

  const refused = { ok: false, error: { code: 'ERR_BAD_SIGNATURE' } };
  it.each<[string, Uint8Array, JoinBinding, Uint8Array]>([
    ['replayed on another connection (another challenge)', room.authPublicKey, { ...binding, challenge: seededRandom(11)(32) }, proof],
    ['presented for another room', room.authPublicKey, { ...binding, room: otherRoom.roomId }, proof],
    ['checked against another room’s key', otherRoom.authPublicKey, binding, proof],
    ['made with another room’s key', room.authPublicKey, binding, signJoinChallenge(otherRoom.authSeed, binding)],
    ['with a flipped bit', room.authPublicKey, binding, flipped(proof, 40)],
    ['truncated', room.authPublicKey, binding, proof.subarray(0, 63)],
    ['empty', room.authPublicKey, binding, new Uint8Array()],
    ['for a challenge that is a prefix of the real one', room.authPublicKey, { ...binding, challenge: challenge.subarray(0, 31) }, proof],
    ['for a challenge shorter than 16 bytes', room.authPublicKey, { ...binding, challenge: new Uint8Array(8) }, proof],
    ['checked against a 31-byte key', room.authPublicKey.subarray(0, 31), binding, proof],
  ])('are refused when %s', (_name, key, checked, presented) => {
    expect(verifyJoinProof(key, checked, presented)).toMatchObject(refused);
  });

  it('cannot be made for a challenge shorter than 16 bytes (caller misuse)', () => {
    expect(() => signJoinChallenge(room.authSeed, { ...binding, challenge: new Uint8Array(15) })).toThrow();
  });
});

describe('room messages', () => {
  const header = headerBy(ann, { room: room.roomId });
  const content = sealRoomMessage(room, header, 'members only', seededRandom(4));
  const refused = { ok: false, error: { code: 'ERR_DECRYPT' } };

  it('open for every member, and compose with the author’s signature', () => {
    expect(openRoomMessage(derivePrivateRoom(secret), header, content)).toStrictEqual({ ok: true, value: 'members only' });
    expect(verifyMessage(header, content, signMessage(ann, header, content)).ok).toBe(true);
  });

  it('do not open with another room’s key, under another header, or with any byte changed', () => {
    expect(openRoomMessage(otherRoom, header, content)).toMatchObject(refused);
    for (const changed of [{ ...header, seq: 2 }, { ...header, id: 'msg-other-1' }, { ...header, author: bob.publicIdentity }]) {
      expect(openRoomMessage(room, changed, content)).toMatchObject(refused);
    }
    const { nonce, ciphertext } = content.sealed;
    for (let i = 0; i < ciphertext.length; i++) {
      expect(openRoomMessage(room, header, { kind: 'room-sealed', sealed: { nonce, ciphertext: flipped(ciphertext, i) } })).toMatchObject(refused);
    }
    for (let i = 0; i < nonce.length; i++) {
      expect(openRoomMessage(room, header, { kind: 'room-sealed', sealed: { nonce: flipped(nonce, i), ciphertext } })).toMatchObject(refused);
    }
  });

  it('cannot be sealed under a header of another room (caller misuse)', () => {
    expect(() => sealRoomMessage(room, headerBy(ann, { room: 'room-1' }), 'x', seededRandom(5))).toThrow();
  });
});

describe('sealed signals', () => {
  const route: SignalRoute = { room: room.roomId, from: 'peer-a', to: 'peer-h' };
  const offer = JSON.stringify({ type: 'offer', sdp: 'v=0\r\na=fingerprint:sha-256 AB:CD\r\n' });
  const sealed = sealSignal(room, route, offer, seededRandom(6));
  const refused = { ok: false, error: { code: 'ERR_DECRYPT' } };

  it('open for the addressed member with the route the server stamped', () => {
    expect(openSignal(room, route, sealed)).toStrictEqual({ ok: true, value: offer });
  });

  it.each<[string, SignalRoute]>([
    ['re-attributed to another sender', { ...route, from: 'peer-x' }],
    ['re-addressed to another peer', { ...route, to: 'peer-x' }],
    ['turned around', { ...route, from: route.to, to: route.from }],
    ['moved to another room', { ...route, room: otherRoom.roomId }],
    ['with from/to boundary shifted', { ...route, from: 'peer-ap', to: 'eer-h' }],
  ])('do not open when %s', (_name, changed) => {
    expect(openSignal(room, changed, sealed)).toMatchObject(refused);
  });

  it('do not open with the room’s message key or another room’s keys, or with a byte changed', () => {
    expect(openSignal(otherRoom, route, sealed)).toMatchObject(refused);
    expect(openSignal({ ...room, signalKey: room.messageKey }, route, sealed)).toMatchObject(refused);
    expect(openSignal(room, route, { ...sealed, ciphertext: flipped(sealed.ciphertext, 5) })).toMatchObject(refused);
    expect(openSignal(room, route, { ...sealed, nonce: flipped(sealed.nonce, 23) })).toMatchObject(refused);
  });
});

// ChatUs's own vector for the secret 00 01 … 1f: room id, auth public key, message key, signal key.
const ROOM_VECTOR = [
  'Mh3o_unRIU7b6hRK-nZzvw',
  'fQ4n6HOFyrM1rM7WmPDQkrZ7tfbcmRiAOtOCexm4nYE',
  '4890e307cea5839ecc6c29de96fbb412c29263b01432b1c2e4c0ffed5069b54a',
  '7861b74f15e98dae9b44a20b37639c5fa1647ce0c646183a61b7a413db24502e',
];
