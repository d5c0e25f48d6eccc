import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { CHUNK_HEADER_BYTES, decodeBulkFrame, endFrame, EndReason, resumeFrame, wantFrame } from '../../../shared/files/bulk-frame.ts';
import { ackFrame, askFrame, chunkFrame, seekFrame } from '../../../shared/files/relay-frames.ts';
import { isPreviewableImage, sanitizeFileName } from '../../../shared/files/file-name.ts';
import { RelayQueue } from '../../../shared/files/relay-queue.ts';
import { MAX_FILE_CHUNK_BYTES, MAX_FILE_NAME_LENGTH } from '../../../shared/limits.ts';
import { FileDescription } from '../../../shared/protocol/envelope.ts';

const id = new Uint8Array(16).fill(9);

describe('download names', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', '___.._etc_passwd'],
    ['a/b\\c.txt', 'a_b_c.txt'],
    ['C:\\Windows\\evil.exe', 'C__Windows_evil.exe'],
    ['con.txt', '_con.txt'],
    ['NUL', '_NUL'],
    ['lpt1.tar.gz', '_lpt1.tar.gz'],
    ['line\nbreak\u0000.png', 'line_break_.png'],
    ['invoice\u202Efdp.exe', 'invoice_fdp.exe'],
    ['.bashrc', '_bashrc'],
    ['trailing. . ', 'trailing'],
    ['', 'download'],
    ['..', 'download'],
    ['a:b*c?d"e<f>g|h.doc', 'a_b_c_d_e_f_g_h.doc'],
    [`${'x'.repeat(300)}.jpeg`, `${'x'.repeat(115)}.jpeg`],
  ])('%j is saved as %j', (announced, saved) => {
    expect(sanitizeFileName(announced)).toBe(saved);
  });

  it('previews raster images only', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'IMAGE/PNG']) expect(isPreviewableImage(type)).toBe(true);
    for (const type of ['image/svg+xml', 'text/html', 'application/pdf', '', 'image/png+svg']) expect(isPreviewableImage(type)).toBe(false);
  });
});

describe('bulk frames', () => {
  it('round-trip a chunk, an acknowledgement, an end and the carry-over frames', () => {
    const data = new Uint8Array([1, 2, 3]);
    const chunk = decodeBulkFrame(chunkFrame(id, 42, data));
    expect(chunk?.kind === 'chunk' && [chunk.index, [...chunk.data]]).toEqual([42, [1, 2, 3]]);
    expect(decodeBulkFrame(ackFrame(id, 7))).toMatchObject({ kind: 'ack', count: 7 });
    expect(decodeBulkFrame(endFrame(id, EndReason.tooSlow))).toMatchObject({ kind: 'end', reason: EndReason.tooSlow });
    expect(decodeBulkFrame(wantFrame(id, 5))).toMatchObject({ kind: 'want', index: 5 });
    expect(decodeBulkFrame(resumeFrame(id, 65_000))).toMatchObject({ kind: 'resume', chunkBytes: 65_000 });
    expect(decodeBulkFrame(seekFrame(id, 2 ** 32 - 1))).toMatchObject({ kind: 'seek', index: 2 ** 32 - 1 });
    expect(decodeBulkFrame(askFrame(id, 9))).toMatchObject({ kind: 'ask', index: 9 });
    // A count frame of the wrong length is not one.
    expect(decodeBulkFrame(askFrame(id, 9).subarray(0, 20))).toBeNull();
  });

  it('refuses what is not a frame and never makes one over 64 KiB', () => {
    expect(decodeBulkFrame(new Uint8Array(0))).toBeNull();
    expect(decodeBulkFrame(new Uint8Array([9, ...id, 0]))).toBeNull();
    expect(decodeBulkFrame(new Uint8Array([3, ...id, 99]))).toBeNull();
    expect(decodeBulkFrame(new Uint8Array(CHUNK_HEADER_BYTES).fill(1))).toBeNull();
    expect(decodeBulkFrame(new Uint8Array(MAX_FILE_CHUNK_BYTES + 1).fill(1))).toBeNull();
    expect(() => chunkFrame(id, 0, new Uint8Array(MAX_FILE_CHUNK_BYTES - CHUNK_HEADER_BYTES + 1))).toThrow();
    expect(chunkFrame(id, 0, new Uint8Array(MAX_FILE_CHUNK_BYTES - CHUNK_HEADER_BYTES)).length).toBe(MAX_FILE_CHUNK_BYTES);
  });
});

describe('the host relay queue', () => {
  const chunk = (n: number) => new Uint8Array(n);

  it('holds at most a window, releases what every receiver took, and refuses the sender past the window', () => {
    const queue = new RelayQueue(['ann', 'bob'], 3, 100);
    for (let i = 0; i < 3; i += 1) expect(queue.accept(i, chunk(10))).toBe('accepted');
    expect(queue.accept(3, chunk(10))).toBe('over-window');
    expect(queue.held).toBe(3);
    queue.taken('ann');
    queue.taken('ann');
    expect(queue.released).toBe(0);
    queue.taken('bob');
    expect([queue.released, queue.held, queue.pending('ann'), queue.pending('bob')]).toEqual([1, 2, 1, 2]);
    expect(queue.accept(3, chunk(10))).toBe('accepted');
    expect(queue.accept(5, chunk(10))).toBe('out-of-order');
  });

  it('a dropped receiver releases what only it held', () => {
    const queue = new RelayQueue(['ann', 'bob'], 4, 40);
    for (let i = 0; i < 4; i += 1) queue.accept(i, chunk(10));
    while (queue.peek('ann')) queue.taken('ann');
    expect(queue.held).toBe(4);
    expect(queue.drop('bob')).toBe(true);
    expect([queue.held, queue.released, queue.finished]).toEqual([0, 4, true]);
  });

  it('refuses bytes past the announced size', () => {
    const queue = new RelayQueue(['ann'], 4, 15);
    expect(queue.accept(0, chunk(10))).toBe('accepted');
    expect(queue.accept(1, chunk(10))).toBe('over-size');
  });
});

describe('file announcement schema', () => {
  const good = { transfer: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'a.txt', size: 1, type: 'text/plain', sha256: 'A'.repeat(43) };
  it('takes a good one and refuses each limit broken', () => {
    expect(v.is(FileDescription, good)).toBe(true);
    for (const bad of [
      { ...good, name: '' },
      { ...good, name: 'x'.repeat(MAX_FILE_NAME_LENGTH + 1) },
      { ...good, size: -1 },
      { ...good, size: 1.5 },
      { ...good, type: 'text/plain\n' },
      { ...good, sha256: 'A'.repeat(42) },
      { ...good, transfer: 'AAAAAAAAAAAAAAAAAAAAAB' },
    ]) expect(v.is(FileDescription, bad)).toBe(false);
  });
});
