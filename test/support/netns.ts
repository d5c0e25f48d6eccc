import { spawnSync } from 'node:child_process';

/**
 * Two machines on one LAN, made on this one: two network namespaces joined by a veth pair, 10.77.0.1/24 and
 * 10.77.0.2/24, each with a default route over the pair (Chromium's mDNS responder needs a route to multicast on;
 * without one, two browsers with real defaults never connect). Needs root and iproute2; works from inside the
 * loopback-only namespace `npm test` runs in, since named namespaces are not nested in the one that makes them.
 */
export interface TwoMachines {
  /** Namespace names: the first machine (server and one browser) and the second. */
  readonly names: readonly [string, string];
  /** Each machine's LAN address. */
  readonly addresses: readonly [string, string];
  /** The command prefix that runs a program on machine `i`. */
  exec(i: 0 | 1): string[];
  /** Deletes both namespaces (and with them the veth pair). Safe to call more than once. */
  remove(): void;
}

const PREFIX = 'chatus-lan-';

function ip(...args: string[]): { ok: boolean; output: string } {
  const run = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error?.message ?? ''}`.trim() };
}

/**
 * Deletes namespaces that an earlier run left behind when it was killed before it could clean up: ours are named after
 * the process that made them, so those whose process is gone are stale.
 */
function removeStale(): void {
  for (const line of ip('netns', 'list').output.split('\n')) {
    const match = new RegExp(`^${PREFIX}(\\d+)-[ab]\\b`).exec(line);
    if (!match) continue;
    try {
      process.kill(Number(match[1]), 0);
    } catch {
      ip('netns', 'del', line.split(' ')[0]!);
    }
  }
}

/**
 * Makes the two machines, or returns why it cannot here (not root, no iproute2, or the kernel refuses), for the test
 * to skip with. Removes them on process exit too, in case the test's own clean-up never runs.
 */
export function makeTwoMachines(): TwoMachines | string {
  if (process.getuid?.() !== 0) return 'two network namespaces need root (ip netns); not root here';
  if (!ip('-V').ok) return 'two network namespaces need iproute2 (`ip`), which is not installed here';
  removeStale();
  const names = [`${PREFIX}${process.pid}-a`, `${PREFIX}${process.pid}-b`] as const;
  const addresses = ['10.77.0.1', '10.77.0.2'] as const;
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    for (const name of names) ip('netns', 'del', name);
  };
  process.on('exit', remove);
  const [a, b] = names;
  const steps: string[][] = [
    ['netns', 'add', a],
    ['netns', 'add', b],
    ['link', 'add', 'veth0', 'netns', a, 'type', 'veth', 'peer', 'name', 'veth0', 'netns', b],
    ...names.flatMap((name, i) => [
      ['-n', name, 'addr', 'add', `${addresses[i]}/24`, 'dev', 'veth0'],
      ['-n', name, 'link', 'set', 'veth0', 'up'],
      ['-n', name, 'link', 'set', 'lo', 'up'],
      ['-n', name, 'route', 'add', 'default', 'dev', 'veth0'],
    ]),
  ];
  for (const step of steps) {
    const run = ip(...step);
    if (!run.ok) {
      remove();
      return `cannot make two network namespaces here: \`ip ${step.join(' ')}\` said ${JSON.stringify(run.output)}`;
    }
  }
  return { names, addresses, exec: (i) => ['ip', 'netns', 'exec', names[i]], remove };
}
