import { readFile, writeFile } from 'node:fs/promises';
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
 * Writes `file.br` (brotli, quality 11) and `file.gz` (gzip made by Zopfli, which any gzip reader reads) beside each compressible file of the build, so
 * the server can send the coding a browser asks for without compressing anything per request
 * (signaling/http.ts). A copy that is not smaller than the file is not written.
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
            const [br, gz] = await Promise.all([
              brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
              gzipAsync(bytes, { numiterations: ZOPFLI_ITERATIONS }),
            ]);
            if (br.length < bytes.length) await writeFile(`${path}.br`, br);
            if (gz.length < bytes.length) await writeFile(`${path}.gz`, gz);
          }),
      );
    },
  };
}
