import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { toBase64url } from '../../../shared/crypto/encoding.ts';
import { defaultLiveness } from '../../../shared/liveness.ts';
import { MemoryPartialStore } from '../../../web/src/net/files/partial-store.ts';
import { bytesOf, fileOf, linked, untilFile, viewOf } from '../../support/file-sessions.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { until } from '../../support/sessions.ts';

const net = useNetFixture();

const digest = (data: Uint8Array) => toBase64url(sha256(data));

describe('a receiver that reloads its page mid-way', () => {
  it('is offered to resume, and goes on from what it kept instead of starting over; the file still verifies', async () => {
    await net.start({ hostWatch: { pingIntervalMs: 1000, maxMissedPings: 7 } });
    const pool = net.pool(defaultLiveness);
    // Bob's browser profile: what his page keeps outlives the page (IndexedDB in a browser). A reloaded page dies
    // without leaving the room, so it never drops what it kept: this page's store forgets nothing.
    const kept = new MemoryPartialStore();
    const dyingPage = { add: kept.add.bind(kept), load: kept.load.bind(kept), drop: () => Promise.resolve() };
    const bobsBrowser = net.pool(defaultLiveness, { partials: kept });
    const host = await pool.join('reload1', 'Hana');
    const ann = await pool.join('reload1', 'Ann');
    const bob = await net.pool(defaultLiveness, { partials: dyingPage }).join('reload1', 'Bob');
    await until(ann, (s) => s.linkedToHost);
    await until(bob, (s) => s.linkedToHost);
    await linked(host, ann, bob);
    const data = fileOf(24 * 1024 * 1024, 71);
    expect((await ann.files.sendFile(new Blob([data as Uint8Array<ArrayBuffer>]), 'archive.zip')).ok).toBe(true);
    await untilFile(bob, 'archive.zip', (view) => view.bytes >= 4 * 1024 * 1024, 30_000);
    bob.leave();

    const again = await bobsBrowser.join('reload1', 'Bob');
    await untilFile(again, 'archive.zip', (view) => view.state === 'interrupted', 15_000);
    const offered = viewOf(again, 'archive.zip')!;
    expect(offered.bytes).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(offered.detail).toBe('reloaded');
    let lowest = Infinity;
    const watch = setInterval(() => (lowest = Math.min(lowest, viewOf(again, 'archive.zip')!.bytes)), 5);
    await again.files.resume(offered.transfer);
    await untilFile(again, 'archive.zip', (view) => view.state === 'done', 60_000);
    clearInterval(watch);
    expect(digest(await bytesOf(viewOf(again, 'archive.zip')))).toBe(digest(data));
    // It went on from what was kept: never back to nothing.
    expect(lowest).toBeGreaterThanOrEqual(offered.bytes);
    // Done: what was kept is gone.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await kept.load(offered.transfer)).toBeNull();
    await untilFile(host, 'archive.zip', (view) => view.state === 'done', 30_000);
    expect(viewOf(ann, 'archive.zip')?.state).toBe('done');
  }, 120_000);

  /**
   * Ann sends a 24 MiB file through Hana; Bob's page dies a few MiB in; the others get the whole file. With a
   * `bystander`, Cy joins right after Hana (so she is next in line to host) and gets the file too.
   */
  async function bobReloadsMidway(room: string, { bystander = false } = {}) {
    const kept = new MemoryPartialStore();
    const dyingPage = { add: kept.add.bind(kept), load: kept.load.bind(kept), drop: () => Promise.resolve() };
    const pool = net.pool(defaultLiveness);
    const host = await pool.join(room, 'Hana');
    const cy = bystander ? await pool.join(room, 'Cy') : null;
    const ann = await pool.join(room, 'Ann');
    const bob = await net.pool(defaultLiveness, { partials: dyingPage }).join(room, 'Bob');
    await until(ann, (s) => s.linkedToHost);
    await until(bob, (s) => s.linkedToHost);
    if (cy) await until(cy, (s) => s.linkedToHost);
    await linked(host, ann, bob, cy ? 4 : 3);
    const data = fileOf(24 * 1024 * 1024, 74);
    expect((await ann.files.sendFile(new Blob([data as Uint8Array<ArrayBuffer>]), 'big.bin')).ok).toBe(true);
    await untilFile(bob, 'big.bin', (view) => view.bytes >= 4 * 1024 * 1024, 30_000);
    bob.leave();
    for (const done of [host, ann, ...(cy ? [cy] : [])]) await untilFile(done, 'big.bin', (view) => view.state === 'done', 30_000);
    /** Bob comes back with what his page kept and asks for the rest; his view once it ends. */
    const resume = async () => {
      const again = await net.pool(defaultLiveness, { partials: kept }).join(room, 'Bob');
      await untilFile(again, 'big.bin', (view) => view.state === 'interrupted', 15_000);
      await again.files.resume(viewOf(again, 'big.bin')!.transfer);
      await untilFile(again, 'big.bin', (view) => view.state === 'failed' || view.state === 'done', 30_000);
      return viewOf(again, 'big.bin')!;
    };
    return { host, ann, cy, data, resume };
  }

  it.each([
    ['the sender', false],
    ['another receiver', true],
  ])('resumes through the next host when the one that relayed the file left (%s hosts now)', async (_who, bystander) => {
    await net.start();
    const { host, ann, cy, data, resume } = await bobReloadsMidway(`reload-next-${bystander}`, { bystander });
    host.leave();
    await until(cy ?? ann, (s) => s.role === 'host');
    const resumed = await resume();
    expect([resumed.state, resumed.detail]).toEqual(['done', 'verified']);
    expect(digest(await bytesOf(resumed))).toBe(digest(data));
  }, 120_000);

  it('is told the sender no longer has the file when the sender has sent too many since (not left waiting)', async () => {
    await net.start();
    const { ann, resume } = await bobReloadsMidway('reload4');
    // Ann's page keeps only the last files it sent in full: 32 more push the big one out.
    for (let i = 0; i < 32; i += 1) {
      expect((await ann.files.sendFile(new Blob([fileOf(1000, 100 + i) as Uint8Array<ArrayBuffer>]), `small${i}.bin`)).ok).toBe(true);
      await untilFile(ann, `small${i}.bin`, (view) => view.state === 'done', 10_000);
    }
    expect((await resume()).detail).toBe('not-kept');
  }, 120_000);

  it('is told the sender left when the sender is no longer in the room', async () => {
    await net.start();
    const { ann, resume } = await bobReloadsMidway('reload5');
    ann.leave();
    expect((await resume()).detail).toBe('sender-left');
  }, 120_000);

  it('without kept parts, an old announcement says it was sent before this person joined', async () => {
    await net.start();
    const pool = net.pool(defaultLiveness);
    const host = await pool.join('reload2', 'Hana');
    const data = fileOf(100_000, 72);
    expect((await host.files.sendFile(new Blob([data as Uint8Array<ArrayBuffer>]), 'old.bin')).ok).toBe(true);
    await untilFile(host, 'old.bin', (view) => view.state === 'done' || view.state === 'waiting', 10_000);
    const late = await net.pool(defaultLiveness, { now: () => Date.now() + 60_000 }).join('reload2', 'Lee');
    await untilFile(late, 'old.bin', (view) => view.state === 'failed', 15_000);
    expect(viewOf(late, 'old.bin')?.detail).toBe('before-joined');
  });

  it('leaving the room on purpose drops what was kept of a file still arriving', async () => {
    await net.start();
    const kept = new MemoryPartialStore();
    const pool = net.pool(defaultLiveness);
    const host = await pool.join('reload3', 'Hana');
    const bob = await net.pool(defaultLiveness, { partials: kept }).join('reload3', 'Bob');
    await until(bob, (s) => s.linkedToHost);
    const data = fileOf(24 * 1024 * 1024, 73);
    expect((await host.files.sendFile(new Blob([data as Uint8Array<ArrayBuffer>]), 'left.bin')).ok).toBe(true);
    await untilFile(bob, 'left.bin', (view) => view.bytes >= 2 * 1024 * 1024, 30_000);
    const { transfer } = viewOf(bob, 'left.bin')!;
    expect(await kept.load(transfer)).not.toBeNull();
    bob.leave();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await kept.load(transfer)).toBeNull();
  });
});
