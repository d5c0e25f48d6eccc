import { describe, expect, it } from 'vitest';
import { createInviteSecret, formatInviteSecret } from '../../../shared/crypto/invite.ts';
import { derivePrivateRoom, verifyJoinProof } from '../../../shared/crypto/private-room.ts';
import { fromBase64url, toBase64url } from '../../../shared/crypto/encoding.ts';
import type { RandomBytes } from '../../../shared/crypto/random.ts';
import type { SignalData } from '../../../shared/protocol/fields.ts';
import {
  invalidInviteText,
  newPrivateInvite,
  readFragment,
  withFragment,
  withoutFragment,
} from '../../../web/src/app/private-invite.ts';
import { joinMessage, openRoomSignals, privateRoomSignals } from '../../../web/src/net/signal-codec.ts';

/** Deterministic bytes (a counter), so that tests can name the secret they made. */
function counterRandom(): RandomBytes {
  let next = 0;
  return (length) => Uint8Array.from({ length }, () => next++ & 0xff);
}

const page = new URL('http://chat.lan.test:8080/?server=chat.lan.test%3A8080');

describe('private invite links', () => {
  const invite = newPrivateInvite(counterRandom());

  it('puts the secret in the fragment only, and reads it back to the same room', () => {
    const link = withFragment(page, { secret: invite.secret });
    expect(link.hash).toBe(`#${invite.secret}`);
    expect(link.search).toBe(page.search);
    const read = readFragment(link);
    expect(read.kind === 'private' && read.invite.room.roomId).toBe(invite.room.roomId);
    expect(withoutFragment(link).href).toBe(page.href);
  });

  it('reads no fragment, or one with only a room title, as no invite', () => {
    expect(readFragment(page)).toEqual({ kind: 'none' });
    expect(readFragment(withFragment(page, { title: 'Book club' }))).toEqual({ kind: 'none' });
  });

  it('reads the secret beside a room title', () => {
    const read = readFragment(withFragment(page, { secret: invite.secret, title: 'Book club' }));
    expect(read.kind === 'private' && read.invite.room.roomId).toBe(invite.room.roomId);
  });

  it.each([
    ['cut short', (secret: string) => secret.slice(0, -5)],
    ['one character changed', (secret: string) => `${secret.slice(0, 10)}${secret[10] === 'A' ? 'B' : 'A'}${secret.slice(11)}`],
    ['padded', (secret: string) => `${secret}x`],
    ['not base64url', (secret: string) => `${secret.slice(0, -1)}!`],
  ])('refuses a secret %s with the sentence people read', (_case, edit) => {
    const link = new URL(page);
    link.hash = edit(invite.secret);
    expect(readFragment(link)).toEqual({ kind: 'invalid', message: invalidInviteText() });
    expect(invalidInviteText()).toMatch(/^This invite link is not valid/);
  });

  it('makes a different room from every new secret', () => {
    const random = counterRandom();
    expect(newPrivateInvite(random).room.roomId).not.toBe(newPrivateInvite(random).room.roomId);
  });
});

describe('signals and joins on the wire', () => {
  const secret = createInviteSecret(counterRandom());
  const room = derivePrivateRoom(secret);
  const codec = privateRoomSignals(room, counterRandom());
  const offer: SignalData = { type: 'offer', sdp: 'v=0\r\na=fingerprint:sha-256 AA:BB\r\n' };

  it('seals a signal so that only its route opens it, and hides the SDP', () => {
    const wire = codec.seal('ann', 'hana', offer);
    expect(wire).toMatchObject({ type: 'sealed', kind: 'offer' });
    expect(JSON.stringify(wire)).not.toContain('fingerprint');
    expect(codec.open('ann', 'hana', wire)).toEqual(offer);
    // Re-attributed or re-addressed by the server, it does not open.
    expect(codec.open('mallory', 'hana', wire)).toBeNull();
    expect(codec.open('ann', 'bob', wire)).toBeNull();
  });

  it('drops a sealed signal whose kind on the wire is not what was sealed, and any plain one', () => {
    const wire = codec.seal('ann', 'hana', offer);
    expect(wire.type === 'sealed' && codec.open('ann', 'hana', { ...wire, kind: 'answer' })).toBeNull();
    expect(codec.open('ann', 'hana', offer)).toBeNull();
  });

  it('drops a signal sealed under another room’s key', () => {
    const other = privateRoomSignals(derivePrivateRoom(createInviteSecret(() => new Uint8Array(32).fill(7))), counterRandom());
    expect(codec.open('ann', 'hana', other.seal('ann', 'hana', offer))).toBeNull();
  });

  it('proves membership over this connection’s challenge only', () => {
    const challenge = new Uint8Array(32).fill(9);
    const fields = codec.joinFields(toBase64url(challenge));
    const proof = fromBase64url(fields?.private?.proof ?? '');
    expect(proof.ok).toBe(true);
    if (!proof.ok) return;
    expect(fields?.private?.authKey).toBe(toBase64url(room.authPublicKey));
    expect(verifyJoinProof(room.authPublicKey, { room: room.roomId, challenge }, proof.value).ok).toBe(true);
    const another = new Uint8Array(32).fill(10);
    expect(verifyJoinProof(room.authPublicKey, { room: room.roomId, challenge: another }, proof.value).ok).toBe(false);
    expect(codec.joinFields(null)).toBeNull();
    expect(codec.joinFields('not a challenge')).toBeNull();
    expect(JSON.stringify(fields)).not.toContain(formatInviteSecret(secret));
  });

  it('leaves open rooms as they were: plain signals, no waiting, no proof', () => {
    expect(openRoomSignals.needsChallenge).toBe(false);
    expect(openRoomSignals.seal('ann', 'hana', offer)).toBe(offer);
    expect(openRoomSignals.open('ann', 'hana', codec.seal('ann', 'hana', offer))).toBeNull();
    const join = joinMessage({ room: 'r', name: 'Ann', identity: 'k' }, null, openRoomSignals.joinFields(null) ?? {});
    expect(join).toEqual({ type: 'join', v: 1, room: 'r', name: 'Ann', identity: 'k', answersPing: true });
  });
});
