import { describe, expect, it } from 'vitest';
import { toBase64url } from '../../../shared/crypto/encoding.ts';
import { JOIN_CHALLENGE_BYTES } from '../../../shared/crypto/private-room.ts';
import { openSignal } from '../../../shared/crypto/sealed-signal.ts';
import { decodeSealed } from '../../../shared/crypto/wire.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import type { SealedSignalData } from '../../../shared/protocol/fields.ts';
import {
  challengeOf,
  joinPrivate,
  newPrivateRoom,
  privateJoinFrame,
  proofFor,
  sealedSignal,
  type PrivateRoomKeys,
} from '../../support/private-room.ts';
import { freshRoom, useServerAndClients, type WsClient } from '../../support/ws-client.ts';

/** Private rooms against a real server: who is admitted, who is not and why, and what their signals may be. */

const { pool } = useServerAndClients();

const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n' } as const;

type Joined = { client: WsClient; peerId: string; resumeToken: string };

async function joinedPrivate(keys: PrivateRoomKeys, name: string): Promise<Joined> {
  const client = await pool.open();
  const { welcome } = await joinPrivate(client, keys, name);
  return { client, peerId: welcome.peerId, resumeToken: welcome.resumeToken };
}

/** A private room with its creator (the host) and one member. */
async function privateRoomOfTwo(): Promise<{ keys: PrivateRoomKeys; host: Joined; ann: Joined }> {
  const keys = newPrivateRoom();
  const host = await joinedPrivate(keys, 'Host');
  const ann = await joinedPrivate(keys, 'Ann');
  await host.client.next('roster', { where: (r) => r.members.length === 2 });
  return { keys, host, ann };
}

/** Sends `frame` as a join on a new socket and resolves with the error it earns; the socket got no welcome. */
async function refusedJoin(frame: (client: WsClient) => Promise<unknown> | unknown): Promise<{ code: string; message: string; client: WsClient }> {
  const client = await pool.open();
  client.send(await frame(client));
  const error = await client.next('error');
  expect(client.received.join('\n')).not.toContain('"welcome"');
  return { code: error.code, message: error.message, client };
}

/**
 * Proves that nobody else was admitted: an honest member joins now, and the roster its join brings the host must list
 * exactly the members named (the server announces every change in order).
 */
async function expectOnlyMembers(keys: PrivateRoomKeys, host: Joined, names: string[]): Promise<void> {
  const late = await pool.open();
  await joinPrivate(late, keys, 'Late');
  const roster = await host.client.next('roster', { where: (r) => r.members.some((m) => m.name === 'Late') });
  expect(roster.members.map((m) => m.name)).toStrictEqual([...names, 'Late']);
}

describe('hello', () => {
  it('is the first frame on every socket, with a fresh challenge of JOIN_CHALLENGE_BYTES per connection', async () => {
    const a = await pool.open();
    const b = await pool.open();
    const [ca, cb] = [await challengeOf(a), await challengeOf(b)];
    expect(ca).toHaveLength(JOIN_CHALLENGE_BYTES);
    expect(toBase64url(ca)).not.toBe(toBase64url(cb));
    expect(JSON.parse(String(a.received[0]))).toMatchObject({ type: 'hello', v: 1 });
  });

  it('does not hold up an open-room join sent at once', async () => {
    const client = await pool.open();
    const { welcome } = await client.join(freshRoom('open'), 'Ann');
    expect(welcome.peerId).toMatch(/\S/);
    expect(JSON.parse(String(client.received[0]))['type']).toBe('hello');
  });
});

