import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Row } from './stats.ts';

/**
 * Web client weight from the files: the JavaScript index.html names (its module scripts and preloads; what loads
 * later by import() is not named there) and everything in the build, raw and gzip. The baseline is the entry's
 * JavaScript, so the later rows show what else the app ships. The build's precompressed copies (.br, .gz) are not
 * counted; page-weight.ts measures what a browser actually downloads.
 */
export async function measureWeight(distDir = 'dist/web'): Promise<Row[]> {
  const html = await readFile(join(distDir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const joinPage = await sizes(scripts.map((file) => join(distDir, file)));
  const all = await sizes(await files(distDir));
  return [
    { scenario: 'web client weight', metric: 'entry JS (index.html), raw', chatus: joinPage.raw / 1024, baseline: joinPage.raw / 1024, baselineName: 'itself', unit: 'KiB', better: 'lower' },
    { scenario: 'web client weight', metric: 'entry JS (index.html), gzip', chatus: joinPage.gzip / 1024, baseline: joinPage.gzip / 1024, baselineName: 'itself', unit: 'KiB', better: 'lower' },
    { scenario: 'web client weight', metric: 'whole app, raw', chatus: all.raw / 1024, baseline: joinPage.raw / 1024, baselineName: 'entry JS', unit: 'KiB', better: 'lower' },
    { scenario: 'web client weight', metric: 'whole app, gzip', chatus: all.gzip / 1024, baseline: joinPage.gzip / 1024, baselineName: 'entry JS', unit: 'KiB', better: 'lower' },
  ];
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const built = entries.filter((e) => !/\.(?:br|gz)$/.test(e.name));
  const nested = await Promise.all(built.map((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat();
}

async function sizes(paths: readonly string[]): Promise<{ raw: number; gzip: number }> {
  let raw = 0;
  let gzip = 0;
  for (const path of paths) {
    if (!(await stat(path)).isFile()) continue;
    const bytes = await readFile(path);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}
