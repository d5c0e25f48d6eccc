import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

/**
 * Firefox preferences for the e2e tests. Firefox has no `--host-resolver-rules`: `network.dns.forceResolve` sends
 * every host name to 127.0.0.1 instead, so a made-up LAN name such as chat.lan.test reaches the test server. The
 * rest keeps it on loopback and quiet (checked with Firefox ESR 153).
 */
export const firefoxPrefs: Readonly<Record<string, string | number | boolean>> = {
  'network.dns.forceResolve': '127.0.0.1',
  // WebRTC on loopback: loopback candidates, and without a media permission Firefox gathers only the default
  // route's address, which a loopback-only namespace does not have.
  'media.peerconnection.ice.loopback': true,
  'permissions.default.camera': 1,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // Plain http stays plain http, as on a LAN (no https-first probe of chat.lan.test).
  'dom.security.https_first': false,
  'dom.security.https_first_schemeless': false,
  'dom.security.https_only_mode': false,
  // No background traffic.
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.trr.mode': 5,
  'network.prefetch-next': false,
  'network.dns.disablePrefetch': true,
  'network.http.speculative-parallel-limit': 0,
  'browser.urlbar.speculativeConnect.enabled': false,
  'app.update.enabled': false,
  'app.update.auto': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'datareporting.healthreport.uploadEnabled': false,
  'app.normandy.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'services.settings.poll_interval': 2147483647,
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  'browser.search.update': false,
  'browser.search.geoSpecificDefaults': false,
  'extensions.update.enabled': false,
  'extensions.blocklist.enabled': false,
};

/** Where Firefox ESR is: FIREFOX_PATH, or Debian's /usr/bin/firefox-esr; null when neither exists. */
export function findFirefox(): string | null {
  const fromEnv = process.env['FIREFOX_PATH'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return existsSync('/usr/bin/firefox-esr') ? '/usr/bin/firefox-esr' : null;
}

/** Why the Firefox tests cannot run here, said plainly, or null when they can. */
export function firefoxMissing(): string | null {
  if (findFirefox()) return null;
  return (
    `no Firefox ESR (FIREFOX_PATH=${process.env['FIREFOX_PATH'] ?? 'unset'}, no /usr/bin/firefox-esr): ` +
    "install Debian's firefox-esr package (as root: apt-get install -y firefox-esr; .ci/run does) to run them"
  );
}

/** The workspace's scratch folder for Firefox profiles (.tmp/ is gitignored). */
const scratch = fileURLToPath(new URL('../../.tmp/firefox', import.meta.url));

/**
 * Launches headless Firefox ESR through puppeteer-core over WebDriver BiDi (playwright-core drives only Playwright's
 * own patched Firefox). Puppeteer makes the profile in os.tmpdir(), so TMPDIR points at .tmp/ for the launch.
 * `MOZ_REMOTE_SETTINGS_DEVTOOLS` stops remote-settings look-ups that the prefs alone do not.
 */
export async function launchFirefox(): Promise<Browser> {
  const executablePath = findFirefox();
  if (!executablePath) throw new Error(firefoxMissing()!);
  mkdirSync(scratch, { recursive: true });
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = scratch;
  try {
    return await puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless: true,
      extraPrefsFirefox: { ...firefoxPrefs },
      env: { ...process.env, TMPDIR: scratch, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
    });
  } finally {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
  }
}