describe('a private room', () => {
  it('is made by its first joiner and joined by others who prove the key on their own connection', async () => {
    const keys = newPrivateRoom();
    const host = await pool.open();
    const made = await joinPrivate(host, keys, 'Host');
    expect(made.welcome.room).toBe(keys.room.roomId);
    expect(made.roster.hostId).toBe(made.welcome.peerId);
    const ann = await pool.open();
    const joined = await joinPrivate(ann, keys, 'Ann');
    expect(joined.roster.members.map((m) => m.name)).toStrictEqual(['Host', 'Ann']);
    expect(joined.roster.hostId).toBe(made.welcome.peerId);
  });

  it('refuses a join without a proof (an open-room join to its id), and admits nobody', async () => {
    const { keys, host } = await privateRoomOfTwo();
    const refused = await refusedJoin(() => ({ type: 'join', v: 1, room: keys.room.roomId, name: 'Eve' }));
    expect(refused.code).toBe(ErrorCode.PrivateRoom);
    expect(refused.message).toContain('invite link');
    await expectOnlyMembers(keys, host, ['Host', 'Ann']);
  });

  it('refuses a proof made with another secret under the right key', async () => {
    const { keys, host } = await privateRoomOfTwo();
    const other = newPrivateRoom();
    const refused = await refusedJoin(async (client) => {
      const challenge = await challengeOf(client);
      const wrong = proofFor(other, challenge, keys.room.roomId).proof;
      return { type: 'join', v: 1, room: keys.room.roomId, name: 'Eve', private: { authKey: proofFor(keys, challenge).authKey, proof: wrong } };
    });
    expect(refused.code).toBe(ErrorCode.BadProof);
    await expectOnlyMembers(keys, host, ['Host', 'Ann']);
  });

  it("refuses another member's proof replayed on a new connection", async () => {
    const keys = newPrivateRoom();
    const host = await joinedPrivate(keys, 'Host');
    // Ann's real join frame, exactly as she sent it: whoever saw it (a proxy, a log) replays it on its own socket.
    const ann = await pool.open();
    const annFrame = await privateJoinFrame(ann, keys, 'Ann');
    ann.send(annFrame);
    await ann.next('welcome');
    const refused = await refusedJoin(async (client) => {
      await challengeOf(client);
      return { ...annFrame, name: 'Eve' };
    });
    expect(refused.code).toBe(ErrorCode.BadProof);
    // Replayed as it was, name and all, once Ann has gone: still nothing.
    ann.terminate();
    await host.client.next('roster', { where: (r) => r.members.length === 1 });
    const again = await refusedJoin(() => annFrame);
    expect(again.code).toBe(ErrorCode.BadProof);
    await expectOnlyMembers(keys, host, ['Host']);
  });

  it('refuses a room key that is not the one the room id names, whether or not the room exists', async () => {
    const { keys, host } = await privateRoomOfTwo();
    const other = newPrivateRoom();
    // A valid proof by another room's key, for a room id that key does not own.
    const underForeignKey = (roomId: string) => async (client: WsClient) => ({
      type: 'join',
      v: 1,
      room: roomId,
      name: 'Eve',
      private: proofFor(other, await challengeOf(client), roomId),
    });
    expect((await refusedJoin(underForeignKey(keys.room.roomId))).code).toBe(ErrorCode.RoomKeyMismatch);
    // Squatting an id nobody uses yet under one's own key fails the same way, and leaves the id free.
    const unused = newPrivateRoom();
    expect((await refusedJoin(underForeignKey(unused.room.roomId))).code).toBe(ErrorCode.RoomKeyMismatch);
    const owner = await pool.open();
    const made = await joinPrivate(owner, unused, 'Owner');
    expect(made.roster.members.map((m) => m.name)).toStrictEqual(['Owner']);
    await expectOnlyMembers(keys, host, ['Host', 'Ann']);
  });

  it('cannot be made under the id of an open room in use, and the open room goes on', async () => {
    const keys = newPrivateRoom();
    const openHost = await pool.joined(keys.room.roomId, 'Opener');
    const refused = await refusedJoin(async (client) => privateJoinFrame(client, keys, 'Priv'));
    expect(refused.code).toBe(ErrorCode.RoomNotPrivate);
    const guest = await pool.joined(keys.room.roomId, 'Guest');
    expect(guest.roster.members.map((m) => m.name)).toStrictEqual(['Opener', 'Guest']);
    expect(guest.roster.hostId).toBe(openHost.peerId);
  });

  it('is forgotten with its key once empty: the next joiner makes a new room', async () => {
    const keys = newPrivateRoom();
    const first = await joinedPrivate(keys, 'First');
    first.client.send({ type: 'leave' });
    await first.client.closed();
    const opener = await pool.open();
    const { roster } = await opener.join(keys.room.roomId, 'Opener');
    expect(roster.members.map((m) => m.name)).toStrictEqual(['Opener']);
  });

  it('keeps serving others while refusing: an open room works between refusals', async () => {
    const { keys } = await privateRoomOfTwo();
    await refusedJoin(() => ({ type: 'join', v: 1, room: keys.room.roomId, name: 'Eve' }));
    const room = freshRoom('busy');
    const a = await pool.joined(room, 'A');
    const b = await pool.joined(room, 'B');
    b.client.send({ type: 'signal', to: a.peerId, data: offer });
    expect((await a.client.next('signal')).data).toStrictEqual(offer);
  });

  it('lets a refused socket join with a proof afterwards (a failed join may be retried)', async () => {
    const keys = newPrivateRoom();
    await joinedPrivate(keys, 'Host');
    const client = await pool.open();
    const challenge = await challengeOf(client);
    client.send({ type: 'join', v: 1, room: keys.room.roomId, name: 'Ann' });
    expect((await client.next('error')).code).toBe(ErrorCode.PrivateRoom);
    client.send({ type: 'join', v: 1, room: keys.room.roomId, name: 'Ann', private: proofFor(keys, challenge) });
    expect((await client.next('roster')).members.map((m) => m.name)).toStrictEqual(['Host', 'Ann']);
  });
});

