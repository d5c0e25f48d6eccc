import { describe, expect, it } from 'vitest';
import { toBase64url } from '../../../shared/crypto/encoding.ts';
import { JOIN_CHALLENGE_BYTES } from '../../../shared/crypto/private-room.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { MAX_SIGNAL_FRAME_BYTES } from '../../../shared/limits.ts';
import { parseClientMessage } from '../../../shared/protocol/client-message.ts';
import { isOffer, type WireSignalData } from '../../../shared/protocol/fields.ts';
import { parseServerMessage } from '../../../shared/protocol/server-message.ts';
import { MAX_SIGNAL_PLAINTEXT_BYTES } from '../../../shared/crypto/wire.ts';
import { accessError, openRoom, provePrivateJoin, signalFormError, type RoomAccess } from '../../../signaling/private-rooms.ts';
import { InMemoryRoomRegistry } from '../../../signaling/rooms.ts';
import { newPrivateRoom, proofFor, sealedSignal } from '../../support/private-room.ts';

const challenge = new Uint8Array(JOIN_CHALLENGE_BYTES).fill(7);
const otherChallenge = new Uint8Array(JOIN_CHALLENGE_BYTES).fill(8);

describe('provePrivateJoin', () => {
  const keys = newPrivateRoom();
  const roomId = keys.room.roomId;

  it('accepts the room key signing this room and this challenge, and asks for private access under that key', () => {
    const claim = proofFor(keys, challenge);
    expect(provePrivateJoin(roomId, claim, challenge)).toStrictEqual({ ok: true, value: { kind: 'private', authKey: claim.authKey } });
  });

  it.each([
    ['a proof for another challenge (a replay)', () => proofFor(keys, otherChallenge), ErrorCode.BadProof],
    ['a proof for another room id', () => ({ ...proofFor(keys, challenge, 'elsewhere'), authKey: proofFor(keys, challenge).authKey }), ErrorCode.BadProof],
    ['a proof by another key', () => ({ authKey: proofFor(keys, challenge).authKey, proof: proofFor(newPrivateRoom(), challenge, roomId).proof }), ErrorCode.BadProof],
    ['a proof of zeros', () => ({ authKey: proofFor(keys, challenge).authKey, proof: toBase64url(new Uint8Array(64)) }), ErrorCode.BadProof],
    ['another room key, validly signed', () => proofFor(newPrivateRoom(), challenge, roomId), ErrorCode.RoomKeyMismatch],
    ['a key that does not decode', () => ({ ...proofFor(keys, challenge), authKey: 'not base64url!' }), ErrorCode.RoomKeyMismatch],
  ])('refuses %s', (_label, claim, code) => {
    expect(provePrivateJoin(roomId, claim(), challenge)).toStrictEqual({ ok: false, error: code });
  });
});

describe('accessError', () => {
  const a: RoomAccess = { kind: 'private', authKey: 'A' };
  const b: RoomAccess = { kind: 'private', authKey: 'B' };
  it.each([
    ['open into open', openRoom, openRoom, null],
    ['private into private, same key', a, a, null],
    ['open into private', a, openRoom, ErrorCode.PrivateRoom],
    ['private into open', openRoom, a, ErrorCode.RoomNotPrivate],
    ['private into private, another key', a, b, ErrorCode.RoomKeyMismatch],
  ])('%s', (_label, stored, requested, expected) => {
    expect(accessError(stored, requested)).toBe(expected);
  });
});

