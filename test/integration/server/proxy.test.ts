import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../support/server.ts';

/** X-Forwarded-For counts only when the peer is a trusted proxy: nobody else can dodge the per-address cap. */

let server: TestServer | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await server?.close();
  server = undefined;
});

function open(url: string, forwardedFor: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { 'X-Forwarded-For': forwardedFor } });
    sockets.push(socket);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('X-Forwarded-For', () => {
  it('is ignored when no proxy is trusted: made-up addresses still count as the real one', async () => {
    server = await startTestServer({ limits: { maxConnectionsPerIp: 3 } });
    for (let i = 0; i < 3; i++) await open(server.wsUrl, `198.51.100.${i}`);
    await expect(open(server.wsUrl, '198.51.100.99')).rejects.toThrow(/429/);
  });

  it('is ignored from a peer outside the trusted ranges', async () => {
    server = await startTestServer({ limits: { maxConnectionsPerIp: 3 }, trustedProxies: ['10.0.0.0/8'] });
    for (let i = 0; i < 3; i++) await open(server.wsUrl, `198.51.100.${i}`);
    await expect(open(server.wsUrl, '198.51.100.99')).rejects.toThrow(/429/);
  });

  it('names the client when the peer is a trusted proxy (a CIDR range here)', async () => {
    server = await startTestServer({ limits: { maxConnectionsPerIp: 3 }, trustedProxies: ['127.0.0.0/8'] });
    for (let i = 0; i < 3; i++) await open(server.wsUrl, '198.51.100.7');
    await expect(open(server.wsUrl, '198.51.100.7')).rejects.toThrow(/429/);
    // Another client behind the same proxy has its own allowance; a spoofed hop further left changes nothing.
    await open(server.wsUrl, '6.6.6.6, 198.51.100.8');
    await expect(open(server.wsUrl, '1.2.3.4, 198.51.100.7')).rejects.toThrow(/429/);
  });
});
