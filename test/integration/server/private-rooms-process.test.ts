import { afterEach, describe, expect, it } from 'vitest';
import { toBase64url } from '../../../shared/crypto/encoding.ts';
import { ErrorCode } from '../../../shared/errors.ts';
import { challengeOf, joinPrivate, newPrivateRoom, privateJoinFrame, proofFor, sealedSignal } from '../../support/private-room.ts';
import { WsClient } from '../../support/ws-client.ts';
import { spawnServer, type SpawnedServer } from './spawned-server.ts';

/**
 * The server never receives a private room's invite secret, nor anything derived from it but the public room key: so
 * nothing it writes, at the most talkative log level, nor its metrics, can hold the secret or the room's private keys,
 * whatever clients do. Checked on the process as operators run it, over a whole private-room scenario.
 */

let server: SpawnedServer | undefined;
afterEach(() => {
  server?.kill();
  server = undefined;
});

describe('the server process with a private room', () => {
  it('logs and counts neither the invite secret nor the keys derived from it, nor sealed signal content', async () => {
    server = await spawnServer([], { LOG_LEVEL: 'trace' });
    const keys = newPrivateRoom();
    const other = newPrivateRoom();
    const host = await WsClient.open(server.wsUrl);
    const { welcome } = await joinPrivate(host, keys, 'Host');
    const ann = await WsClient.open(server.wsUrl);
    const annFrame = await privateJoinFrame(ann, keys, 'Ann');
    ann.send(annFrame);
    const annJoin = { welcome: await ann.next('welcome') };
    const payload = { type: 'offer', sdp: 'v=0 SEALED-SDP-MARKER' };
    const route = { room: keys.room.roomId, from: annJoin.welcome.peerId, to: welcome.peerId };
    ann.send({ type: 'signal', to: welcome.peerId, data: sealedSignal(keys, route, payload, 'offer') });
    await host.next('signal');
    ann.send({ type: 'signal', to: welcome.peerId, data: payload });
    expect((await ann.next('error')).code).toBe(ErrorCode.SignalNotSealed);
    // Refusals of every kind: no proof, a wrong proof, a foreign key, a replayed frame.
    const eve = await WsClient.open(server.wsUrl);
    const challenge = await challengeOf(eve);
    eve.send({ type: 'join', v: 1, room: keys.room.roomId, name: 'Eve' });
    eve.send({ type: 'join', v: 1, room: keys.room.roomId, name: 'Eve', private: { ...proofFor(keys, challenge), proof: proofFor(other, challenge, keys.room.roomId).proof } });
    eve.send({ type: 'join', v: 1, room: keys.room.roomId, name: 'Eve', private: proofFor(other, challenge, keys.room.roomId) });
    const replay = await WsClient.open(server.wsUrl);
    replay.send({ ...annFrame, name: 'Mallory' });
    const codes = [await eve.next('error'), await replay.next('error')].map((e) => e.code);
    expect(codes).toContain(ErrorCode.BadProof);
    // Resume on a new connection, with a fresh proof.
    ann.terminate();
    const back = await WsClient.open(server.wsUrl);
    back.send(await privateJoinFrame(back, keys, 'Ann', { resume: { peerId: annJoin.welcome.peerId, token: annJoin.welcome.resumeToken } }));
    expect((await back.next('welcome')).peerId).toBe(annJoin.welcome.peerId);
    const metrics = await (await fetch(new URL('/metrics', server.httpUrl))).text();
    server.process.kill('SIGTERM');
    expect(await server.exited()).toBe(0);

    const text = [...server.lines, server.stderr(), metrics].join('\n');
    // The scenario did reach the log: the operator sees the private joins and refusals, by room id.
    expect(text).toContain(keys.room.roomId);
    expect(text).toContain('"access":"private"');
    expect(metrics).toContain(`code="${ErrorCode.BadProof}"`);
    const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
    const secrets = [
      keys.secretText,
      keys.secretText.slice(1, -4),
      toBase64url(keys.room.authSeed),
      hex(keys.room.authSeed),
      toBase64url(keys.room.messageKey),
      hex(keys.room.messageKey),
      toBase64url(keys.room.signalKey),
      hex(keys.room.signalKey),
      'SEALED-SDP-MARKER',
      other.secretText,
      toBase64url(other.room.authSeed),
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
