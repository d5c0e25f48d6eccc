#!/usr/bin/env node
// The README's test command (`npm test`): find or install Chromium, build the web client, then run every test —
// inside a loopback-only network namespace when this machine allows one (root with `unshare`), so that no test can
// reach anything but 127.0.0.1. Extra arguments go to vitest (`npm test -- test/unit`).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const say = (line) => process.stdout.write(`[test] ${line}\n`);
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function findChromium() {
  if (process.env.CHROME_PATH) return existsSync(process.env.CHROME_PATH) ? process.env.CHROME_PATH : null;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return has('chromium') ? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() : null;
}

function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  if (isRoot && has('apt-get')) {
    say("no Chromium found: installing Debian's chromium package");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq chromium'], { stdio: 'inherit', env });
    const installed = findChromium();
    if (installed) return installed;
  }
  process.stderr.write(
    'The browser tests need Chromium and none was found.\n' +
      "Install Debian's package (sudo apt-get install chromium) or point CHROME_PATH at a Chromium or Chrome binary.\n",
  );
  process.exit(1);
}

const chromePath = ensureChromium();
say(`Chromium: ${chromePath}`);
say('building the web client');
execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });

const env = { ...process.env, CHROME_PATH: chromePath, CHATUS_SKIP_BUILD: '1' };
const vitest = ['npx', 'vitest', 'run', ...process.argv.slice(2)];
let command = vitest;
if (process.env.CHATUS_NETNS === '1') {
  say('already inside a loopback-only network namespace');
} else if (isRoot && has('unshare') && has('ip')) {
  say('running the tests inside a loopback-only network namespace');
  env.CHATUS_NETNS = '1';
  command = ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...vitest];
} else {
  say('note: not root or no unshare/ip here, so the tests run without network isolation (they use 127.0.0.1 only)');
}
const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env });
process.exit(result.status ?? 1);
