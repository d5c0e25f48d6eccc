import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { toBase64url } from '../../../shared/crypto/encoding.ts';
import { createInviteSecret } from '../../../shared/crypto/invite.ts';
import { derivePrivateRoom } from '../../../shared/crypto/private-room.ts';
import { systemRandom } from '../../../shared/crypto/random.ts';
import { defaultLiveness } from '../../../shared/liveness.ts';
import type { RoomSession } from '../../../web/src/net/room-session.ts';
import { bytesOf, fileOf, linked, room, untilFile, viewOf } from '../../support/file-sessions.ts';
import { useNetFixture } from '../../support/net-fixture.ts';
import { recordingLinks } from '../../support/recording-links.ts';
import { fastLiveness, until } from '../../support/sessions.ts';

const net = useNetFixture();

const digest = (bytes: Uint8Array) => toBase64url(sha256(bytes));
const blobOf = (data: Uint8Array, type = '') => new Blob([data as Uint8Array<ArrayBuffer>], { type });
const peerIdOf = (session: RoomSession) => session.snapshot().selfId!;

/** Whether `needle` occurs in `haystack`. */
function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i += 1) {
    for (let j = 0; j < needle.length; j += 1) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('files in private rooms and to one person', () => {
  it('a private room: a member’s file reaches everyone verified, and its name never travels in the open', async () => {
    const pool = await net.start();
    const privateRoom = derivePrivateRoom(createInviteSecret(systemRandom));
    const frames: string[] = [];
    const options = { privateRoom };
    const host = await net.pool(fastLiveness, { createLink: recordingLinks(frames) }).join(privateRoom.roomId, 'Hana', options);
    const ann = await pool.join(privateRoom.roomId, 'Ann', options);
    const bob = await pool.join(privateRoom.roomId, 'Bob', options);
    // A link that fails once (node-datachannel under load) is made again: give it the time a retry takes.
    await until(ann, (s) => s.linkedToHost, 20_000);
    await until(bob, (s) => s.linkedToHost, 20_000);
    await linked(host, ann, bob);
    const data = fileOf(2 * 1024 * 1024 + 99, 31);
    expect((await ann.files.sendFile(blobOf(data, 'application/pdf'), 'merger-plan.pdf')).ok).toBe(true);
    for (const session of [host, bob]) {
      await untilFile(session, 'merger-plan.pdf', (view) => view.state === 'done', 15_000);
      expect(viewOf(session, 'merger-plan.pdf')).toMatchObject({ detail: 'verified', file: { type: 'application/pdf', size: data.length } });
      expect(digest(await bytesOf(viewOf(session, 'merger-plan.pdf')))).toBe(digest(data));
    }
    await untilFile(ann, 'merger-plan.pdf', (view) => view.state === 'done');
    // Every announcement the host's links carried was sealed: the name is in none of them.
    const announcements = frames.filter((frame) => frame.includes('"attach"'));
    expect(announcements.length).toBeGreaterThan(0);
    expect(frames.some((frame) => frame.includes('merger-plan'))).toBe(false);
  });

  it('to one person: only they receive it; the host relays chunks it cannot read and shows nothing', async () => {
    const pool = await net.start();
    const frames: string[] = [];
    const relayed: Uint8Array[] = [];
    const hostLinks = recordingLinks(frames, (frame) => {
      if (frame[0] === 1) relayed.push(frame.slice());
      return frame;
    });
    const host = await net.pool(fastLiveness, { createLink: hostLinks }).join('sf2', 'Hana');
    const ann = await pool.join('sf2', 'Ann');
    const bob = await pool.join('sf2', 'Bob');
    await until(ann, (s) => s.linkedToHost);
    await until(bob, (s) => s.linkedToHost);
    await linked(host, ann, bob);
    const carl = await pool.join('sf2', 'Carl');
    await until(carl, (s) => s.linkedToHost);
    await until(host, (s) => s.roster.members.length === 4);

    const data = fileOf(1024 * 1024 + 5, 41);
    expect((await ann.files.sendFile(blobOf(data, 'text/plain'), 'for-bob.txt', peerIdOf(bob))).ok).toBe(true);
    await untilFile(bob, 'for-bob.txt', (view) => view.state === 'done', 15_000);
    expect(digest(await bytesOf(viewOf(bob, 'for-bob.txt')))).toBe(digest(data));
    await untilFile(ann, 'for-bob.txt', (view) => view.state === 'done' && view.detail === 'sent');
    // Bob's log shows it as a private line from Ann.
    const line = bob.snapshot().timeline.find((entry) => entry.kind === 'chat' && entry.text === 'for-bob.txt');
    expect(line?.kind === 'chat' && line.direct).toEqual({ toName: 'Bob' });
    expect(line?.kind === 'chat' && line.message.name).toBe('Ann');

    // Neither the host nor Carl has a transfer or a line for it.
    for (const session of [host, carl]) {
      expect(viewOf(session, 'for-bob.txt')).toBeUndefined();
      expect(session.snapshot().timeline.some((entry) => entry.kind === 'chat' && entry.text === 'for-bob.txt')).toBe(false);
    }
    // What the host handed on: chunks whose bytes are not the file's (sealed), and no frame that names the file.
    expect(relayed.length).toBeGreaterThan(0);
    const probe = data.subarray(4096, 4096 + 32);
    expect(relayed.some((frame) => contains(frame, probe))).toBe(false);
    expect(frames.some((frame) => frame.includes('for-bob'))).toBe(false);
  });

  it('the host sends one to a member, and a member sends one to the host', async () => {
    const pool = await net.start();
    const [host, ann, bob] = await room('sf3', pool);
    const toAnn = fileOf(300_000, 51);
    const toHana = fileOf(400_000, 52);
    expect((await host.files.sendFile(blobOf(toAnn), 'to-ann.bin', peerIdOf(ann))).ok).toBe(true);
    expect((await bob.files.sendFile(blobOf(toHana), 'to-hana.bin', peerIdOf(host))).ok).toBe(true);
    await untilFile(ann, 'to-ann.bin', (view) => view.state === 'done', 15_000);
    await untilFile(host, 'to-hana.bin', (view) => view.state === 'done', 15_000);
    expect(digest(await bytesOf(viewOf(ann, 'to-ann.bin')))).toBe(digest(toAnn));
    expect(digest(await bytesOf(viewOf(host, 'to-hana.bin')))).toBe(digest(toHana));
    expect(viewOf(bob, 'to-ann.bin')).toBeUndefined();
    expect(viewOf(ann, 'to-hana.bin')).toBeUndefined();
    // Sending to someone not in the room is refused with a sentence, before anything is read.
    const refused = await ann.files.sendFile(blobOf(toAnn), 'nobody.bin', 'no-such-peer');
    expect(!refused.ok && refused.error.code).toBe('ERR_NO_RECIPIENT');
  });

  it('a file to one person carries on through the new host when the host leaves mid-way, and still verifies', async () => {
    await net.start({ hostWatch: { pingIntervalMs: 1000, maxMissedPings: 7 } });
    const pool = net.pool(defaultLiveness);
    const [host, ann, bob] = await room('sf4', pool);
    const data = fileOf(16 * 1024 * 1024, 61);
    expect((await bob.files.sendFile(blobOf(data), 'handover.bin', peerIdOf(ann))).ok).toBe(true);
    await untilFile(ann, 'handover.bin', (view) => view.bytes >= 1024 * 1024, 20_000);
    host.leave();
    expect(viewOf(ann, 'handover.bin')!.bytes).toBeLessThan(data.length);
    // Ann, the recipient, is elected (she joined first after the host) and takes the rest in her own relay.
    await until(ann, (s) => s.role === 'host', 10_000);
    await untilFile(ann, 'handover.bin', (view) => view.state === 'done', 60_000);
    expect(digest(await bytesOf(viewOf(ann, 'handover.bin')))).toBe(digest(data));
    await untilFile(bob, 'handover.bin', (view) => view.state === 'done', 10_000);
  }, 90_000);
});
