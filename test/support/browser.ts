import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/**
 * The features playwright-core 1.65.1 disables in Chromium (`disabledFeatures` in its chromiumSwitches.ts, bundled in
 * lib/coreBundle.js). Restated because Chromium keeps only the last `--disable-features` switch (checked here: with
 * two, the first one's features stay enabled). webrtc-smoke.test.ts fails if the installed Playwright's list drifts.
 */
export const playwrightDisabledFeatures = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
] as const;

/**
 * Ours: Playwright's list plus WebRtcHideLocalIpsWithMdns. Without it, a page that has no media grant offers its
 * host candidates as random `.local` names and Chromium answers for them over mDNS multicast (checked on Chromium 156).
 */
export const disabledFeatures = [...playwrightDisabledFeatures, 'WebRtcHideLocalIpsWithMdns'] as const;

/** The switches that keep Chromium headless, quiet and on loopback, as checked on Chromium 156 inside a loopback-only namespace. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
  // Chromium otherwise looks up Google hosts at start. Not ~NOTFOUND: that breaks http://127.0.0.1 and makes
  // Chromium probe a public DNS server.
  '--host-resolver-rules=MAP * 127.0.0.1',
  `--disable-features=${disabledFeatures.join(',')}`,
] as const;

/** Playwright's own switch, dropped so that the command line holds exactly one `--disable-features`. */
const playwrightDisableFeaturesArg = `--disable-features=${playwrightDisabledFeatures.join(',')}`;

const howToGetOne =
  "Install Debian's package (as root: apt-get update && apt-get install -y chromium; `npm test` does this itself " +
  'when run as root) or set CHROME_PATH to a Chromium or Chrome binary.';

/** Where Chromium is: CHROME_PATH, Debian's /usr/bin/chromium, or `chromium` on PATH. Throws saying how to get one. */
export function findChromium(): string {
  const fromEnv = process.env['CHROME_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH=${fromEnv} does not exist. ${howToGetOne}`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`No Chromium found (CHROME_PATH unset, no /usr/bin/chromium, no chromium on PATH). ${howToGetOne}`);
  }
}

/** The workspace's scratch folder for browser profiles (.tmp/ is gitignored). */
const scratch = fileURLToPath(new URL('../../.tmp/chromium', import.meta.url));

/**
 * Launches headless Chromium with exactly the switches above. Playwright makes each profile with mkdtemp in this
 * Node process's os.tmpdir(), not in the browser's TMPDIR, so TMPDIR is pointed at .tmp/ here for the launch (and
 * for Chromium's own temporary files).
 */
export function launchChromium(): Promise<Browser> {
  return launch(findChromium(), [...chromiumArgs], [playwrightDisableFeaturesArg]);
}

/**
 * Chromium as a person runs it, but headless and quiet: WebRTC keeps its defaults (no loopback candidates, host
 * addresses hidden behind mDNS names), no host mapping, Playwright's own switches untouched.
 */
export const realDefaultArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/**
 * Launches Chromium with {@link realDefaultArgs} through `prefix`, a command that execs it elsewhere (such as
 * `ip netns exec NAME`, for a browser on another machine of a LAN). Playwright drives it over a pipe, which crosses
 * network namespaces.
 */
export function launchChromiumThrough(prefix: readonly string[], name: string): Promise<Browser> {
  mkdirSync(scratch, { recursive: true });
  const wrapper = `${scratch}/${name}.sh`;
  const quoted = [...prefix, findChromium()].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${quoted} "$@"\n`, { mode: 0o755 });
  return launch(wrapper, [...realDefaultArgs], []);
}

async function launch(executablePath: string, args: string[], ignoreDefaultArgs: string[]): Promise<Browser> {
  mkdirSync(scratch, { recursive: true });
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = scratch;
  try {
    return await chromium.launch({ executablePath, args, ignoreDefaultArgs, env: { ...process.env, TMPDIR: scratch } });
  } finally {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
  }
}

/**
 * A fresh context: its own storage, like a separate person. Without the camera/microphone grant Chromium offers no
 * loopback ICE candidates, and a loopback-only namespace then gathers nothing (checked on Chromium 156).
 */
export function newContext(browser: Browser, options: { locale?: string } = {}): Promise<BrowserContext> {
  return browser.newContext({ ...options, permissions: ['camera', 'microphone'] });
}