describe('resume into a private room', () => {
  it('needs a fresh proof on the new connection while the old socket is still seated', async () => {
    const { keys, host, ann } = await privateRoomOfTwo();
    const resume = { peerId: ann.peerId, token: ann.resumeToken };
    const bare = await refusedJoin(() => ({ type: 'join', v: 1, room: keys.room.roomId, name: 'Ann', resume }));
    expect(bare.code).toBe(ErrorCode.PrivateRoom);
    expect(ann.client.isOpen).toBe(true);
    const again = await pool.open();
    again.send(await privateJoinFrame(again, keys, 'Ann', { resume }));
    expect((await again.next('welcome')).peerId).toBe(ann.peerId);
    expect((await ann.client.closed()).code).toBe(4001);
    const roster = await host.client.next('roster');
    expect(roster.members.map((m) => m.id)).toStrictEqual([host.peerId, ann.peerId]);
  });

  it('refuses the proof of the lost connection, and takes a fresh one after the seat was freed', async () => {
    const keys = newPrivateRoom();
    const host = await joinedPrivate(keys, 'Host');
    const ann = await pool.open();
    const oldFrame = await privateJoinFrame(ann, keys, 'Ann');
    ann.send(oldFrame);
    const welcome = await ann.next('welcome');
    ann.terminate();
    await host.client.next('roster', { where: (r) => r.members.length === 1 });
    const resume = { peerId: welcome.peerId, token: welcome.resumeToken };
    expect((await refusedJoin(() => ({ ...oldFrame, resume }))).code).toBe(ErrorCode.BadProof);
    expect((await refusedJoin(() => ({ type: 'join', v: 1, room: keys.room.roomId, name: 'Ann', resume }))).code).toBe(
      ErrorCode.PrivateRoom,
    );
    const back = await pool.open();
    back.send(await privateJoinFrame(back, keys, 'Ann', { resume }));
    expect((await back.next('welcome')).peerId).toBe(welcome.peerId);
  });
});