describe('signal forms', () => {
  const keys = newPrivateRoom();
  const sealed = sealedSignal(keys, { room: keys.room.roomId, from: 'a', to: 'b' }, { type: 'offer', sdp: 'v=0' }, 'offer');
  const plain: WireSignalData = { type: 'offer', sdp: 'v=0' };

  it('wants sealed signals in private rooms and plain ones in open rooms', () => {
    expect(signalFormError('private', sealed)).toBeNull();
    expect(signalFormError('private', plain)).toBe(ErrorCode.SignalNotSealed);
    expect(signalFormError('open', plain)).toBeNull();
    expect(signalFormError('open', sealed)).toBe(ErrorCode.SignalSealed);
  });

  it('counts plain and sealed offers as offers, nothing else', () => {
    expect([plain, sealed].map(isOffer)).toStrictEqual([true, true]);
    expect(isOffer({ ...sealed, kind: 'candidate' })).toBe(false);
    expect(isOffer({ type: 'answer', sdp: '' })).toBe(false);
  });

  it('parses a sealed signal both ways, and refuses one without kind or with a bad nonce', () => {
    const frame = { type: 'signal', to: 'b', data: sealed };
    expect(parseClientMessage(JSON.stringify(frame))).toStrictEqual({ ok: true, value: frame });
    expect(parseServerMessage(JSON.stringify({ type: 'signal', from: 'a', data: sealed })).ok).toBe(true);
    const { kind: _kind, ...kindless } = sealed;
    expect(parseClientMessage(JSON.stringify({ ...frame, data: kindless })).ok).toBe(false);
    expect(parseClientMessage(JSON.stringify({ ...frame, data: { ...sealed, sealed: { ...sealed.sealed, nonce: 'AAAA' } } })).ok).toBe(false);
  });

  it('lets the largest sealed signal fit one signaling frame', () => {
    const largest = sealedSignal(keys, { room: keys.room.roomId, from: 'a', to: 'b' }, 'x'.repeat(MAX_SIGNAL_PLAINTEXT_BYTES - 2), 'offer');
    const text = JSON.stringify({ type: 'signal', to: 'peer-id-of-64-characters'.padEnd(64, 'x'), data: largest });
    expect(text.length).toBeLessThanOrEqual(MAX_SIGNAL_FRAME_BYTES);
    expect(parseClientMessage(text).ok).toBe(true);
    const over = sealedSignal(keys, { room: keys.room.roomId, from: 'a', to: 'b' }, 'x'.repeat(MAX_SIGNAL_PLAINTEXT_BYTES - 1), 'offer');
    expect(parseClientMessage(JSON.stringify({ type: 'signal', to: 'b', data: over })).ok).toBe(false);
  });
});

describe('hello and private join frames', () => {
  const keys = newPrivateRoom();
  it('parse as the protocol says', () => {
    const hello = { type: 'hello', v: 1, challenge: toBase64url(challenge) };
    expect(parseServerMessage(JSON.stringify(hello))).toStrictEqual({ ok: true, value: hello });
    expect(parseServerMessage(JSON.stringify({ ...hello, challenge: toBase64url(challenge.slice(1)) })).ok).toBe(false);
    const join = { type: 'join', v: 1, room: keys.room.roomId, name: 'Ann', private: proofFor(keys, challenge) };
    expect(parseClientMessage(JSON.stringify(join))).toStrictEqual({ ok: true, value: join });
    expect(parseClientMessage(JSON.stringify({ ...join, private: { authKey: join.private.authKey } })).ok).toBe(false);
  });
});

describe('InMemoryRoomRegistry with access', () => {
  const entry = (id: string) => ({ id, name: id });
  const a: RoomAccess = { kind: 'private', authKey: 'A' };

  it('keeps the access a room was made with until it empties, then forgets it', async () => {
    const registry = new InMemoryRoomRegistry({ maxMembers: 4 });
    expect((await registry.join('r', entry('p1'), a)).ok).toBe(true);
    expect(await registry.access('r')).toStrictEqual(a);
    expect(await registry.join('r', entry('p2'))).toStrictEqual({ ok: false, error: ErrorCode.PrivateRoom });
    expect(await registry.join('r', entry('p2'), { kind: 'private', authKey: 'B' })).toStrictEqual({ ok: false, error: ErrorCode.RoomKeyMismatch });
    expect((await registry.join('r', entry('p2'), a)).ok).toBe(true);
    await registry.leave('r', 'p1');
    expect(await registry.access('r')).toStrictEqual(a);
    await registry.leave('r', 'p2');
    expect(await registry.access('r')).toBeNull();
    expect((await registry.join('r', entry('p3'))).ok).toBe(true);
    expect(await registry.access('r')).toStrictEqual(openRoom);
    expect(await registry.join('r', entry('p4'), a)).toStrictEqual({ ok: false, error: ErrorCode.RoomNotPrivate });
  });
});
