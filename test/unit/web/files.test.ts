import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toBase64url } from '../../../shared/crypto/encoding.ts';
import { CHUNK_HEADER_BYTES, decodeBulkFrame, EndReason } from '../../../shared/files/bulk-frame.ts';
import { chunkFrame } from '../../../shared/files/relay-frames.ts';
import { BULK_HIGH_WATER_BYTES, FILE_STALL_TIMEOUT_MS, FILE_WINDOW_CHUNKS, MAX_FILE_CHUNK_BYTES } from '../../../shared/limits.ts';
import type { FileDescription } from '../../../shared/protocol/envelope.ts';
import { HostRelay } from '../../../web/src/net/files/host-relay.ts';
import { nobleHash } from '../../../web/src/net/files/file-hasher.ts';
import { IncomingFile } from '../../../web/src/net/files/incoming-file.ts';
import { CHUNKS_PER_READ, hashFile, OutgoingFile } from '../../../web/src/net/files/outgoing-file.ts';
import { MemoryNetwork } from '../../support/memory-link.ts';
import { noLocalEnd } from '../../support/relay-ends.ts';

const id = new Uint8Array(16).fill(3);
const transfer = toBase64url(id);
const bytes = (size: number, seed = 1) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff);
const describe_ = (data: Uint8Array, sha = toBase64url(sha256(data))): FileDescription => ({ transfer, name: 'f.bin', size: data.length, type: '', sha256: sha });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('an incoming file', () => {
  it('offers the bytes only when the hash of what arrived matches the announcement', async () => {
    const data = bytes(3 * 1024 * 1024 + 5);
    const file = new IncomingFile(describe_(data), nobleHash());
    const size = 60_000;
    let result = 'more';
    for (let i = 0; i * size < data.length; i += 1) result = file.chunk(i, data.subarray(i * size, (i + 1) * size));
    expect(result).toBe('done');
    // Compared by digest: a deep equality over megabytes takes vitest tens of seconds.
    expect(toBase64url(sha256(new Uint8Array(await file.blob!.arrayBuffer())))).toBe(toBase64url(sha256(data)));
  });

  it('refuses a damaged byte, a chunk out of order and bytes past the size', () => {
    const data = bytes(1000);
    const damaged = new IncomingFile(describe_(data), nobleHash());
    const copy = data.slice();
    copy[999]! ^= 1;
    expect(damaged.chunk(0, copy)).toBe('damaged');
    expect(damaged.blob).toBeUndefined();
    const reordered = new IncomingFile(describe_(data), nobleHash());
    expect(reordered.chunk(1, data.subarray(0, 500))).toBe('out-of-order');
    expect(new IncomingFile(describe_(data), nobleHash()).chunk(0, bytes(1001))).toBe('out-of-order');
  });
});

