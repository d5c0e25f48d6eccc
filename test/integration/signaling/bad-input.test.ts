import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SDP_LENGTH, MAX_SIGNAL_FRAME_BYTES } from '../../../shared/limits.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { ClientPool, freshRoom, type WsClient } from '../../support/ws-client.ts';

/**
 * Bad input refused with a typed error or a close code, and never touching anyone else (screensy #15): after every
 * case a fresh pair in another room joins and signals, and a pair that has been connected all along still signals.
 */

let server: TestServer;
const pool = new ClientPool(() => server.wsUrl);
const bystanderPool = new ClientPool(() => server.wsUrl);
let bystanders: { host: { client: WsClient; peerId: string }; member: { client: WsClient; peerId: string } };

beforeAll(async () => {
  server = await startTestServer();
  const room = freshRoom('bystanders');
  bystanders = { host: await bystanderPool.joined(room, 'Host'), member: await bystanderPool.joined(room, 'Member') };
});
afterEach(() => pool.closeAll());
afterAll(async () => {
  bystanderPool.closeAll();
  await server.close();
});

const offer = { type: 'offer', sdp: 'v=0\r\n' } as const;

/** Sends a signal each way between `host` and `member` and checks both arrive stamped with the sender. */
async function signalBothWays(host: { client: WsClient; peerId: string }, member: { client: WsClient; peerId: string }): Promise<void> {
  // Up as a candidate: a member's offers to its host are limited (3 at once, then 1 a second), and this runs often.
  const up = { type: 'candidate', candidate: { candidate: `up-${Math.random()}` } };
  member.client.send({ type: 'signal', to: host.peerId, data: up });
  expect(await host.client.next('signal', { where: (s) => s.from === member.peerId })).toStrictEqual({ type: 'signal', from: member.peerId, data: up });
  const down = { type: 'answer', sdp: `down-${Math.random()}` };
  host.client.send({ type: 'signal', to: member.peerId, data: down });
  expect(await member.client.next('signal')).toStrictEqual({ type: 'signal', from: host.peerId, data: down });
}

/** Proves that the server still serves everyone else: a new pair, and the pair connected since the start. */
async function expectOthersStillServed(): Promise<void> {
  const room = freshRoom('after');
  const host = await pool.joined(room, 'Hana');
  const member = await pool.joined(room, 'Mo');
  expect(member.roster.hostId).toBe(host.peerId);
  await signalBothWays(host, member);
  expect(bystanders.host.client.isOpen && bystanders.member.client.isOpen).toBe(true);
  await signalBothWays(bystanders.host, bystanders.member);
}

const join = { type: 'join', v: 1, room: 'r1', name: 'Ann' };

describe('a frame that is not a valid message, before a join', () => {
  it.each([
    ['invalid JSON', '{"type":"join",'],
    ['an empty frame', ''],
    ['plain text', 'hello server'],
    ['a JSON array', '[1,2]'],
    ['JSON null', 'null'],
    ['a JSON number', '42'],
    ['a JSON string', '"join"'],
    ['an unknown type', JSON.stringify({ type: 'chat', text: 'hi' })],
    ['a server-only type', JSON.stringify({ type: 'welcome', v: 1, peerId: 'me' })],
    ['a __proto__ type', JSON.stringify({ type: '__proto__' })],
    ['no type', JSON.stringify({ room: 'r1', name: 'Ann' })],
    ['a numeric type', JSON.stringify({ type: 0 })],
    ['a join without v', JSON.stringify({ ...join, v: undefined })],
    ['a join with a string v', JSON.stringify({ ...join, v: '1' })],
    ['a join of protocol version 2', JSON.stringify({ ...join, v: 2 })],
    ['a join with a numeric room', JSON.stringify({ ...join, room: 1 })],
    ['a join with a room id outside the pattern', JSON.stringify({ ...join, room: '../etc' })],
    ['a join without room', JSON.stringify({ ...join, room: undefined })],
    ['a join with a numeric name', JSON.stringify({ ...join, name: 1 })],
    ['a join with an object name', JSON.stringify({ ...join, name: { first: 'Ann' } })],
    ['a join with a whitespace-only name', JSON.stringify({ ...join, name: ' \t ' })],
    ['a join with a control character in the name', JSON.stringify({ ...join, name: 'Ann\u0000' })],
    ['a join with a name over 32 characters', JSON.stringify({ ...join, name: 'n'.repeat(33) })],
    ['a join without name', JSON.stringify({ ...join, name: undefined })],
    ['a join with a numeric resume', JSON.stringify({ ...join, resume: 1 })],
  ])('%s gets ERR_BAD_MESSAGE and the socket can still join', async (_label, frame) => {
    const client = await pool.open();
    client.sendRaw(frame);
    expect(await client.next('error')).toMatchObject({ code: 'ERR_BAD_MESSAGE', message: expect.any(String) });
    const { roster } = await client.join(freshRoom(), 'Ann');
    expect(roster.members).toHaveLength(1);
    await expectOthersStillServed();
  });
});

