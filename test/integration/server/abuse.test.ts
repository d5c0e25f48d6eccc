import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { freshRoom, WsClient } from '../../support/ws-client.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A raw ws socket with chosen headers; resolves when open or rejects with the refusal. */
function rawSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The server is alive, its memory bounded, and a legitimate pair in a fresh room still joins and signals. */
async function expectStillServing(target: TestServer, rssBefore?: number): Promise<void> {
  const host = await WsClient.open(target.wsUrl);
  const member = await WsClient.open(target.wsUrl);
  const room = freshRoom('legit');
  const { welcome } = await host.join(room, 'Host');
  await member.join(room, 'Member');
  member.send({ type: 'signal', to: welcome.peerId, data: { type: 'offer', sdp: 'v=0' } });
  const signal = await host.next('signal');
  expect(signal.data).toEqual({ type: 'offer', sdp: 'v=0' });
  host.terminate();
  member.terminate();
  if (rssBefore !== undefined) expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
}

/** Sends a raw HTTP request and returns the status line (or '' when the server closed without one). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('error', () => resolve(answer.split('\r\n')[0] ?? ''));
  });
}

describe('the server shrugs off abuse and keeps serving', () => {
  it('refuses a foreign Origin before the handshake, and allows its own and listed ones', async () => {
    server = await startTestServer({ allowedOrigins: ['https://friend.example'] });
    await expect(rawSocket(server.wsUrl, { Origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const own = await rawSocket(server.wsUrl, { Origin: `http://127.0.0.1:${server.port}` });
    const listed = await rawSocket(server.wsUrl, { Origin: 'https://friend.example' });
    own.terminate();
    listed.terminate();
    await expectStillServing(server);
  });

  it('caps connections per client address (X-Forwarded-For from a trusted proxy) and in total', async () => {
    server = await startTestServer({ trustedProxies: ['127.0.0.1'], limits: { maxConnectionsPerIp: 5, maxConnections: 12 } });
    const rss = process.memoryUsage().rss;
    const flood = await Promise.allSettled(
      Array.from({ length: 20 }, () => rawSocket(server!.wsUrl, { 'X-Forwarded-For': '203.0.113.66' })),
    );
    expect(flood.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(flood.filter((r) => r.status === 'rejected').every((r) => /429/.test(String((r as PromiseRejectedResult).reason)))).toBe(true);
    // Another address still gets in while the flooder is capped.
    const other = await rawSocket(server.wsUrl, { 'X-Forwarded-For': '198.51.100.7' });
    const others = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => rawSocket(server!.wsUrl, { 'X-Forwarded-For': `198.51.100.${20 + i}` })));
    expect(others.filter((r) => r.status === 'rejected').every((r) => /503/.test(String((r as PromiseRejectedResult).reason)))).toBe(true);
    for (const result of [...flood, ...others]) if (result.status === 'fulfilled') result.value.terminate();
    other.terminate();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expectStillServing(server, rss);
    const metrics = await (await fetch(`${server.httpUrl}metrics`)).text();
    expect(metrics).toMatch(/chatus_rejected_connections_total\{reason="per_ip_cap"\} 15/);
  });

  it('cuts off a message flood with ERR_RATE_LIMITED and then close 4002', async () => {
    server = await startTestServer();
    const room = freshRoom('flood');
    const host = await WsClient.open(server.wsUrl);
    const { welcome } = await host.join(room, 'Host');
    const flooder = await WsClient.open(server.wsUrl);
    await flooder.join(room, 'Flooder');
    // Valid signals that only the rate limit can stop (offers have a tighter limit of their own).
    for (let i = 0; i < 500; i++) flooder.send({ type: 'signal', to: welcome.peerId, data: { type: 'candidate', candidate: { candidate: `c${i}` } } });
    await flooder.next('error', { where: (m) => m.code === 'ERR_RATE_LIMITED' });
    expect((await flooder.closed()).code).toBe(4002);
    host.terminate();
    await expectStillServing(server);
  });

  it('survives a flood of tiny fragments (ws closes it: too many fragments 1008, or too large 1009)', async () => {
    server = await startTestServer();
    const socket = await rawSocket(server.wsUrl);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.on('error', () => undefined);
    for (let i = 0; i < 70_000 && socket.readyState === WebSocket.OPEN; i++) socket.send('x', { fin: false });
    expect([1008, 1009]).toContain(await closed);
    await expectStillServing(server);
  });

  it('answers 2,000 headers with 431 and a slowloris handshake does not block others', async () => {
    server = await startTestServer();
    const headers = Array.from({ length: 2000 }, (_, i) => `X-Filler-${i}: ${'y'.repeat(20)}`).join('\r\n');
    const status = await rawRequest(server.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n\r\n`);
    expect(status).toMatch(/^HTTP\/1\.1 431/);
    const slow: Socket[] = [];
    for (let i = 0; i < 200; i++) {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n'));
      socket.on('error', () => undefined);
      slow.push(socket);
    }
    await expectStillServing(server);
    expect(server.server.http.headersTimeout).toBeLessThanOrEqual(10_000);
    for (const socket of slow) socket.destroy();
  });

  it('closes sockets that never join', async () => {
    server = await startTestServer({ limits: { joinTimeoutMs: 200 } });
    const idle = await WsClient.open(server.wsUrl);
    expect((await idle.closed()).code).toBe(4003);
    await expectStillServing(server);
  });

  it('cuts off a slow reader instead of buffering for it', async () => {
    server = await startTestServer({ limits: { maxBufferedBytes: 64 * 1024, messageBurst: 2000, messagesPerSecond: 2000 } });
    const rss = process.memoryUsage().rss;
    const room = freshRoom('slow');
    const slow = await rawSocket(server.wsUrl);
    const welcome = new Promise<{ peerId: string }>((resolve) =>
      slow.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; peerId: string };
        if (message.type === 'welcome') resolve(message);
      }),
    );
    slow.send(JSON.stringify({ type: 'join', v: 1, room, name: 'Slow' }));
    const { peerId } = await welcome;
    (slow as unknown as { _socket: Socket })._socket.pause();
    const sender = await WsClient.open(server.wsUrl);
    await sender.join(room, 'Sender');
    const sdp = 'a'.repeat(30_000);
    // Answers: a member's offers to its host have a tighter limit of their own.
    for (let i = 0; i < 1500 && sender.isOpen; i++) sender.send({ type: 'signal', to: peerId, data: { type: 'answer', sdp } });
    // The slow host is dropped: the sender becomes host of the room.
    await sender.next('roster', { where: (r) => r.members.length === 1, timeoutMs: 20_000 });
    slow.terminate();
    await expectStillServing(server, rss);
  });
});