describe('signals in a private room', () => {
  it('relays a sealed signal byte for byte, and the host opens it on the route it came', async () => {
    const { keys, host, ann } = await privateRoomOfTwo();
    const route = { room: keys.room.roomId, from: ann.peerId, to: host.peerId };
    const data = sealedSignal(keys, route, offer, 'offer');
    ann.client.send({ type: 'signal', to: host.peerId, data });
    const received = await host.client.next('signal');
    expect(received).toStrictEqual({ type: 'signal', from: ann.peerId, data });
    const frame = host.client.received.map(String).find((text) => text.includes('"sealed"'));
    expect(frame).toBe(JSON.stringify({ type: 'signal', from: ann.peerId, data }));
    const sealed = decodeSealed((received.data as SealedSignalData).sealed);
    if (!sealed.ok) throw new Error('sealed signal does not decode');
    expect(openSignal(keys.room, route, sealed.value)).toStrictEqual({ ok: true, value: JSON.stringify(offer) });
  });

  it('relays sealed signals host to member too', async () => {
    const { keys, host, ann } = await privateRoomOfTwo();
    const data = sealedSignal(keys, { room: keys.room.roomId, from: host.peerId, to: ann.peerId }, { type: 'answer', sdp: 'v=0' }, 'answer');
    host.client.send({ type: 'signal', to: ann.peerId, data });
    expect((await ann.client.next('signal')).data).toStrictEqual(data);
  });

  it('refuses plain SDP and ICE, and delivers none of it', async () => {
    const { keys, host, ann } = await privateRoomOfTwo();
    const candidate = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5 typ host' } };
    for (const data of [offer, candidate]) {
      ann.client.send({ type: 'signal', to: host.peerId, data });
      const error = await ann.client.next('error');
      expect(error.code).toBe(ErrorCode.SignalNotSealed);
    }
    const marker = sealedSignal(keys, { room: keys.room.roomId, from: ann.peerId, to: host.peerId }, offer, 'offer');
    ann.client.send({ type: 'signal', to: host.peerId, data: marker });
    expect((await host.client.next('signal')).data).toStrictEqual(marker);
    expect(host.client.received.join('\n')).not.toContain('127.0.0.1');
  });

  it('applies the offer limit to sealed offers, not to sealed candidates', async () => {
    const { keys, host, ann } = await privateRoomOfTwo();
    const route = { room: keys.room.roomId, from: ann.peerId, to: host.peerId };
    for (let i = 0; i < 4; i += 1) ann.client.send({ type: 'signal', to: host.peerId, data: sealedSignal(keys, route, offer, 'offer') });
    expect((await ann.client.next('error')).code).toBe(ErrorCode.TooManyOffers);
    const candidate = sealedSignal(keys, route, { type: 'candidate', candidate: { candidate: 'c' } }, 'candidate');
    ann.client.send({ type: 'signal', to: host.peerId, data: candidate });
    expect((await host.client.next('signal', { where: (s) => s.data.type === 'sealed' && s.data.kind === 'candidate' })).data).toStrictEqual(
      candidate,
    );
    const offersSeen = host.client.received.map(String).filter((text) => text.includes('"kind":"offer"'));
    expect(offersSeen).toHaveLength(3);
  });

  it('keeps a sealed signal within its room: a member of another room is a bad target', async () => {
    const { keys, ann } = await privateRoomOfTwo();
    const other = await privateRoomOfTwo();
    const data = sealedSignal(keys, { room: keys.room.roomId, from: ann.peerId, to: other.host.peerId }, offer, 'offer');
    ann.client.send({ type: 'signal', to: other.host.peerId, data });
    expect((await ann.client.next('error')).code).toBe(ErrorCode.BadTarget);
  });
});

describe('signals in an open room', () => {
  it('refuses a sealed signal and delivers nothing', async () => {
    const room = freshRoom('open-sealed');
    const host = await pool.joined(room, 'Host');
    const ann = await pool.joined(room, 'Ann');
    const keys = newPrivateRoom();
    const data = sealedSignal(keys, { room, from: ann.peerId, to: host.peerId }, offer, 'offer');
    ann.client.send({ type: 'signal', to: host.peerId, data });
    expect((await ann.client.next('error')).code).toBe(ErrorCode.SignalSealed);
    ann.client.send({ type: 'signal', to: host.peerId, data: offer });
    expect((await host.client.next('signal')).data).toStrictEqual(offer);
    expect(host.client.received.join('\n')).not.toContain('"sealed"');
  });
});
