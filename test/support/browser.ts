import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/**
 * Chromium keeps only the last --disable-features switch, so ours restates Playwright 1.65's own list (read from
 * playwright-core's chromium switches) and adds WebRtcHideLocalIpsWithMdns, without which Chromium hides host
 * candidates behind mDNS names and joins multicast (TESTING.md).
 */
const disabledFeatures = [
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
  'WebRtcHideLocalIpsWithMdns',
];

/** The switches that keep Chromium headless, quiet and on loopback. */
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
  // Chromium otherwise looks up Google hosts at start; do not use ~NOTFOUND (it breaks http://127.0.0.1).
  '--host-resolver-rules=MAP * 127.0.0.1',
  `--disable-features=${disabledFeatures.join(',')}`,
];

/** Where Chromium is: CHROME_PATH, Debian's /usr/bin/chromium, or `chromium` on PATH. Throws how to get one. */
export function findChromium(): string {
  const fromEnv = process.env['CHROME_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('No Chromium found. Install Debian\'s package (apt-get install chromium) or set CHROME_PATH.');
  }
}

/** Launches headless Chromium for the e2e tests; profiles live in .tmp/ of the workspace. */
export async function launchChromium(): Promise<Browser> {
  const tmp = resolve('.tmp/chromium');
  mkdirSync(tmp, { recursive: true });
  return chromium.launch({
    executablePath: findChromium(),
    args: chromiumArgs,
    env: { ...process.env, TMPDIR: tmp },
  });
}

/**
 * A fresh context (its own storage, like a separate person). Without a camera/microphone grant Chromium offers no
 * loopback ICE candidates, and a loopback-only namespace then gathers nothing (TESTING.md).
 */
export function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ permissions: ['camera', 'microphone'] });
}
