import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * One HTTP request with the path sent exactly as given. fetch() and `new URL` would resolve dot segments first,
 * which is what a traversal test must not let the client do.
 */
function get(path: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP', () => {
  it('answers GET /healthz with 200', async () => {
    const answer = await get('/healthz');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok', connections: 0 });
  });

  it('answers /healthz with a query string too', async () => {
    expect((await get('/healthz?probe=1')).status).toBe(200);
  });

  it('serves the built index.html at /, and with an invite query string', async () => {
    const index = await readFile('dist/web/index.html', 'utf8');
    for (const path of ['/', '/?server=ws%3A%2F%2F127.0.0.1&room=abc', '/index.html']) {
      const answer = await get(path);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.body).toBe(index);
    }
  });

  /** The CSP's directives as a map: directive name → its sources. */
  function directives(policy: string): Map<string, string> {
    return new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name = '', ...sources]) => [name, sources.join(' ')]));
  }

  it('sends the security headers with every answer: the page, an asset, a 404, a refused method, health and metrics', async () => {
    const index = await readFile('dist/web/index.html', 'utf8');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1] ?? '/missing';
    const answers = await Promise.all([
      get('/'),
      get(asset),
      get('/no-such-file'),
      get('/../package.json'),
      get('/', 'POST'),
      get('/', 'HEAD'),
      get('/healthz'),
      get('/metrics'),
    ]);
    expect(answers.map((answer) => answer.status)).toStrictEqual([200, 200, 404, 404, 405, 200, 200, 200]);
    for (const answer of answers) {
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      const csp = directives(String(answer.headers['content-security-policy']));
      expect(Object.fromEntries(csp)).toStrictEqual({
        'default-src': "'self'",
        'script-src': "'self' 'wasm-unsafe-eval'",
        'style-src': "'self'",
        'img-src': "'self' data: blob:",
        'connect-src': "'self'",
        'object-src': "'none'",
        'base-uri': "'none'",
        'frame-ancestors': "'none'",
        'form-action': "'self'",
      });
    }
  });

  it('serves a page with no inline script or style, which the CSP would block', async () => {
    const page = (await get('/')).body;
    expect(page).not.toMatch(/<style/i);
    expect(page).not.toMatch(/\sstyle=/i);
    expect(page).not.toMatch(/\son[a-z]+=/i);
    for (const script of page.match(/<script[^>]*>[\s\S]*?<\/script>/gi) ?? []) expect(script).toMatch(/^<script[^>]*\ssrc="\/assets\/[^"]+"[^>]*><\/script>$/);
  });

  it('serves a built asset with its content type', async () => {
    const index = await readFile('dist/web/index.html', 'utf8');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    expect(script).toBeDefined();
    const answer = await get(script ?? '/missing');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  // Each of these would reach /work/main/package.json (two levels above dist/web) if the guard let it through.
  it.each([
    ['/../package.json'],
    ['/../../package.json'],
    ['/assets/../../../package.json'],
    ['/..%2f..%2fpackage.json'],
    ['/%2e%2e/%2e%2e/package.json'],
    ['/assets/..%2f..%2f..%2fpackage.json'],
    ['/%2e%2e%2f%2e%2e%2fpackage.json'],
    ['/..%5c..%5cpackage.json'],
    ['/....//....//package.json'],
  ])('refuses the traversal %s with 404', async (path) => {
    const answer = await get(path);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('"name": "chatus"');
  });

  it('answers 400 to a path that does not decode', async () => {
    expect((await get('/%E0%A4%A')).status).toBe(400);
  });

  it('answers 404 for a file that is not there', async () => {
    expect((await get('/nope.js')).status).toBe(404);
  });

  it('answers 405 to a POST and serves HEAD without a body', async () => {
    const post = await get('/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
    const head = await get('/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('refuses a WebSocket upgrade on a path other than /ws', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/other`);
    const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
    expect(error.message).toMatch(/404/);
  });
});
