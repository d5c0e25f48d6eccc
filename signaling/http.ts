import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { acceptedCodings, suffixOf, type Coding } from './content-encoding.ts';

const contentTypes = new Map<string, string>([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.json', 'application/json'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.ico', 'image/x-icon'],
  ['.map', 'application/json'],
  ['.txt', 'text/plain; charset=utf-8'],
]);

/**
 * Headers on every HTTP response. The CSP is strict: scripts, styles and connections only from this origin (the page
 * talks to nothing but this server's `/ws`: in CSP Level 3, which Chromium and Firefox implement, 'self' also
 * matches ws:/wss: to the same host and port), no inline script or style, no plugins, no <base>, no framing (so
 * no clickjacking), forms post only here. Lit puts component styles in constructed stylesheets (adoptedStyleSheets
 * in Chromium, Firefox and Safari), which style-src does not govern, so no 'unsafe-inline' is needed; the page's own
 * rules are a CSS file. `img-src data:` is for the empty favicon (`data:,`) that stops a /favicon.ico request;
 * `blob:` for the preview of a received image (a Blob URL, which only this page's origin can make).
 * 'wasm-unsafe-eval' lets the page compile WebAssembly (hash-wasm's SHA-256 of files, twice as fast as pure JS) and
 * nothing else: eval and new Function stay refused (CSP Level 3; Chromium 97+, Firefox 102+, Safari 16+).
 * No referrer, so an invite link's room never leaks to another site; nosniff, so no file is run as another type.
 */
export const securityHeaders = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Something the HTTP layer can answer besides files. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * Serves the built web client from `root`: GET and HEAD only, no path outside `root`, and `index.html` for `/`.
 * Query strings are ignored, so invite links (`/?server=…&room=…`) load the page. A file the build also wrote
 * compressed (`.br`, `.gz` beside it) goes out in the coding the request's `Accept-Encoding` prefers; without such a
 * file, or when the request accepts none, it goes out as it is. Nothing is compressed per request.
 */
export function createStaticHandler(root: string): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const base = resolve(root);
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      reply(response, 405, 'method not allowed', { allow: 'GET, HEAD' });
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      reply(response, 400, 'bad path');
      return;
    }
    const file = resolve(base, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
    if (file !== base && !file.startsWith(base + sep)) {
      reply(response, 404, 'not found');
      return;
    }
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      reply(response, 404, pathname === '/' ? 'the web client is not built: run `npm run build`' : 'not found');
      return;
    }
    const sent = await encodedVariant(file, request.headers['accept-encoding']);
    response.writeHead(200, {
      ...securityHeaders,
      'content-type': contentTypes.get(extname(file)) ?? 'application/octet-stream',
      ...(sent ? { 'content-encoding': sent.coding } : {}),
      'content-length': sent?.size ?? info.size,
      // The answer depends on Accept-Encoding, so a cache must not give one client's coding to another.
      vary: 'Accept-Encoding',
      'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(sent?.path ?? file)
      .on('error', () => response.destroy())
      .pipe(response);
  };
}

/** The precompressed file to send for `file`, in the best coding `acceptEncoding` allows that the build wrote. */
async function encodedVariant(file: string, acceptEncoding: string | undefined): Promise<{ coding: Coding; path: string; size: number } | null> {
  for (const coding of acceptedCodings(acceptEncoding)) {
    const path = file + suffixOf(coding);
    const info = await stat(path).catch(() => null);
    if (info?.isFile()) return { coding, path, size: info.size };
  }
  return null;
}

/** Writes a small plain-text answer. */
export function reply(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8', ...headers });
  response.end(`${text}\n`);
}