describe('an outgoing file', () => {
  it('is hashed slice by slice as one hash of the whole', async () => {
    const data = bytes(2_500_000, 9);
    expect(await hashFile(new Blob([data]), nobleHash(), () => true)).toBe(toBase64url(sha256(data)));
    expect(await hashFile(new Blob([data]), nobleHash(), () => false)).toBeNull();
  });

  it('reads the next slice while it hashes one, and a read ahead that fails after it is no longer wanted goes nowhere', async () => {
    const reads: number[] = [];
    /** A Blob whose reads past the first megabyte fail, as a file removed from the disk would. */
    class FailingBlob extends Blob {
      override slice(start = 0, end?: number): Blob {
        reads.push(start);
        const part = super.slice(start, end);
        if (start > 0) Object.defineProperty(part, 'arrayBuffer', { value: () => Promise.reject(new Error('gone')) });
        return part;
      }
    }
    // Cancelled while the first slice was read.
    expect(await hashFile(new FailingBlob([bytes(3_000_000, 2)]), nobleHash(), () => false)).toBeNull();
    // The second slice was asked for before the first was hashed; no third, and the failed read was caught (vitest fails
    // a run with an unhandled rejection).
    expect(reads).toEqual([0, 1024 * 1024]);
    await settle();
  });

  it('is cut into frames no larger than the channel allows, never past the window', async () => {
    const data = bytes(200_000, 4);
    const frames: Uint8Array[] = [];
    let acked = 0;
    const sender = new OutgoingFile(new Blob([data]), id, 16 * 1024 - CHUNK_HEADER_BYTES, { room: (sent) => sent - acked < 4, send: (frame) => (frames.push(frame), true) }, () => {
      throw new Error('failed');
    });
    sender.pump();
    await vi.waitUntil(() => frames.length === 4);
    await settle();
    expect(frames).toHaveLength(4);
    acked = 100;
    sender.pump();
    await vi.waitUntil(() => sender.allSent);
    expect(frames.every((frame) => frame.length <= 16 * 1024)).toBe(true);
    const chunks = frames.map((frame) => decodeBulkFrame(frame));
    expect(chunks.map((chunk) => (chunk?.kind === 'chunk' ? chunk.index : -1))).toEqual(chunks.map((_, i) => i));
    const joined = new Uint8Array(await new Blob(chunks.map((chunk) => (chunk?.kind === 'chunk' ? chunk.data : new Uint8Array())) as Uint8Array<ArrayBuffer>[]).arrayBuffer());
    expect(toBase64url(sha256(joined))).toBe(toBase64url(sha256(data)));
  });

  it('starts from a chunk a new host asks for, cut as before', async () => {
    const data = bytes(10_000, 5);
    const frames: Uint8Array[] = [];
    const sender = new OutgoingFile(new Blob([data]), id, 1000, { room: () => true, send: (frame) => (frames.push(frame), true) }, () => undefined, 7);
    sender.pump();
    await vi.waitUntil(() => sender.allSent);
    const chunks = frames.map((frame) => decodeBulkFrame(frame));
    expect(chunks.map((chunk) => (chunk?.kind === 'chunk' ? chunk.index : -1))).toEqual([7, 8, 9]);
    expect(chunks[0]?.kind === 'chunk' && chunks[0].data).toEqual(data.subarray(7000, 8000));
    expect(sender.sent).toBe(10);
  });
});

describe('an outgoing file read in slices', () => {
  /** A Blob that counts how often it is sliced (each slice is one read of the file). */
  class CountedBlob extends Blob {
    slices = 0;
    override slice(start?: number, end?: number, type?: string): Blob {
      this.slices += 1;
      return super.slice(start, end, type);
    }
  }

  it('reads many chunks at once, and a sink that acknowledges within send gets each chunk once, in order', async () => {
    const data = bytes(1_000_000, 6);
    const file = new CountedBlob([data]);
    const frames: Uint8Array[] = [];
    let acked = 0;
    const sender: OutgoingFile = new OutgoingFile(
      file,
      id,
      16 * 1024 - CHUNK_HEADER_BYTES,
      {
        room: (sent) => sent - acked < 4,
        // As the hosting tab's own relay does: the acknowledgement, and the pump it starts, come within send.
        send: (frame) => {
          frames.push(frame);
          acked = frames.length;
          sender.pump();
          return true;
        },
      },
      () => {
        throw new Error('failed');
      },
    );
    sender.pump();
    await vi.waitUntil(() => sender.allSent);
    const chunks = frames.map((frame) => decodeBulkFrame(frame));
    expect(chunks.map((chunk) => (chunk?.kind === 'chunk' ? chunk.index : -1))).toEqual(chunks.map((_, i) => i));
    expect(file.slices).toBe(Math.ceil(chunks.length / CHUNKS_PER_READ));
    const joined = new Uint8Array(await new Blob(chunks.map((chunk) => (chunk?.kind === 'chunk' ? chunk.data : new Uint8Array())) as Uint8Array<ArrayBuffer>[]).arrayBuffer());
    expect(toBase64url(sha256(joined))).toBe(toBase64url(sha256(data)));
  });

  it('fails instead of reading for ever when the file shrank under it', async () => {
    const shrunk = new Blob([bytes(100)]);
    Object.defineProperty(shrunk, 'size', { value: 100_000 });
    const failed = vi.fn();
    const sender = new OutgoingFile(shrunk, id, 16 * 1024 - CHUNK_HEADER_BYTES, { room: () => true, send: () => true }, failed);
    sender.pump();
    await vi.waitUntil(() => failed.mock.calls.length > 0);
    expect(sender.allSent).toBe(false);
  });
});

