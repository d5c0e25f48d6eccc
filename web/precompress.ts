import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
import type { Plugin } from 'vite';

/** Files worth compressing: text. Images and fonts are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|map|txt)$/;

/** Below this, a compressed copy saves less than its headers and a disk read cost (a 600-byte chunk still gains). */
export const MIN_BYTES = 512;

/**
 * Zopfli's passes over each file: its gzip is 3-4 % smaller than zlib's at level 9 (the room's script, 240 KB: 74.9
 * against 78.2 KB), which every browser that asks for gzip only (Chromium at a plain-http LAN address) downloads.
 * More passes gained under 0.1 % here and took seconds longer.
 */
const ZOPFLI_ITERATIONS = 15;

const brotli = promisify(brotliCompress);

/**
 * Compressed copies of earlier builds, by the SHA-256 of the file and the settings: Zopfli takes most of a build's
 * time (about 8 s of 9 here), and most builds change few files (hashed names stay the same when the bytes do).
 */
const CACHE_DIR = join('node_modules', '.cache', 'chatus-precompress');
const SETTINGS = `br11-zopfli${ZOPFLI_ITERATIONS}`;

/** The compressed copy of `bytes` kept under `key`, or made by `make` and kept. */
async function cached(key: string, make: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const path = join(CACHE_DIR, key);
  try {
    return await readFile(path);
  } catch {
    const made = await make();
    await mkdir(CACHE_DIR, { recursive: true });
    await writeFile(path, made);
    return made;
  }
}

/**
 * Writes `file.br` (brotli, quality 11) and `file.gz` (gzip made by Zopfli, which any gzip reader reads) beside each compressible file of the build, so
 * the server can send the coding a browser asks for without compressing anything per request
 * (signaling/http.ts). A copy that is not smaller than the file is not written. Copies are kept in CACHE_DIR for
 * the next build.
 */
export function precompress(): Plugin {
  return {
    name: 'chatus-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? '';
      await Promise.all(
        Object.keys(bundle)
          .filter((name) => COMPRESSIBLE.test(name))
          .map(async (name) => {
            const path = join(dir, name);
            const bytes = await readFile(path);
            if (bytes.length < MIN_BYTES) return;
            const key = `${createHash('sha256').update(bytes).digest('hex')}-${SETTINGS}`;
            const [br, gz] = await Promise.all([
              cached(`${key}.br`, () => brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })),
              cached(`${key}.gz`, () => gzipAsync(bytes, { numiterations: ZOPFLI_ITERATIONS })),
            ]);
            if (br.length < bytes.length) await writeFile(`${path}.br`, br);
            if (gz.length < bytes.length) await writeFile(`${path}.gz`, gz);
          }),
      );
    },
  };
}
