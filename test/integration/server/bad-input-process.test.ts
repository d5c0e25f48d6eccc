import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_SIGNAL_FRAME_BYTES } from '../../../shared/limits.ts';
import { defaultServerLimits } from '../../../signaling/server-limits.ts';
import { ClientPool, freshRoom, type WsClient } from '../../support/ws-client.ts';
import { spawnServer, type SpawnedServer } from './spawned-server.ts';

/**
 * The bad-input list against the server process as operators run it (a child process, default limits
 * unless named below). After EACH case: /healthz answers ok, the process's resident memory stays under a bound,
 * a fresh pair in another room joins and signals both ways, and a pair connected since the start still does.
 * Attackers connect from other loopback addresses (127.0.0.x) where a per-address cap would otherwise also
 * refuse the legitimate clients on 127.0.0.1.
 */

/** Generous: the process idles at about 90 MB. Without the buffer and fragment caps some cases below pass 300 MB. */
const RSS_BOUND = 256 * 1024 * 1024;
const FLAGS = ['--headers-timeout-ms', '1000', '--request-timeout-ms', '2000', '--max-connections', '150'];

let server: SpawnedServer;
const pool = new ClientPool(() => server.wsUrl);
let bystanders: { host: Joined; member: Joined };
const raws: WebSocket[] = [];

type Joined = { client: WsClient; peerId: string };

beforeAll(async () => {
  server = await spawnServer(FLAGS);
  const room = freshRoom('bystanders');
  const bystanderPool = new ClientPool(() => server.wsUrl);
  bystanders = { host: await bystanderPool.joined(room, 'Host'), member: await bystanderPool.joined(room, 'Member') };
});
afterEach(async () => {
  pool.closeAll();
  for (const socket of raws.splice(0)) socket.terminate();
  // Let the server see those closes before the next case counts connections.
  await until(async () => ((await server.metric('chatus_connections')) ?? 99) <= 2);
});
afterAll(() => server.kill());

