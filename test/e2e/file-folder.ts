import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temporary folder for a test file's files, removed after its tests; `makeFile` fills it. */
export function useFileFolder(): { folder: string; makeFile: (name: string, size: number) => { path: string; sha256: string } } {
  const folder = mkdtempSync(join(tmpdir(), 'chatus-files-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  /** A file of `size` pseudo-random bytes in the folder; its path and SHA-256 (hex). */
  const makeFile = (name: string, size: number) => {
    const bytes = Buffer.alloc(size);
    let x = size;
    for (let i = 0; i < size; i += 4) {
      x = (x * 1664525 + 1013904223) >>> 0;
      bytes.writeUInt32LE(x, Math.min(i, size - 4));
    }
    const path = join(folder, name);
    writeFileSync(path, bytes);
    return { path, sha256: createHash('sha256').update(bytes).digest('hex') };
  };
  return { folder, makeFile };
}

/** The SHA-256 (hex) of a file on disk. */
export const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * Runs in a page: whether it loaded hash-wasm's chunk, which it does to hash its first file. The fixture fails a test
 * on any CSP violation, and a refused WebAssembly compilation is one: loaded with none reported, hash-wasm compiled.
 */
export function loadedWasmHashing(): boolean {
  return performance.getEntriesByType('resource').some((entry) => /\/assets\/wasm-sha256-[\w-]+\.js$/.test(new URL(entry.name).pathname));
}
