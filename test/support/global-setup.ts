import { existsSync } from 'node:fs';
import { build } from 'vite';

/** Builds the web client once before any test that serves it, unless a build is already there. */
export default async function setup(): Promise<void> {
  if (process.env['CHATUS_SKIP_BUILD'] === '1' && existsSync('dist/web/index.html')) return;
  await build({ configFile: 'web/vite.config.ts', logLevel: 'warn' });
}
