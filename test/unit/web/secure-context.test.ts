import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { randomId } from '../../../web/src/platform/secure-context.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The one client module allowed to name secure-context-only APIs, each behind a fallback. */
const fallbackModule = 'web/src/platform/secure-context.ts';

/**
 * Browser APIs that exist only in secure contexts, so they are missing on a plain-http LAN page
 * (https://developer.mozilla.org/en-US/docs/Web/Security/Secure_Contexts/features_restricted_to_secure_contexts).
 */
const secureOnly: ReadonlyArray<readonly [string, RegExp]> = [
  ['crypto.randomUUID', /\brandomUUID\b/],
  ['crypto.subtle', /\bsubtle\b/],
  ['navigator.clipboard', /\bclipboard\b/i],
  ['Notification', /\bNotification\b/],
  ['service workers', /\bserviceWorker\b/],
  ['CacheStorage', /\bcaches\s*\./],
  ['navigator.mediaDevices', /\bmediaDevices\b/],
  ['navigator.share', /\bnavigator\s*\.\s*share\b/],
  ['navigator.locks', /\bnavigator\s*\.\s*locks\b/],
  ['navigator.credentials', /\bnavigator\s*\.\s*credentials\b/],
  ['navigator.wakeLock', /\bwakeLock\b/],
];

/** The secure-context-only APIs a text names, as `line: api`. */
function namedApis(text: string): string[] {
  return text.split('\n').flatMap((line, i) => secureOnly.filter(([, pattern]) => pattern.test(line)).map(([api]) => `${i + 1}: ${api}`));
}

/** Every file under `dir` (relative to the repository) whose name ends with one of `endings`. */
function filesUnder(dir: string, endings: readonly string[]): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => endings.some((ending) => name.endsWith(ending)))
    .map((name) => relative(root, join(root, dir, name)));
}

describe('secure-context-only APIs in the client', () => {
  it.each([
    ['const id = crypto.randomUUID();', ['1: crypto.randomUUID']],
    ['await crypto.subtle.digest("SHA-256", data)', ['1: crypto.subtle']],
    ['navigator.clipboard.writeText(link)', ['1: navigator.clipboard']],
    ['new Notification("hi")', ['1: Notification']],
    ['navigator.serviceWorker.register("/sw.js")', ['1: service workers']],
    ['\nawait caches.open("v1")', ['2: CacheStorage']],
    ['navigator.share({ url })', ['1: navigator.share']],
    ['crypto.getRandomValues(new Uint8Array(16))', []],
    ['invite(shareUrl); const share = 1;', []],
  ])('the scan flags %j', (text, expected) => {
    expect(namedApis(text)).toEqual(expected);
  });

  it(`are named only in ${fallbackModule}`, () => {
    const sources = [...filesUnder('web/src', ['.ts']), ...filesUnder('shared', ['.ts']), 'web/index.html'];
    expect(sources).toContain(fallbackModule);
    expect(sources.length).toBeGreaterThan(10);
    const offending = sources
      .filter((file) => file !== fallbackModule)
      .flatMap((file) => namedApis(readFileSync(join(root, file), 'utf8')).map((hit) => `${file}:${hit}`));
    expect(offending, 'use (or add) a fallback in the platform module instead').toEqual([]);
  });

  it('are not used by any dependency in the built bundle, beyond the clipboard and notifications the fallback module guards', () => {
    // The bundle is built by test/support/global-setup.ts before any test runs.
    const bundles = filesUnder('dist/web', ['.js']);
    expect(bundles.length).toBeGreaterThan(0);
    const named = new Set(bundles.flatMap((file) => namedApis(readFileSync(join(root, file), 'utf8')).map((hit) => hit.split(': ')[1])));
    expect([...named].sort()).toEqual(['Notification', 'navigator.clipboard']);
  });
});

describe('randomId', () => {
  it('makes RFC 9562 version 4 UUIDs that fit the protocol’s message ids', () => {
    const ids = Array.from({ length: 1000 }, randomId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
