import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** One JSON line from or to the host process. */
export type HostLine = Record<string, unknown>;

/** The host of a file benchmark running in its own process (bench/relay-host.ts), spoken to in JSON lines. */
export interface HostProcess {
  readonly pid: number;
  /** Writes one line to the host's stdin. */
  send(line: HostLine): void;
  /** Calls `listener` for every line the host prints from now on. */
  onLine(listener: (line: HostLine) => void): void;
  /** Resolves with the first line (printed so far or later) that matches `predicate`. */
  next(predicate: (line: HostLine) => boolean, timeoutMs?: number): Promise<HostLine>;
  /** Ends the process. */
  stop(): void;
}

const relayHost = fileURLToPath(new URL('./relay-host.ts', import.meta.url));

/** Starts bench/relay-host.ts with `args`; its stderr goes to ours. */
export function spawnHost(args: readonly string[]): HostProcess {
  return spawnLineProcess(relayHost, args);
}

/** Starts the TypeScript file `script` with `args` in a Node process spoken to in JSON lines; its stderr goes to ours. */
export function spawnLineProcess(script: string, args: readonly string[]): HostProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: HostLine[] = [];
  const listeners = new Set<(line: HostLine) => void>();
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: HostLine;
    try {
      line = JSON.parse(text) as HostLine;
    } catch {
      return;
    }
    lines.push(line);
    for (const listener of [...listeners]) listener(line);
  });
  const onLine = (listener: (line: HostLine) => void): void => void listeners.add(listener);
  return {
    pid: child.pid!,
    send: (line) => void child.stdin.write(`${JSON.stringify(line)}\n`),
    onLine,
    next: (predicate, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const seen = lines.find(predicate);
        if (seen) return resolve(seen);
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`relay host: no matching line in ${timeoutMs} ms`));
        }, timeoutMs);
        const check = (line: HostLine): void => {
          if (!predicate(line)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(line);
        };
        onLine(check);
      }),
    stop: () => {
      child.stdin.end();
      child.kill();
    },
  };
}
