import { describe, expect, it } from 'vitest';
import { helpText, loadConfig, type ConfigOutcome } from '../../../signaling/config.ts';
import { defaultHttpLimits, defaultServerLimits } from '../../../signaling/server-limits.ts';

type Run = Extract<ConfigOutcome, { kind: 'run' }>;

function run(argv: string[], env: Record<string, string> = {}): Run {
  const result = loadConfig(argv, env);
  if (!result.ok) throw new Error(`expected a config, got: ${result.error}`);
  if (result.value.kind !== 'run') throw new Error('expected a config, got help');
  return result.value;
}

function refusal(env: Record<string, string>): string {
  const result = loadConfig([], env);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** Every setting the server has: flag and environment variable. docs/operations.md lists the same. */
const SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['--port', 'PORT'],
  ['--host', 'HOST'],
  ['--public-url', 'PUBLIC_URL'],
  ['--ice-servers', 'ICE_SERVERS'],
  ['--static-dir', 'STATIC_DIR'],
  ['--log-level', 'LOG_LEVEL'],
  ['--heartbeat-ms', 'HEARTBEAT_MS'],
  ['--host-ping-ms', 'HOST_PING_MS'],
  ['--host-missed-pings', 'HOST_MISSED_PINGS'],
  ['--resume-secret', 'RESUME_SECRET'],
  ['--allowed-origins', 'ALLOWED_ORIGINS'],
  ['--trusted-proxies', 'TRUSTED_PROXIES'],
  ['--room-size', 'ROOM_SIZE'],
  ['--max-connections', 'MAX_CONNECTIONS'],
  ['--max-connections-per-ip', 'MAX_CONNECTIONS_PER_IP'],
  ['--join-timeout-ms', 'JOIN_TIMEOUT_MS'],
  ['--message-burst', 'MESSAGE_BURST'],
  ['--messages-per-second', 'MESSAGES_PER_SECOND'],
  ['--max-buffered-bytes', 'MAX_BUFFERED_BYTES'],
  ['--shutdown-grace-ms', 'SHUTDOWN_GRACE_MS'],
  ['--max-file-bytes', 'MAX_FILE_BYTES'],
  ['--headers-timeout-ms', 'HEADERS_TIMEOUT_MS'],
  ['--request-timeout-ms', 'REQUEST_TIMEOUT_MS'],
  ['--keep-alive-timeout-ms', 'KEEP_ALIVE_TIMEOUT_MS'],
  ['--max-headers', 'MAX_HEADERS'],
  ['--max-header-bytes', 'MAX_HEADER_BYTES'],
  ['--redis-url', 'REDIS_URL'],
  ['--redis-prefix', 'REDIS_PREFIX'],
  ['--node-ttl-ms', 'NODE_TTL_MS'],
];

describe('limits in the configuration', () => {
  it('defaults every limit', () => {
    const { config, http } = run([]);
    expect(config.limits).toStrictEqual(defaultServerLimits);
    expect(http).toStrictEqual(defaultHttpLimits);
    expect(config.allowedOrigins).toStrictEqual([]);
    expect(config.trustedProxies).toStrictEqual([]);
  });

  it('reads the HTTP limits from the environment and from flags', () => {
    const env = { HEADERS_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '4000', KEEP_ALIVE_TIMEOUT_MS: '1000', MAX_HEADERS: '50', MAX_HEADER_BYTES: '8192' };
    expect(run([], env).http).toStrictEqual({ headersTimeoutMs: 2000, requestTimeoutMs: 4000, keepAliveTimeoutMs: 1000, maxHeadersCount: 50, maxHeaderSize: 8192 });
    expect(run(['--max-headers', '20'], env).http.maxHeadersCount).toBe(20);
  });

  it('allows rooms up to the 32 members clients accept, and no more', () => {
    expect(run([], { ROOM_SIZE: '100' }).config.limits.roomSize).toBe(100);
    expect(refusal({ ROOM_SIZE: '101' })).toMatch(/^ROOM_SIZE must be from 1 to 100 \(clients refuse larger rosters\), got "101"/);
  });

  it.each([
    [{ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '4000' }, /^REQUEST_TIMEOUT_MS must be at least HEADERS_TIMEOUT_MS/],
    [{ MAX_HEADERS: '15' }, /^MAX_HEADERS must be from 16/],
    [{ MAX_HEADER_BYTES: '1023' }, /^MAX_HEADER_BYTES must be from 1024/],
    [{ KEEP_ALIVE_TIMEOUT_MS: '0' }, /^KEEP_ALIVE_TIMEOUT_MS must be a whole number/],
    [{ MAX_BUFFERED_BYTES: '1.5' }, /^MAX_BUFFERED_BYTES must be a whole number/],
    [{ SHUTDOWN_GRACE_MS: '' }, /^SHUTDOWN_GRACE_MS must be a whole number/],
    [{ MAX_FILE_BYTES: String(64 * 1024 ** 3 + 1) }, /^MAX_FILE_BYTES must be from 1 to 68719476736/],
    [{ MAX_CONNECTIONS_PER_IP: '99999999999999999999' }, /^MAX_CONNECTIONS_PER_IP must be a whole number/],
  ])('refuses %j', (env, message) => {
    expect(refusal(env)).toMatch(message);
  });

  it('normalises ALLOWED_ORIGINS and refuses an entry that is not an origin', () => {
    expect(run([], { ALLOWED_ORIGINS: 'https://Chat.Example.invalid/ , http://localhost:5173' }).config.allowedOrigins).toStrictEqual([
      'https://chat.example.invalid',
      'http://localhost:5173',
    ]);
    expect(run([], { ALLOWED_ORIGINS: '*' }).config.allowedOrigins).toStrictEqual(['*']);
    expect(refusal({ ALLOWED_ORIGINS: 'https://ok.example,chat.example.invalid' })).toMatch(/^ALLOWED_ORIGINS: "chat.example.invalid" is not an origin/);
  });

  it('takes addresses and CIDR ranges in TRUSTED_PROXIES and refuses anything else', () => {
    expect(run([], { TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8, ::1' }).config.trustedProxies).toStrictEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(refusal({ TRUSTED_PROXIES: '127.0.0.1,proxy.local' })).toMatch(/^TRUSTED_PROXIES: "proxy.local" is not an IP address or CIDR range/);
  });

  it('--help lists every setting with its environment variable and default', () => {
    const text = helpText();
    for (const [flag, env] of SETTINGS) expect(text).toMatch(new RegExp(`${flag}\\s+${env}\\s+\\S.*\\(default: `));
    expect(text.match(/^ {2}--[a-z-]+\s+[A-Z_]+\s/gm)).toHaveLength(SETTINGS.length);
  });

  it('accepts every listed flag on the command line', () => {
    for (const [flag] of SETTINGS) {
      const result = loadConfig([flag, 'x'], {});
      // The value may be refused, but never the flag itself.
      if (!result.ok) expect(result.error).not.toMatch(/Unknown option/);
    }
  });
});
