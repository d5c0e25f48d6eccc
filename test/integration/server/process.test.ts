import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** Starts `npm start`'s server process (without the build) on a free port; resolves with its port. */
function startProcess(): Promise<{ process: ChildProcess; port: number; lines: string[] }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'signaling/main.ts', '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line; saw ${lines.join('\n')}`)), 15_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      lines.push(line);
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === 'ChatUs is running' && entry.port) {
        clearTimeout(timer);
        resolve({ process: proc, port: entry.port, lines });
      }
    });
    proc.once('exit', (code) => reject(new Error(`exited early with ${code}: ${lines.join('\n')}`)));
  });
}

describe('the server process', () => {
  it('serves /healthz and /metrics, then shuts down gracefully on SIGTERM', async () => {
    const { process: proc, port, lines } = await startProcess();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'join', v: 1, room: 'ops', name: 'Op' }));
    await new Promise((resolve) => socket.once('message', resolve));

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^chatus_connections 1$/m);
    expect(metrics).toMatch(/^chatus_rooms 1$/m);
    expect(metrics).toMatch(/^chatus_messages_total\{type="join"\} 1$/m);
    expect(metrics).toMatch(/^chatus_process_resident_memory_bytes \d+/m);

    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await closed).toBe(1001);
    expect(await exited).toBe(0);
    expect(lines.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
    // Logs never carry message bodies or signal payloads.
    expect(lines.join('\n')).not.toMatch(/sdp|candidate/i);
  });

  it('refuses a bad setting at start with a clear error', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'signaling/main.ts', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/PORT must be 0–65535/);
  });
});
