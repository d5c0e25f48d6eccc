import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

/** Files worth compressing: text. Images and fonts are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|map|txt)$/;

/** Below this, a compressed copy saves less than its headers and a disk read cost (a 600-byte chunk still gains). */
export const MIN_BYTES = 512;

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Writes `file.br` (brotli, quality 11) and `file.gz` (gzip, level 9) beside each compressible file of the build, so
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
              gzipped(bytes, { level: 9 }),
            ]);
            if (br.length < bytes.length) await writeFile(`${path}.br`, br);
            if (gz.length < bytes.length) await writeFile(`${path}.gz`, gz);
          }),
      );
    },
  };
}