describe('a signal with a wrong field, from a joined member', () => {
  it.each<[string, (hostId: string) => Record<string, unknown>]>([
    ['no to', () => ({ type: 'signal', data: offer })],
    ['a numeric to', () => ({ type: 'signal', to: 7, data: offer })],
    ['an array to', (h) => ({ type: 'signal', to: [h], data: offer })],
    ['an empty to', () => ({ type: 'signal', to: '', data: offer })],
    ['no data', (h) => ({ type: 'signal', to: h })],
    ['string data', (h) => ({ type: 'signal', to: h, data: 'v=0' })],
    ['null data', (h) => ({ type: 'signal', to: h, data: null })],
    ['data of an unknown type', (h) => ({ type: 'signal', to: h, data: { type: 'bye' } })],
    ['an offer without sdp', (h) => ({ type: 'signal', to: h, data: { type: 'offer' } })],
    ['a numeric sdp', (h) => ({ type: 'signal', to: h, data: { type: 'answer', sdp: 1 } })],
    ['an sdp over the limit', (h) => ({ type: 'signal', to: h, data: { type: 'offer', sdp: 'x'.repeat(MAX_SDP_LENGTH + 1) } })],
    ['a candidate given as a string', (h) => ({ type: 'signal', to: h, data: { type: 'candidate', candidate: 'candidate:1' } })],
    ['a candidate without its line', (h) => ({ type: 'signal', to: h, data: { type: 'candidate', candidate: { sdpMid: '0' } } })],
    ['a candidate with a string sdpMLineIndex', (h) => ({ type: 'signal', to: h, data: { type: 'candidate', candidate: { candidate: '', sdpMLineIndex: '0' } } })],
  ])('%s gets ERR_BAD_MESSAGE, reaches nobody, and the member stays in the room', async (_label, build) => {
    const room = freshRoom('bad-signal');
    const host = await pool.joined(room, 'Host');
    const member = await pool.joined(room, 'Member');
    member.client.send(build(host.peerId));
    expect(await member.client.next('error')).toMatchObject({ code: 'ERR_BAD_MESSAGE' });
    // The next signal the host sees is this valid one: the bad frame was not forwarded, and the member still signals.
    await signalBothWays(host, member);
    await expectOthersStillServed();
  });
});

describe('frames the transport refuses', () => {
  it('accepts a frame of exactly the size limit', async () => {
    const client = await pool.open();
    const text = JSON.stringify({ ...join, room: freshRoom() });
    client.sendRaw(text + ' '.repeat(MAX_SIGNAL_FRAME_BYTES - Buffer.byteLength(text)));
    expect((await client.next('welcome')).type).toBe('welcome');
    await expectOthersStillServed();
  });

  it.each([
    ['ASCII', (room: string) => JSON.stringify({ ...join, room }) + ' '.repeat(MAX_SIGNAL_FRAME_BYTES)],
    ['multi-byte text under the limit in characters', () => '€'.repeat(MAX_SIGNAL_FRAME_BYTES / 2)],
  ])('closes the socket with 1009 on a frame over 64 KiB (%s)', async (_label, frame) => {
    const room = freshRoom('big');
    const host = await pool.joined(room, 'Host');
    const member = await pool.joined(room, 'Member');
    member.client.sendRaw(frame(freshRoom()));
    expect(await member.client.closed()).toMatchObject({ code: 1009 });
    // The room forgets the closed member.
    await host.client.next('roster', { where: (r) => r.members.length === 1 });
    await expectOthersStillServed();
  });

  it('answers a binary frame with ERR_BAD_MESSAGE and closes with 4000', async () => {
    const room = freshRoom('bin');
    const host = await pool.joined(room, 'Host');
    const member = await pool.joined(room, 'Member');
    member.client.sendRaw(Buffer.from(JSON.stringify({ type: 'signal', to: host.peerId, data: offer })));
    expect(await member.client.next('error')).toMatchObject({ code: 'ERR_BAD_MESSAGE' });
    expect(await member.client.closed()).toMatchObject({ code: 4000 });
    expect(await host.client.next('roster', { where: (r) => r.members.length === 1 })).toMatchObject({ hostId: host.peerId });
    await expectOthersStillServed();
  });

  it('closes a binary frame before any join with 4000', async () => {
    const client = await pool.open();
    client.sendRaw(Buffer.from([0, 1, 2, 3]));
    expect(await client.closed()).toMatchObject({ code: 4000 });
    await expectOthersStillServed();
  });

  it('closes a text frame that is not UTF-8 with 1007', async () => {
    const client = await pool.open();
    client.sendRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), false);
    expect(await client.closed()).toMatchObject({ code: 1007 });
    await expectOthersStillServed();
  });

  it('closes a socket that keeps sending bad frames with 4002, answering each with an error until then', async () => {
    const client = await pool.open();
    for (let i = 0; i < 100; i++) client.sendRaw('{');
    expect(await client.next('error')).toMatchObject({ code: 'ERR_BAD_MESSAGE' });
    expect(await client.closed()).toMatchObject({ code: 4002 });
    await expectOthersStillServed();
  });
});
