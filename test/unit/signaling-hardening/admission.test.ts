import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admit, originAllowed, parseOrigins } from '../../../signaling/admission.ts';

const none = new Set<string>();

describe('originAllowed', () => {
  it.each<[string, string | undefined, string | undefined, ReadonlySet<string>, boolean]>([
    ['no Origin (not a browser page)', undefined, 'chat.example.invalid', none, true],
    ['the page of this server', 'https://chat.example.invalid', 'chat.example.invalid', none, true],
    ['the page of this server, port written', 'http://127.0.0.1:8080', '127.0.0.1:8080', none, true],
    ['a default port written in Host only', 'https://chat.example.invalid', 'chat.example.invalid:443', none, true],
    ['a default port written in Origin only', 'http://chat.example.invalid:80', 'chat.example.invalid', none, true],
    ['host names compare without case', 'https://Chat.Example.invalid', 'chat.example.INVALID', none, true],
    ['another site', 'https://evil.example', 'chat.example.invalid', none, false],
    ['the same host on another port', 'http://127.0.0.1:8081', '127.0.0.1:8080', none, false],
    ['a look-alike suffix', 'https://chat.example.invalid.evil.example', 'chat.example.invalid', none, false],
    ['the null origin (sandboxed frame, file:)', 'null', 'chat.example.invalid', none, false],
    ['a non-http scheme', 'chrome-extension://abc', 'abc', none, false],
    ['no Host at all', 'https://chat.example.invalid', undefined, none, false],
    ['a Host with a path trick', 'https://evil.example', 'evil.example/@chat.example.invalid', none, false],
    ['a listed origin', 'https://friend.example', 'chat.example.invalid', new Set(['https://friend.example']), true],
    ['a listed origin, port differs', 'https://friend.example:8443', 'chat.example.invalid', new Set(['https://friend.example']), false],
    ['any origin when * is listed', 'https://anyone.example', 'chat.example.invalid', new Set(['*']), true],
  ])('%s', (_label, origin, host, allowed, expected) => {
    expect(originAllowed(origin, host, allowed)).toBe(expected);
  });

  it('never throws, and never allows a foreign origin when nothing is listed', () => {
    fc.assert(
      fc.property(fc.option(fc.oneof(fc.webUrl().map((url) => new URL(url).origin), fc.string()), { nil: undefined }), fc.option(fc.oneof(fc.domain(), fc.webAuthority(), fc.string()), { nil: undefined }), (origin, host) => {
        const allowed = originAllowed(origin, host, none);
        if (allowed && origin !== undefined) expect(new URL(origin).host).toBe(new URL(`${new URL(origin).protocol}//${host}`).host);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseOrigins', () => {
  it('normalises origins and keeps *', () => {
    expect(parseOrigins(['https://Chat.Example.invalid/', 'http://localhost:5173', 'https://a.example:443', '*'])).toStrictEqual({
      ok: true,
      value: ['https://chat.example.invalid', 'http://localhost:5173', 'https://a.example', '*'],
    });
  });

  it.each([['chat.example.invalid'], ['https://chat.example.invalid/app'], ['https://chat.example.invalid?x=1'], ['ftp://chat.example.invalid'], ['https://user@chat.example.invalid'], ['null']])(
    'refuses %j and names it',
    (entry) => {
      const parsed = parseOrigins([entry]);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain(`"${entry}"`);
    },
  );
});

describe('admit', () => {
  const request = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;
  const policy = { allowedOrigins: none, maxConnections: 10, maxConnectionsPerIp: 3 };
  const calm = { total: 0, fromIp: 0, shuttingDown: false };

  it.each<[string, Record<string, string>, typeof calm, ReturnType<typeof admit>]>([
    ['a same-origin page', { origin: 'http://h:1', host: 'h:1' }, calm, null],
    ['a program without Origin', { host: 'h:1' }, calm, null],
    ['a foreign page', { origin: 'http://evil', host: 'h:1' }, calm, { status: 403, reason: 'origin' }],
    ['the per-address cap', { host: 'h:1' }, { ...calm, fromIp: 3 }, { status: 429, reason: 'per_ip_cap' }],
    ['the global cap, before the per-address one', { host: 'h:1' }, { total: 10, fromIp: 3, shuttingDown: false }, { status: 503, reason: 'global_cap' }],
    ['a shutdown, before anything else', { origin: 'http://evil', host: 'h:1' }, { ...calm, shuttingDown: true }, { status: 503, reason: 'shutting_down' }],
  ])('%s', (_label, headers, state, expected) => {
    expect(admit(request(headers), state, policy)).toStrictEqual(expected);
  });
});
