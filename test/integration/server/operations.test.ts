import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WsClient } from '../../support/ws-client.ts';
import { parseLine, spawnServer, type SpawnedServer } from './spawned-server.ts';

/** The process as operators run it: logs, signals, help and refusals, each tested on a real child process. */

let server: SpawnedServer | undefined;
afterEach(() => {
  server?.kill();
  server = undefined;
});

/** Completes a WebSocket handshake by hand and then reads nothing and answers nothing, not even a close frame. */
function stubbornClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(
        'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
    socket.once('data', (chunk: Buffer) => {
      if (!chunk.toString('latin1').startsWith('HTTP/1.1 101')) reject(new Error(chunk.toString('latin1')));
      else resolve(socket);
    });
    socket.on('error', () => undefined);
  });
}

describe('the server process', () => {
  it('logs one JSON object a line and never a signal payload, resume token, name or request query', async () => {
    server = await spawnServer([], { LOG_LEVEL: 'trace' });
    const host = await WsClient.open(`${server.wsUrl}?invite=QUERY-SECRET-1`);
    const { welcome } = await host.join('ops-room', 'Zelda');
    const member = await WsClient.open(server.wsUrl);
    const joined = await member.join('ops-room', 'Link');
    member.send({ type: 'signal', to: welcome.peerId, data: { type: 'offer', sdp: 'SDP-SECRET-2' } });
    member.send({ type: 'signal', to: welcome.peerId, data: { type: 'candidate', candidate: { candidate: 'CANDIDATE-SECRET-3' } } });
    await host.next('signal', { where: (s) => s.data.type === 'candidate' });
    member.sendRaw('{"type":"signal","to":"x","data":"BAD-FRAME-SECRET-4"}');
    await member.next('error');
    // Come back on a new socket with the resume token.
    member.terminate();
    const again = await WsClient.open(server.wsUrl);
    again.send({ type: 'join', v: 1, room: 'ops-room', name: 'Link', resume: { peerId: joined.welcome.peerId, token: joined.welcome.resumeToken } });
    expect((await again.next('welcome')).peerId).toBe(joined.welcome.peerId);
    server.process.kill('SIGTERM');
    expect(await server.exited()).toBe(0);

    const output = [...server.lines, ...server.stderr().split('\n').filter((line) => line.length > 0)];
    expect(output.filter((line) => parseLine(line) === null)).toStrictEqual([]);
    const text = output.join('\n');
    for (const secret of ['QUERY-SECRET-1', 'SDP-SECRET-2', 'CANDIDATE-SECRET-3', 'BAD-FRAME-SECRET-4', welcome.resumeToken, joined.welcome.resumeToken, 'Zelda', 'Link']) {
      expect(text).not.toContain(secret);
    }
    // …while saying what an operator needs: who joined which room, and why the process stopped.
    expect(output.map(parseLine)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'joined', room: 'ops-room', resumed: true }),
        expect.objectContaining({ msg: 'shutting down', signal: 'SIGTERM' }),
        expect.objectContaining({ msg: 'stopped' }),
      ]),
    );
  });

  it('shuts down within its grace time on SIGTERM even when a client never answers the close', async () => {
    server = await spawnServer(['--shutdown-grace-ms', '1000']);
    const polite = await WsClient.open(server.wsUrl);
    await polite.join('grace', 'Polite');
    const stubborn = await stubbornClient(server.port);
    const stubbornClosed = new Promise((resolve) => stubborn.once('close', resolve));
    server.process.kill('SIGTERM');
    expect(await polite.closed()).toMatchObject({ code: 1001, reason: 'server shutting down' });
    // Bounded: the grace time, then the stubborn socket is cut and the process exits cleanly.
    await stubbornClosed;
    expect(await server.exited()).toBe(0);
  });

  it('stops on SIGINT too, and refuses new connections once stopping', async () => {
    server = await spawnServer(['--shutdown-grace-ms', '1000']);
    const stubborn = await stubbornClient(server.port);
    server.process.kill('SIGINT');
    await new Promise<void>((resolve) => {
      const attempt = (): void => {
        const probe = connect(server!.port, '127.0.0.1');
        probe.once('connect', () => (probe.destroy(), setTimeout(attempt, 20)));
        probe.once('error', () => resolve());
      };
      attempt();
    });
    expect(await server.exited()).toBe(0);
    stubborn.destroy();
  });

  it('exits at once on a second signal', async () => {
    server = await spawnServer(['--shutdown-grace-ms', '60000']);
    await stubbornClient(server.port);
    server.process.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const check = (): void => (server!.lines.some((line) => line.includes('"shutting down"')) ? resolve() : void setTimeout(check, 20));
      check();
    });
    server.process.kill('SIGTERM');
    expect(await server.exited()).toBe(1);
  });

  it('prints every setting on --help and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'signaling/main.ts', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
    expect(stdout).toMatch(/^Usage:/);
    for (const env of ['ALLOWED_ORIGINS', 'TRUSTED_PROXIES', 'MAX_CONNECTIONS_PER_IP', 'HEADERS_TIMEOUT_MS', 'SHUTDOWN_GRACE_MS', 'ROOM_SIZE']) expect(stdout).toContain(env);
  });

  it('refuses a limit out of range at start, naming it, with exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'signaling/main.ts', '--port', '0'], {
      env: { ...process.env, ROOM_SIZE: '101' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(2);
    expect(stderr).toMatch(/^chatus: ROOM_SIZE must be from 1 to 100/);
  });
});