/** Polls `condition` until it holds; fails after 10 s. */
async function until(condition: () => Promise<boolean> | boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not hold within 10 s`);
}

/** A raw ws socket from a chosen loopback address; resolves when open, rejects with the refusal. */
function openRaw(options: { from?: string; headers?: Record<string, string> } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.wsUrl, { localAddress: options.from ?? '127.0.0.1', headers: options.headers ?? {} });
    raws.push(socket);
    socket.once('open', () => {
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function closeCode(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) resolve(-1);
    socket.once('close', (code) => resolve(code));
  });
}

async function signalBothWays(host: Joined, member: Joined): Promise<void> {
  // Up as a candidate: a member's offers to its host are limited (3 at once, then 1 a second), and this runs often.
  const up = { type: 'candidate', candidate: { candidate: `up-${Math.random()}` } };
  member.client.send({ type: 'signal', to: host.peerId, data: up });
  expect(await host.client.next('signal', { where: (s) => s.data.type === 'candidate' && s.data.candidate.candidate === up.candidate.candidate })).toStrictEqual({
    type: 'signal',
    from: member.peerId,
    data: up,
  });
  const down = { type: 'answer', sdp: `down-${Math.random()}` };
  host.client.send({ type: 'signal', to: member.peerId, data: down });
  expect(await member.client.next('signal', { where: (s) => s.data.type === 'answer' && s.data.sdp === down.sdp })).toStrictEqual({
    type: 'signal',
    from: host.peerId,
    data: down,
  });
}

/** Alive, memory bounded, and everyone else still served. */
async function expectHealthy(): Promise<void> {
  const health = await fetch(new URL('/healthz', server.httpUrl));
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok' });
  expect(await server.metric('chatus_process_resident_memory_bytes')).toBeLessThan(RSS_BOUND);
  const room = freshRoom('legit');
  const host = await pool.joined(room, 'Hana');
  const member = await pool.joined(room, 'Mo');
  expect(member.roster.hostId).toBe(host.peerId);
  await signalBothWays(host, member);
  await signalBothWays(bystanders.host, bystanders.member);
  expect(server.process.exitCode).toBeNull();
}

/** Sends frames and expects one ERR_BAD_MESSAGE per frame, in order. */
async function expectEachRefused(client: WsClient, frames: readonly string[]): Promise<void> {
  for (const frame of frames) client.sendRaw(frame);
  for (let i = 0; i < frames.length; i++) expect(await client.next('error')).toMatchObject({ code: 'ERR_BAD_MESSAGE' });
}

/** Every (path, wrong value) of a message: each leaf and object replaced by values of another JSON type. */
function wrongTypes(message: Record<string, unknown>, nullable: readonly string[] = []): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const replacements: unknown[] = [null, 7, 1.5, true, 'text', [], {}, ['text']];
  const kind = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
  const walk = (path: string[], value: unknown): void => {
    for (const replacement of replacements) {
      if (kind(replacement) === kind(value) && kind(value) !== 'number') continue;
      if (replacement === null && nullable.includes(path.join('.'))) continue;
      if (typeof value === 'number' && typeof replacement === 'number' && Number.isInteger(replacement)) continue;
      out.push([path.join('.'), JSON.stringify(setAt(message, path, replacement))]);
    }
    if (kind(value) === 'object') for (const [key, inner] of Object.entries(value as object)) walk([...path, key], inner);
  };
  for (const [key, value] of Object.entries(message)) walk([key], value);
  return out;
}

function setAt(message: unknown, path: readonly string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const copy = { ...(message as Record<string, unknown>) };
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

function inBatches<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
}

describe('bad input against the server process', () => {
  it('invalid JSON, in many shapes, gets ERR_BAD_MESSAGE', async () => {
    const client = await pool.open();
    await expectEachRefused(client, ['{', '', ' ', '{"type":"join",', 'null', '[]', '"join"', '42', 'true', '{"type":', '\u0000', '{}{}', '\ufeff{}']);
    await expectHealthy();
  });

  it('unknown and malformed types get ERR_BAD_MESSAGE', async () => {
    const client = await pool.open();
    const types = ['chat', 'welcome', 'roster', 'error', '__proto__', 'constructor', 'toString', 'JOIN', ' join', 'join\u0000', 'x'.repeat(1000)];
    await expectEachRefused(client, [...types.map((type) => JSON.stringify({ type })), '{"type":null}', '{"type":{"type":"join"}}', '{"__proto__":{"type":"join"}}']);
    await expectHealthy();
  });

  const joinTemplate = { type: 'join', v: 1, room: 'room-1', name: 'Ann', resume: { peerId: 'peer-1', token: 'token' } };
  const cases = wrongTypes(joinTemplate);
  it(`every wrong field type in a join (${cases.length} frames) gets ERR_BAD_MESSAGE`, async () => {
    for (const batch of inBatches(cases, 15)) await expectEachRefused(await pool.open(), batch.map(([, frame]) => frame));
    await expectHealthy();
  });

  const signalTemplates = {
    offer: { type: 'signal', to: 'HOST', data: { type: 'offer', sdp: 'v=0' } },
    candidate: {
      type: 'signal',
      to: 'HOST',
      data: { type: 'candidate', candidate: { candidate: 'candidate:1', sdpMLineIndex: 0, sdpMid: '0', usernameFragment: 'u' } },
    },
    'host-unreachable': { type: 'host-unreachable' },
    handover: { type: 'handover' },
    leave: { type: 'leave' },
  };
  const nullable = ['data.candidate.sdpMLineIndex', 'data.candidate.sdpMid', 'data.candidate.usernameFragment'];
  it.each(Object.entries(signalTemplates))('every wrong field type in a joined member\'s %s gets ERR_BAD_MESSAGE and reaches nobody', async (_label, template) => {
    for (const batch of inBatches(wrongTypes(template, nullable), 15)) {
      const room = freshRoom('types');
      const host = await pool.joined(room, 'Host');
      const member = await pool.joined(room, 'Member');
      await expectEachRefused(member.client, batch.map(([, frame]) => frame.replaceAll('"HOST"', JSON.stringify(host.peerId))));
      await signalBothWays(host, member);
      // The only signal the host ever saw is the valid one.
      expect(host.client.received.filter((frame) => String(frame).includes('"signal"'))).toHaveLength(1);
    }
    await expectHealthy();
  });

  it('an oversize frame closes that socket with 1009', async () => {
    const socket = await openRaw({ from: '127.0.0.3' });
    const closed = closeCode(socket);
    socket.send('x'.repeat(MAX_SIGNAL_FRAME_BYTES + 1));
    expect(await closed).toBe(1009);
    await expectHealthy();
  });

  it('a binary frame closes that socket with 4000', async () => {
    const socket = await openRaw({ from: '127.0.0.3' });
    const closed = closeCode(socket);
    socket.send(Buffer.from('{"type":"leave"}'));
    expect(await closed).toBe(4000);
    await expectHealthy();
  });

  it('a message in many tiny fragments closes that socket with 1008', async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, () => openRaw({ from: '127.0.0.4' })));
    const closed = sockets.map(closeCode);
    for (const socket of sockets) for (let i = 0; i < 5000 && socket.readyState === WebSocket.OPEN; i++) socket.send('x', { fin: false });
    expect(new Set(await Promise.all(closed))).toStrictEqual(new Set([1008]));
    await expectHealthy();
  });

  it('2,000 headers on an upgrade: refused (400 when Node drops the excess, 431 when too large), nothing crashes', async () => {
    const upgrade = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';
    const small = Array.from({ length: 2000 }, () => 'a: b').join('\r\n');
    const large = Array.from({ length: 2000 }, (_, i) => `X-Filler-${i}: ${'y'.repeat(20)}`).join('\r\n');
    // CVE-2024-37890: headers past maxHeadersCount used to crash ws when Sec-WebSocket-Key was among those dropped.
    expect(await rawRequest(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n${small}\r\n${upgrade}\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawRequest(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n${large}\r\n${upgrade}\r\n`)).toMatch(/^HTTP\/1\.1 431/);
    await expectHealthy();
  });

  it('a slowloris handshake is closed by the headers timeout while others are served', async () => {
    const slow = Array.from({ length: 50 }, () => {
      const socket = connect({ port: server.port, host: '127.0.0.1', localAddress: '127.0.0.5' });
      socket.on('error', () => undefined);
      socket.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      // One more header line now and then, never the blank line that ends them.
      const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
      return new Promise<void>((resolve) => socket.once('close', () => (clearInterval(drip), resolve())));
    });
    await expectHealthy();
    // HEADERS_TIMEOUT_MS is 1 s here: every slow socket is closed although it keeps sending.
    await Promise.all(slow);
    await expectHealthy();
  });

  const perIp = defaultServerLimits.maxConnectionsPerIp;
  it(`a connection flood from one address is capped at ${perIp} (429) while other addresses are served`, async () => {
    const flood = await Promise.allSettled(Array.from({ length: 2 * perIp }, () => openRaw({ from: '127.0.0.6' })));
    expect(flood.filter((r) => r.status === 'fulfilled')).toHaveLength(perIp);
    expect(reasons(flood).filter((reason) => !/429/.test(reason))).toStrictEqual([]);
    await expectHealthy();
    expect(await server.metric('chatus_rejected_connections_total{reason="per_ip_cap"}')).toBe(perIp);
  });

  it('a flood from many addresses stops at the global cap (503) and the server recovers once it ends', async () => {
    const flood = (
      await Promise.allSettled(['127.0.0.7', '127.0.0.8', '127.0.0.9', '127.0.0.12'].flatMap((from) => Array.from({ length: 45 }, () => openRaw({ from }))))
    );
    expect(reasons(flood).length).toBeGreaterThan(0);
    expect(reasons(flood).filter((reason) => !/503/.test(reason))).toStrictEqual([]);
    await expect(openRaw()).rejects.toThrow(/503/);
    for (const socket of raws.splice(0)) socket.terminate();
    await until(async () => ((await server.metric('chatus_connections')) ?? 99) <= 2, 'flood sockets closed');
    await expectHealthy();
  });

  it('a message flood is rate limited (ERR_RATE_LIMITED), then closed with 4002; the host gets a bounded share', async () => {
    const room = freshRoom('flood');
    const host = await pool.joined(room, 'Host');
    const flooder = await pool.joined(room, 'Flooder');
    for (let i = 0; i < 2000; i++) flooder.client.send({ type: 'signal', to: host.peerId, data: { type: 'candidate', candidate: { candidate: `c${i}` } } });
    expect(await flooder.client.next('error')).toMatchObject({ code: 'ERR_RATE_LIMITED' });
    expect(await flooder.client.closed()).toMatchObject({ code: 4002 });
    await host.client.next('roster', { where: (r) => r.members.length === 1 });
    // Burst 60 plus what 20/s refilled while the flood lasted (well under a second here): nowhere near 2,000.
    expect(host.client.received.filter((frame) => String(frame).includes('"candidate"')).length).toBeLessThan(200);
    await expectHealthy();
  });

  it('a slow reader is cut off instead of buffering for it', async () => {
    const room = freshRoom('slow');
    const slow = await pool.joined(room, 'Slow');
    (slow.client.socket as unknown as { _socket: import('node:net').Socket })._socket.pause();
    const senders = await Promise.all(Array.from({ length: 30 }, (_, i) => pool.joined(room, `S${i}`)));
    // 30 members × a 60-frame burst × 30 kB answers = 54 MB towards one host that reads nothing (answers: offers to a
    // host are limited on their own).
    const sdp = 'a'.repeat(30_000);
    for (let i = 0; i < 60; i++) for (const sender of senders) sender.client.send({ type: 'signal', to: slow.peerId, data: { type: 'answer', sdp } });
    await senders[0]!.client.next('roster', { where: (r) => !r.members.some((m) => m.id === slow.peerId), timeoutMs: 20_000 });
    expect(await server.metric('chatus_connections_cut_total{reason="slow_reader"}')).toBe(1);
    await expectHealthy();
  });

  it('a spoofed from is replaced by the sender\'s id and extra fields are not forwarded', async () => {
    const room = freshRoom('spoof');
    const host = await pool.joined(room, 'Host');
    const victim = await pool.joined(room, 'Victim');
    const liar = await pool.joined(room, 'Liar');
    liar.client.send({ type: 'signal', to: host.peerId, from: victim.peerId, peerId: victim.peerId, data: { type: 'offer', sdp: 'lie', from: victim.peerId } });
    expect(await host.client.next('signal')).toStrictEqual({ type: 'signal', from: liar.peerId, data: { type: 'offer', sdp: 'lie' } });
    await expectHealthy();
  });

  it('a signal into another room gets ERR_BAD_TARGET and reaches nobody there', async () => {
    const a = { host: await pool.joined(freshRoom('a'), 'Host') };
    const roomB = freshRoom('b');
    const b = { host: await pool.joined(roomB, 'Host'), member: await pool.joined(roomB, 'Member') };
    for (const to of [b.host.peerId, b.member.peerId]) {
      a.host.client.send({ type: 'signal', to, data: { type: 'offer', sdp: 'intrusion' } });
      expect(await a.host.client.next('error')).toMatchObject({ code: 'ERR_BAD_TARGET' });
    }
    await signalBothWays(b.host, b.member);
    expect([...b.host.client.received, ...b.member.client.received].join('\n')).not.toContain('intrusion');
    await expectHealthy();
  });

  it('a foreign Origin is refused with 403; same-origin and Origin-less clients are let in', async () => {
    await expect(openRaw({ headers: { Origin: 'https://evil.example' } })).rejects.toThrow(/403/);
    await expect(openRaw({ headers: { Origin: 'null' } })).rejects.toThrow(/403/);
    await expect(openRaw({ headers: { Origin: `http://127.0.0.1:${server.port + 1}` } })).rejects.toThrow(/403/);
    await openRaw({ headers: { Origin: `http://127.0.0.1:${server.port}` } });
    await openRaw();
    await expectHealthy();
  });

  it('a ping flood does not grow the server', async () => {
    const socket = await openRaw({ from: '127.0.0.10' });
    (socket as unknown as { _socket: import('node:net').Socket })._socket.pause();
    for (let i = 0; i < 20_000; i++) socket.ping();
    await expectHealthy();
  });
});

/** Why each refused open failed. */
function reasons(results: readonly PromiseSettledResult<unknown>[]): string[] {
  return results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
}

/** Sends raw bytes over TCP and resolves with the status line the server answered (or '' when it just closed). */
function rawRequest(text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port: server.port, host: '127.0.0.1', localAddress: '127.0.0.11' }, () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
  });
}
