import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The server as operators run it: `node --import tsx signaling/main.ts`, in a child process on a free port. */
export interface SpawnedServer {
  readonly process: ChildProcess;
  readonly port: number;
  /** http://127.0.0.1:PORT/ */
  readonly httpUrl: string;
  /** ws://127.0.0.1:PORT/ws */
  readonly wsUrl: string;
  /** Every line the process wrote to stdout so far (JSON log lines). */
  readonly lines: readonly string[];
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** One sample of a metric from GET /metrics (the first line naming it, labels included if given). */
  metric(name: string): Promise<number | undefined>;
  /** Resolves with the exit code once the process has exited. */
  exited(): Promise<number | null>;
  /** Kills the process at once (SIGKILL) if it is still running. */
  kill(): void;
}

/**
 * Starts the server process with `flags` (after `--port 0 --host 127.0.0.1`) and resolves once it logged
 * `{"msg":"ChatUs is running","port":N}`. Rejects if it exits first or says nothing in time. `prefix` runs it through
 * another command that execs it, such as `ip netns exec NAME`.
 */
export function spawnServer(flags: readonly string[] = [], env: Record<string, string> = {}, prefix: readonly string[] = []): Promise<SpawnedServer> {
  const command = [...prefix, process.execPath, '--import', 'tsx', 'signaling/main.ts', '--port', '0', '--host', '127.0.0.1', ...flags];
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line in 20 s; stdout ${lines.join('\n')}; stderr ${stderr}`)), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const entry = parseLine(line);
      if (entry?.['msg'] !== 'ChatUs is running' || typeof entry['port'] !== 'number') return;
      clearTimeout(timer);
      const port = entry['port'];
      const httpUrl = `http://127.0.0.1:${port}/`;
      resolve({
        process: child,
        port,
        httpUrl,
        wsUrl: `ws://127.0.0.1:${port}/ws`,
        lines,
        stderr: () => stderr,
        metric: async (name) => {
          const text = await (await fetch(new URL('/metrics', httpUrl))).text();
          const line = text.split('\n').find((row) => row.startsWith(`${name} `));
          return line === undefined ? undefined : Number(line.slice(name.length + 1));
        },
        exited: () => exit,
        kill: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        },
      });
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it started; stderr ${stderr}`));
    });
  });
}

/** A stdout line as a JSON object, or null for anything else. */
export function parseLine(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
