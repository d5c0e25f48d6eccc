import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A peer running in a child process (see peer-process.ts). */
export interface ChildPeer {
  readonly process: ChildProcess;
  /** Resolves with the first event line matching `predicate`. */
  next(predicate: (event: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with every event line so far once `done` holds for them. */
  until(done: (events: readonly Record<string, unknown>[]) => boolean, timeoutMs?: number): Promise<readonly Record<string, unknown>[]>;
  /** Sends a chat message from the peer. */
  say(text: string): void;
  /**
   * Blocks the peer's event loop for `ms` (a long task: its JavaScript runs nothing else meanwhile, while its WebRTC
   * stack, on threads of its own, still runs, as a browser's does). It prints `busy` before and `idle` after.
   */
  block(ms: number): void;
  /** Freezes the process: to everyone else it has crashed without closing anything. */
  freeze(): void;
  /** Ends the process for good. */
  kill(): void;
}

const script = fileURLToPath(new URL('./peer-process.ts', import.meta.url));

/**
 * Starts a peer process that joins `room` as `name`, with the shortened liveness timings of the tests (`fast`) or the
 * ones people get (`default`).
 */
export function spawnPeer(url: string, room: string, name: string, liveness: 'fast' | 'default' = 'fast'): ChildPeer {
  const child = spawn(process.execPath, ['--import', 'tsx', script, url, room, name, liveness], { stdio: ['pipe', 'pipe', 'inherit'] });
  const events: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      events.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return;
    }
    for (const wake of [...waiters]) wake();
  });
  const until = (done: (seen: readonly Record<string, unknown>[]) => boolean, timeoutMs = 15_000): Promise<readonly Record<string, unknown>[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done(events)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(events);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`peer process: no matching events in ${timeoutMs} ms; saw ${JSON.stringify(events)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    process: child,
    next: async (predicate, timeoutMs) => (await until((seen) => seen.some(predicate), timeoutMs)).find(predicate)!,
    until,
    say: (text) => child.stdin!.write(`${JSON.stringify({ say: text })}\n`),
    block: (ms) => child.stdin!.write(`${JSON.stringify({ block: ms })}\n`),
    freeze: () => child.kill('SIGSTOP'),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
