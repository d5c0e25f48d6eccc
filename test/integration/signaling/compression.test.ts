import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticHandler, securityHeaders } from '../../../signaling/http.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { MIN_BYTES } from '../../../web/precompress.ts';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** One raw HTTP request (no client-side decoding), with the Accept-Encoding given, if any. */
function get(port: number, path: string, acceptEncoding?: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function expectSecurityHeaders(answer: Answer): void {
  for (const [name, value] of Object.entries(securityHeaders)) expect(answer.headers[name], name).toBe(value);
}

describe('the built client, precompressed, on the real server', () => {
  let server: TestServer;
  /** The entry script, as the page names it, and its bytes on disk. */
  let script: { path: string; bytes: Buffer };

  beforeAll(async () => {
    server = await startTestServer();
    const index = await readFile('dist/web/index.html', 'utf8');
    const path = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    if (!path) throw new Error('index.html names no script');
    script = { path, bytes: await readFile(join('dist/web', path)) };
  });
  afterAll(async () => {
    await server.close();
  });

  it(`the build wrote a .br and a .gz beside every script of ${MIN_BYTES} bytes or more, and none beside the tiny files`, async () => {
    const files = await readdir('dist/web/assets');
    const scripts = files.filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(1);
    for (const name of scripts) {
      const size = (await readFile(join('dist/web/assets', name))).length;
      const expected = size >= MIN_BYTES ? [`${name}.br`, `${name}.gz`] : [];
      expect(files.filter((file) => file.startsWith(`${name}.`)).sort(), name).toStrictEqual(expected);
    }
  });

  it('sends brotli for Accept-Encoding: br, which decompresses to the file', async () => {
    const answer = await get(server.port, script.path, 'br');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
    expect(answer.body.length).toBeLessThan(script.bytes.length / 2);
    expect(brotliDecompressSync(answer.body).equals(script.bytes)).toBe(true);
  });

  it('sends gzip for Accept-Encoding: gzip, which decompresses to the file', async () => {
    const answer = await get(server.port, script.path, 'gzip');
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
    expect(gunzipSync(answer.body).equals(script.bytes)).toBe(true);
  });

  it('prefers br to gzip as Chromium and Firefox ask, and honours q-values', async () => {
    expect((await get(server.port, script.path, 'gzip, deflate, br, zstd')).headers['content-encoding']).toBe('br');
    expect((await get(server.port, script.path, 'br;q=0.5, gzip')).headers['content-encoding']).toBe('gzip');
    expect((await get(server.port, script.path, 'br;q=0, gzip')).headers['content-encoding']).toBe('gzip');
  });

  it.each([[undefined], ['identity'], ['br;q=0, gzip;q=0'], ['deflate']])('sends the file as it is for Accept-Encoding %j', async (accept) => {
    const answer = await get(server.port, script.path, accept);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(Number(answer.headers['content-length'])).toBe(script.bytes.length);
    expect(answer.body.equals(script.bytes)).toBe(true);
  });

  it('says Vary: Accept-Encoding and keeps caching and every security header, in each coding', async () => {
    for (const accept of ['br', 'gzip', undefined]) {
      const answer = await get(server.port, script.path, accept);
      expect(answer.headers['vary']).toBe('Accept-Encoding');
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expectSecurityHeaders(answer);
    }
    const page = await get(server.port, '/', 'br, gzip');
    expect(page.headers['vary']).toBe('Accept-Encoding');
    expect(page.headers['cache-control']).toBe('no-cache');
    expectSecurityHeaders(page);
  });

  it('answers HEAD with the headers GET would send and no body', async () => {
    for (const accept of ['br', 'gzip', undefined]) {
      const head = await get(server.port, script.path, accept, 'HEAD');
      const full = await get(server.port, script.path, accept);
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      for (const name of ['content-encoding', 'content-length', 'content-type', 'vary', 'cache-control']) expect(head.headers[name], name).toBe(full.headers[name]);
      expectSecurityHeaders(head);
    }
  });
});

describe('a file without its compressed copy', () => {
  let dir: string;
  let http: Server;
  let port: number;
  const text = 'export const answer = 42;\n'.repeat(100);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chatus-static-'));
    // Only a gzip copy: brotli cannot be sent, and nothing is compressed on the fly.
    await writeFile(join(dir, 'app.js'), text);
    await writeFile(join(dir, 'app.js.gz'), gzipSync(text));
    const handler = createStaticHandler(dir);
    http = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    port = (http.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => http.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('goes out in the next coding the request accepts', async () => {
    const answer = await get(port, '/app.js', 'br, gzip');
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(answer.body).toString()).toBe(text);
  });

  it('goes out as it is when the request accepts only a coding the build did not write', async () => {
    const answer = await get(port, '/app.js', 'br');
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers['vary']).toBe('Accept-Encoding');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(text));
    expect(answer.body.toString()).toBe(text);
  });
});