describe('the host relay over in-memory links', () => {
  afterEach(() => vi.useRealTimers());

  it('holds at most a window for a receiver that does not read, keeps its channel under the high-water mark, and drops it after the stall timeout', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const network = new MemoryNetwork();
    const ann = await network.openPair();
    const bob = await network.openPair();
    let now = 0;
    const local: number[] = [];
    const relay = new HostRelay('hana', { ...noLocalEnd, chunk: (_t, index) => void local.push(index) }, () => now);
    relay.addLink('ann', ann.host);
    relay.addLink('bob', bob.host);
    const chunkBytes = MAX_FILE_CHUNK_BYTES - CHUNK_HEADER_BYTES;
    const size = 64 * chunkBytes;
    relay.start(transfer, 'ann', size);
    bob.member.stall();
    // Ann sends as the real sender does: no more than the window past the host's acknowledgements.
    let acked = 0;
    let sent = 0;
    ann.member.on('bulk', (frame) => {
      const decoded = decodeBulkFrame(frame);
      if (decoded?.kind === 'ack') acked = decoded.count;
    });
    let maxHeld = 0;
    for (let round = 0; round < 50; round += 1) {
      while (sent - acked < FILE_WINDOW_CHUNKS && sent < 64) ann.member.sendBulk(chunkFrame(id, sent++, bytes(chunkBytes, sent)));
      await settle();
      maxHeld = Math.max(maxHeld, relay.heldChunks);
      expect(bob.host.bulkBufferedAmount).toBeLessThanOrEqual(BULK_HIGH_WATER_BYTES + MAX_FILE_CHUNK_BYTES);
    }
    expect(maxHeld).toBe(FILE_WINDOW_CHUNKS);
    expect(sent).toBeLessThan(64);
    expect(local.length).toBe(sent);
    // Bob takes nothing for the stall timeout: he is dropped and told, and the transfer runs on for the others.
    now += FILE_STALL_TIMEOUT_MS + 1;
    vi.advanceTimersByTime(1000);
    const toBob = bob.host.sentBulk.map((frame) => decodeBulkFrame(frame));
    expect(toBob.at(-1)).toMatchObject({ kind: 'end', reason: EndReason.tooSlow });
    for (let round = 0; round < 50 && sent < 64; round += 1) {
      while (sent - acked < FILE_WINDOW_CHUNKS && sent < 64) ann.member.sendBulk(chunkFrame(id, sent++, bytes(chunkBytes, sent)));
      await settle();
    }
    await settle();
    expect(local).toHaveLength(64);
    expect(acked).toBe(64);
    expect(relay.heldChunks).toBe(0);
    relay.close();
  });

  it('refuses a sender past its window and tells everyone', async () => {
    const network = new MemoryNetwork();
    const ann = await network.openPair();
    const bob = await network.openPair();
    const ended: EndReason[] = [];
    const relay = new HostRelay('hana', { ...noLocalEnd, ended: (_t, reason) => void ended.push(reason) }, () => 0);
    relay.addLink('ann', ann.host);
    relay.addLink('bob', bob.host);
    relay.start(transfer, 'ann', 10 * 1000);
    bob.member.stall();
    // Bob's channel looks full, so nothing is taken and nothing acknowledged.
    Object.defineProperty(bob.host, 'bulkBufferedAmount', { get: () => BULK_HIGH_WATER_BYTES });
    for (let i = 0; i <= FILE_WINDOW_CHUNKS; i += 1) ann.member.sendBulk(chunkFrame(id, i, bytes(10)));
    await settle();
    expect(ended).toEqual([EndReason.refused]);
    expect(ann.host.sentBulk.map((frame) => decodeBulkFrame(frame)).at(-1)).toMatchObject({ kind: 'end', reason: EndReason.refused });
    relay.close();
  });
});
