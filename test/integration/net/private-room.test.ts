import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { createInviteSecret, formatInviteSecret } from '../../../shared/crypto/invite.ts';
import { derivePrivateRoom } from '../../../shared/crypto/private-room.ts';
import { systemRandom } from '../../../shared/crypto/random.ts';
import type { RoomSessionDeps } from '../../../web/src/net/room-session.ts';
import { hasText } from '../../support/honest-room.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { fastLiveness, until } from '../../support/sessions.ts';

/**
 * A private room between Node sessions over real WebRTC, as the browser runs it: joins proven with the room key over
 * each connection's challenge, signals sealed end to end. Every frame on every signaling socket is recorded: the
 * server must carry no SDP, no ICE candidate, no chat text and no secret.
 */

const net = useNetFixture();

/** Sockets that record every frame they send and receive, as text. */
function recordingSockets(frames: string[]): Pick<RoomSessionDeps, 'createSocket'> {
  return {
    createSocket: (url) => {
      const socket = new WebSocket(url);
      socket.on('message', (data) => frames.push(String(data)));
      const send = socket.send.bind(socket);
      socket.send = ((data: string) => {
        frames.push(data);
        send(data);
      }) as typeof socket.send;
      return socket as never;
    },
  };
}

describe('a private room over real WebRTC', () => {
  it('links and chats while the server sees only proofs and sealed signals', async () => {
    await net.start();
    const frames: string[] = [];
    const pool = net.pool(fastLiveness, recordingSockets(frames));
    const secret = createInviteSecret(systemRandom);
    const room = derivePrivateRoom(secret);
    const hana = await pool.join(room.roomId, 'Hana', { privateRoom: room });
    const ann = await pool.join(room.roomId, 'Ann', { privateRoom: room });
    await until(ann, (s) => s.linkedToHost);
    hana.send('the plans are in the usual place');
    ann.send('see you at the usual time');
    for (const person of [hana, ann]) {
      await until(person, (s) => hasText('the plans are in the usual place')(s) && hasText('see you at the usual time')(s));
    }

    const signals = frames.filter((frame) => frame.includes('"type":"signal"'));
    expect(signals.length).toBeGreaterThan(0);
    for (const frame of signals) expect(frame).toContain('"type":"sealed"');
    const everything = frames.join('\n');
    for (const leak of ['v=0', 'a=fingerprint', 'candidate:', 'usual', formatInviteSecret(secret)]) {
      expect(everything, leak).not.toContain(leak);
    }
    // Joins carry the room's public key and a proof, never its seed or keys.
    expect(frames.filter((frame) => frame.includes('"private"'))).toHaveLength(2);
  });

  it('refuses a join without the room key; a session never pairs the id with another room’s keys', async () => {
    const pool = await net.start();
    const room = derivePrivateRoom(createInviteSecret(systemRandom));
    const hana = await pool.join(room.roomId, 'Hana', { privateRoom: room });
    await expect(pool.join(room.roomId, 'Mallory')).rejects.toMatchObject({ code: 'ERR_PRIVATE_ROOM' });
    const other = derivePrivateRoom(createInviteSecret(systemRandom));
    // A page never pairs a room id with another room's keys (the session refuses to); the server's refusal of such a
    // join (ERR_ROOM_KEY_MISMATCH) is tested at the protocol level.
    expect(() => pool.open(room.roomId, 'Mallory', { privateRoom: other })).toThrow(/not the private room/);
    expect(hana.snapshot().roster.members.map((member) => member.name)).toEqual(['Hana']);
  });

  it('comes back after the signaling socket drops, proving membership again on the new connection', async () => {
    const frames: string[] = [];
    const resumeSecret = 'a-test-secret-of-enough-length';
    await net.start({ resumeSecret });
    const pool = net.pool(fastLiveness, recordingSockets(frames));
    const room = derivePrivateRoom(createInviteSecret(systemRandom));
    const hana = await pool.join(room.roomId, 'Hana', { privateRoom: room });
    const ann = await pool.join(room.roomId, 'Ann', { privateRoom: room });
    await until(ann, (s) => s.linkedToHost);
    const joinsBefore = frames.filter((frame) => frame.includes('"type":"join"')).length;
    const port = net.server().port;
    await net.server().close();
    await until(ann, (s) => s.phase === 'reconnecting');
    await net.restart({ port, resumeSecret });
    await until(ann, (s) => s.phase === 'connected' && s.linkedToHost, 15_000);
    ann.send('back again');
    await until(hana, hasText('back again'));
    // The line may reach Hana over the data channel, which outlives the server: wait for her own join too.
    await until(hana, (s) => s.phase === 'connected' && s.roster.members.length === 2, 15_000);
    const joins = frames.filter((frame) => frame.includes('"type":"join"')).slice(joinsBefore);
    expect(joins.length).toBeGreaterThanOrEqual(2);
    for (const join of joins) expect(join).toContain('"proof"');
  });
});
