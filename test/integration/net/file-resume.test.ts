import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { toBase64url } from '../../../shared/crypto/encoding.ts';
import { defaultLiveness } from '../../../shared/liveness.ts';
import type { DataLink, LinkFactory } from '../../../web/src/net/link.ts';
import { createPeerLink } from '../../../web/src/net/peer-link.ts';
import type { RoomSession } from '../../../web/src/net/room-session.ts';
import { bytesOf, fileOf, linked, room, untilFile, viewOf } from '../../support/file-sessions.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { fastLiveness, until } from '../../support/sessions.ts';

const net = useNetFixture();

// Every peer runs in this one process, hashing megabytes: the default liveness, and a server that waits longer for a
// busy host page, keep a busy moment of the whole process from dropping links or replacing the host.

const digest = (data: Uint8Array) => toBase64url(sha256(data));

/** Until `session` hosts the room. */
const hosting = (session: RoomSession) => until(session, (s) => s.role === 'host', 10_000);

describe('a transfer carries on through the new host when the host leaves mid-way', () => {
  it("a member's file: the receiver that becomes host and the other receiver both get it, verified, without starting over", async () => {
    await net.start({ hostWatch: { pingIntervalMs: 1000, maxMissedPings: 7 } });
    const pool = net.pool(defaultLiveness);
    const [host, ann, bob] = await room('r1', pool);
    const carl = await pool.join('r1', 'Carl');
    await until(carl, (s) => s.linkedToHost);
    carl.send('carl linked');
    await until(bob, (s) => s.timeline.some((e) => e.kind === 'chat' && e.text === 'carl linked'));
    const data = fileOf(12 * 1024 * 1024, 21);
    expect((await carl.files.sendFile(new Blob([data as Uint8Array<ArrayBuffer>]), 'movie.bin')).ok).toBe(true);
    await untilFile(bob, 'movie.bin', (view) => view.bytes >= 2 * 1024 * 1024, 20_000);
    host.leave();
    // Ann joined first after the host, so she is elected; Bob held more than nothing, and goes on from there.
    await hosting(ann);
    const lowest = viewOf(bob, 'movie.bin')!.bytes;
    let restarted = false;
    const watch = setInterval(() => (restarted ||= viewOf(bob, 'movie.bin')!.bytes < lowest), 5);
    for (const session of [ann, bob]) {
      await untilFile(session, 'movie.bin', (view) => view.state === 'done', 60_000);
      expect(digest(await bytesOf(viewOf(session, 'movie.bin')))).toBe(digest(data));
    }
    clearInterval(watch);
    expect(restarted).toBe(false);
    await untilFile(carl, 'movie.bin', (view) => view.state === 'done', 10_000);
  }, 90_000);

  it('the sender becomes the host: it goes on from what the receivers hold', async () => {
    await net.start({ hostWatch: { pingIntervalMs: 1000, maxMissedPings: 7 } });
    const pool = net.pool(defaultLiveness);
    const [host, ann, bob] = await room('r2', pool);
    const data = fileOf(10 * 1024 * 1024, 22);
    expect((await ann.files.sendFile(new Blob([data as Uint8Array<ArrayBuffer>]), 'slides.pdf')).ok).toBe(true);
    await untilFile(bob, 'slides.pdf', (view) => view.bytes >= 1024 * 1024, 20_000);
    host.leave();
    await hosting(ann);
    await untilFile(bob, 'slides.pdf', (view) => view.state === 'done', 60_000);
    expect(digest(await bytesOf(viewOf(bob, 'slides.pdf')))).toBe(digest(data));
    await untilFile(ann, 'slides.pdf', (view) => view.state === 'done', 10_000);
  }, 90_000);

  it("the host's own file cannot go on without it: the others are told the sender left", async () => {
    await net.start({ hostWatch: { pingIntervalMs: 1000, maxMissedPings: 7 } });
    const pool = net.pool(defaultLiveness);
    const [host, ann, bob] = await room('r3', pool);
    expect((await host.files.sendFile(new Blob([fileOf(24 * 1024 * 1024, 23) as Uint8Array<ArrayBuffer>]), 'dump.bin')).ok).toBe(true);
    await untilFile(bob, 'dump.bin', (view) => view.bytes > 0, 20_000);
    host.leave();
    for (const session of [ann, bob]) {
      await untilFile(session, 'dump.bin', (view) => view.state === 'failed', 10_000);
      expect(viewOf(session, 'dump.bin')?.detail).toBe('sender-left');
    }
  }, 60_000);
});

describe('a file whose announcement the host acknowledged over a link that then dropped', () => {
  it('starts once the sender has linked again and the host says it holds the announcement', async () => {
    const pool = await net.start();
    // Ann's first link to the host loses the host's acknowledgement of her file's announcement, and drops with it.
    let dropAck = false;
    const losingAck: LinkFactory = (options) => {
      const link = createPeerLink(options);
      const listeners = new Set<(data: string) => void>();
      link.on('message', (data) => {
        if (!dropAck || JSON.parse(data).type !== 'ack') return listeners.forEach((listener) => listener(data));
        dropAck = false;
        link.close();
      });
      return new Proxy(link, {
        get: (target, key) => {
          if (key === 'on') {
            return (type: string, listener: (data: string) => void) => {
              if (type !== 'message') return target.on(type as 'close', listener as () => void);
              listeners.add(listener);
              return () => listeners.delete(listener);
            };
          }
          const value: unknown = Reflect.get(target, key, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }) as DataLink;
    };
    const host = await pool.join('r3', 'Hana');
    const ann = await net.pool(fastLiveness, { createLink: losingAck }).join('r3', 'Ann');
    const bob = await pool.join('r3', 'Bob');
    await until(ann, (s) => s.linkedToHost);
    await until(bob, (s) => s.linkedToHost);
    await linked(host, ann, bob);
    // Every acknowledgement of Ann's so far has come: the next one is her file's.
    await until(ann, (s) => s.timeline.every((e) => e.kind !== 'chat' || e.status === 'delivered'));
    const data = fileOf(2 * 1024 * 1024, 23);
    dropAck = true;
    expect((await ann.files.sendFile(new Blob([data as Uint8Array<ArrayBuffer>]), 'late.bin')).ok).toBe(true);
    for (const session of [bob, host]) {
      await untilFile(session, 'late.bin', (view) => view.state === 'done', 20_000);
      expect(digest(await bytesOf(viewOf(session, 'late.bin')))).toBe(digest(data));
    }
    expect(dropAck).toBe(false);
    await untilFile(ann, 'late.bin', (view) => view.state === 'done', 5000);
  }, 60_000);
});
