#!/usr/bin/env node
// The README's test command (`npm test`): find or install Chromium, look for Firefox ESR (the Firefox scenarios are
// skipped, and this says so, without it), build the web client, then run every test —
// inside a loopback-only network namespace when this machine allows one (root with `unshare` and `ip`), so that no
// test can reach anything but 127.0.0.1. Chromium tests are never skipped: without a Chromium this exits 1.
// Extra arguments go to vitest (`npm test -- test/unit`). Exits with vitest's code.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';

const say = (line) => process.stdout.write(`[test] ${line}\n`);
const which = (command) => {
  const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
};
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** CHROME_PATH, Debian's /usr/bin/chromium, or `chromium` on PATH; null if none. */
function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    say(`CHROME_PATH=${fromEnv} does not exist; looking elsewhere`);
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return which('chromium');
}

function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  if (isRoot && which('apt-get')) {
    say("no Chromium found: installing Debian's chromium package");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = spawnSync('sh', ['-c', 'apt-get update && apt-get install -y chromium'], { stdio: 'inherit', env });
    const installed = install.status === 0 ? findChromium() : null;
    if (installed) return installed;
  }
  process.stderr.write(
    '[test] The browser tests need Chromium and none was found (CHROME_PATH, /usr/bin/chromium, chromium on PATH).\n' +
      "[test] Install Debian's package (sudo apt-get update && sudo apt-get install -y chromium), or set CHROME_PATH\n" +
      '[test] to a Chromium or Chrome binary. Run as root, `npm test` installs it itself.\n',
  );
  process.exit(1);
}

/** Whether a loopback-only namespace can be made here: root, `unshare` and `ip`, and the kernel lets us. */
function canIsolate() {
  if (!isRoot || !which('unshare') || !which('ip')) return false;
  // Containers without CAP_SYS_ADMIN refuse; find out now rather than fail every test.
  return spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;
}

/** FIREFOX_PATH or Debian's /usr/bin/firefox-esr; null if neither exists. Same rule as test/support/firefox.ts. */
function findFirefox() {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return existsSync('/usr/bin/firefox-esr') ? '/usr/bin/firefox-esr' : null;
}

const chromePath = ensureChromium();
say(`Chromium: ${chromePath}`);
// Firefox is the second browser: without it the Firefox scenarios are skipped and everything else runs.
const firefoxPath = findFirefox();
if (firefoxPath) say(`Firefox ESR: ${firefoxPath}`);
else {
  say('NOTE: no Firefox ESR (FIREFOX_PATH, /usr/bin/firefox-esr): the Firefox scenarios will be SKIPPED.');
  say("      Install Debian's package to run them: apt-get install -y firefox-esr (.ci/run does).");
}

// The tests of several signaling nodes start their own redis-server; they say why when they skip, too.
if (!which('redis-server')) say("NOTE: no redis-server: the tests of several nodes will be SKIPPED (apt-get install -y redis-server; .ci/run does).");

// The two-machine test makes two network namespaces (test/support/netns.ts); it says why when it skips, too.
if (!isRoot || !which('ip')) say('NOTE: the two-machine LAN test will be SKIPPED: it needs root and iproute2 (ip netns).');

say('building the web client');
const build = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) {
  say('the web client did not build');
  process.exit(build.status ?? 1);
}

const env = { ...process.env, CHROME_PATH: chromePath, CHATUS_SKIP_BUILD: '1' };
const vitest = ['npx', 'vitest', 'run', ...process.argv.slice(2)];
let command = vitest;
if (process.env.CHATUS_NETNS) {
  say('already inside a loopback-only network namespace');
} else if (canIsolate()) {
  say('running the tests inside a loopback-only network namespace');
  env.CHATUS_NETNS = '1';
  command = ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...vitest];
} else {
  say('note: NOT network-isolated (that needs root, unshare and ip); the tests still use 127.0.0.1 only');
}

const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
// A CI timeout may stop this process alone: pass it on. Ctrl-C already reaches the whole process group, so SIGINT is
// only held off here until the tests have stopped.
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => {
  if (!firefoxPath) say('NOTE: the Firefox scenarios were SKIPPED: no Firefox ESR here (apt-get install -y firefox-esr).');
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
