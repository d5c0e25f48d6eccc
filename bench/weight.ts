import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Row } from './stats.ts';

/**
 * Web client weight: the JavaScript the join page loads (its module scripts and preloads) and everything in the
 * build, raw and gzip. The baseline is the join page's JavaScript, so the second row shows what else the app ships.
 */
export async function measureWeight(distDir = 'dist/web'): Promise<Row[]> {
  const html = await readFile(join(distDir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const joinPage = await sizes(scripts.map((file) => join(distDir, file)));
  const all = await sizes(await files(distDir));
  return [
    { scenario: 'web client weight', metric: 'join page JS, raw', chatus: joinPage.raw / 1024, baseline: joinPage.raw / 1024, baselineName: 'itself', unit: 'KiB', better: 'lower' },
    { scenario: 'web client weight', metric: 'join page JS, gzip', chatus: joinPage.gzip / 1024, baseline: joinPage.gzip / 1024, baselineName: 'itself', unit: 'KiB', better: 'lower' },
    { scenario: 'web client weight', metric: 'whole app, raw', chatus: all.raw / 1024, baseline: joinPage.raw / 1024, baselineName: 'join page JS', unit: 'KiB', better: 'lower' },
    { scenario: 'web client weight', metric: 'whole app, gzip', chatus: all.gzip / 1024, baseline: joinPage.gzip / 1024, baselineName: 'join page JS', unit: 'KiB', better: 'lower' },
  ];
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)])));
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
