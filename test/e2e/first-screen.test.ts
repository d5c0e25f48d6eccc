import { describe, expect, it } from 'vitest';
import { ScriptRecorder } from '../support/script-traffic.ts';
import { useE2eFixture } from './fixture.ts';

const e2e = useE2eFixture();

/** Budgets for the JavaScript on the wire (compressed, headers included), from issue 12. */
const FIRST_SCREEN_BYTES = 20 * 1024;
const AFTER_JOIN_BYTES = 80 * 1024;

describe('what the page downloads, in Chromium at a plain-http LAN address', () => {
  it('shows the join form after at most 20 KiB of JavaScript on the wire, and loads the room code on Join', async () => {
    const ann = await e2e.person();
    // A real load with the cache off: the fixture's first load would otherwise serve every file from the cache.
    const scripts = await ScriptRecorder.record(ann.page);
    await ann.page.reload();
    await ann.waitForJoinForm();
    const firstScreen = await scripts.take();
    expect(firstScreen.files.length).toBeGreaterThan(0);
    for (const file of firstScreen.files) {
      expect(file.status).toBe(200);
      // Compressed, or the budget could only be met by luck.
      expect(file.encoding).toMatch(/^(br|gzip)$/);
    }
    expect(firstScreen.wire, JSON.stringify(firstScreen.files)).toBeLessThanOrEqual(FIRST_SCREEN_BYTES);
    // The room code is not part of it: the join form has not been touched.
    expect(firstScreen.files.map((file) => file.url).join(' ')).not.toMatch(/room-entry/);

    await ann.join('Ann');
    await ann.waitUntilConnected();
    const afterJoin = await scripts.take();
    expect(afterJoin.files.map((file) => new URL(file.url).pathname)).toContainEqual(expect.stringMatching(/^\/assets\/room-entry-[\w-]+\.js$/));
    for (const file of afterJoin.files) expect(file.status).toBe(200);
    expect(afterJoin.wire, JSON.stringify(afterJoin.files)).toBeLessThanOrEqual(AFTER_JOIN_BYTES);
    // Compression did the work: well under the files' own size.
    expect(afterJoin.wire).toBeLessThan(afterJoin.body / 2);
  });
});
