import { defaultServerLimits } from '../../../signaling/server-limits.ts';
import { defaultHostWatch } from '../../../shared/liveness.ts';
import { describe, expect, it } from 'vitest';
import { helpText, loadConfig, type ServerConfig } from '../../../signaling/config.ts';

/** The config `loadConfig` produced; fails the test on help or error. */
function configOf(argv: string[], env: Record<string, string> = {}): ServerConfig {
  const result = loadConfig(argv, env);
  if (!result.ok) throw new Error(`expected a config, got error: ${result.error}`);
  if (result.value.kind !== 'run') throw new Error('expected a config, got help');
  return result.value.config;
}

/** The error text `loadConfig` produced; fails the test on success. */
function errorOf(argv: string[], env: Record<string, string> = {}): string {
  const result = loadConfig(argv, env);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    expect(configOf([])).toStrictEqual({
      port: 8080,
      host: '0.0.0.0',
      publicUrl: undefined,
      iceServers: [],
      staticDir: 'dist/web',
      logLevel: 'info',
      heartbeatMs: 30_000,
      hostWatch: defaultHostWatch,
      resumeSecret: undefined,
      limits: defaultServerLimits,
      allowedOrigins: [],
      trustedProxies: [],
    });
  });

  it('reads every setting from the environment', () => {
    const env = {
      PORT: '9000',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://chat.example.invalid/',
      ICE_SERVERS: '[{"urls":"stun:stun.example.invalid:3478"}]',
      STATIC_DIR: '/srv/web',
      LOG_LEVEL: 'debug',
      HEARTBEAT_MS: '5000',
      HOST_PING_MS: '250',
      HOST_MISSED_PINGS: '10',
      RESUME_SECRET: 's'.repeat(16),
      ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      TRUSTED_PROXIES: '10.0.0.1',
      ROOM_SIZE: '8',
      MAX_CONNECTIONS: '100',
      MAX_CONNECTIONS_PER_IP: '5',
      JOIN_TIMEOUT_MS: '2000',
      MESSAGE_BURST: '30',
      MESSAGES_PER_SECOND: '10',
      MAX_BUFFERED_BYTES: '65536',
      SHUTDOWN_GRACE_MS: '1000',
      MAX_FILE_BYTES: '5000000',
    };
    expect(configOf([], env)).toStrictEqual({
      port: 9000,
      host: '127.0.0.1',
      publicUrl: 'https://chat.example.invalid/',
      iceServers: [{ urls: 'stun:stun.example.invalid:3478' }],
      staticDir: '/srv/web',
      logLevel: 'debug',
      heartbeatMs: 5000,
      hostWatch: { pingIntervalMs: 250, maxMissedPings: 10 },
      resumeSecret: 's'.repeat(16),
      limits: {
        roomSize: 8,
        maxConnections: 100,
        maxConnectionsPerIp: 5,
        joinTimeoutMs: 2000,
        messageBurst: 30,
        messagesPerSecond: 10,
        maxBufferedBytes: 65536,
        shutdownGraceMs: 1000,
        maxFileBytes: 5_000_000,
      },
      allowedOrigins: ['https://a.example', 'https://b.example'],
      trustedProxies: ['10.0.0.1'],
    });
  });

  it.each([['ROOM_SIZE', '0'], ['MAX_CONNECTIONS', '-1'], ['MESSAGE_BURST', 'lots'], ['JOIN_TIMEOUT_MS', '1e3']])(
    'refuses %s=%s with the setting named',
    (name, value) => {
      const result = loadConfig([], { [name]: value });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain(name);
    },
  );

  it('lets flags beat the environment, in both flag spellings', () => {
    const env = { PORT: '9000', HOST: '10.0.0.1', LOG_LEVEL: 'warn', ICE_SERVERS: '[{"urls":"stun:env"}]' };
    const config = configOf(['--port', '7000', '--host=127.0.0.1', '--log-level', 'silent', '--ice-servers', '[]'], env);
    expect(config).toMatchObject({ port: 7000, host: '127.0.0.1', logLevel: 'silent', iceServers: [] });
  });

  it('takes the environment for settings the flags do not name', () => {
    expect(configOf(['--port', '7000'], { HOST: '127.0.0.1' })).toMatchObject({ port: 7000, host: '127.0.0.1' });
  });

  it.each([['0'], ['1'], ['65535']])('accepts port %s', (port) => {
    expect(configOf(['--port', port]).port).toBe(Number(port));
  });

  it.each([['-1'], ['65536'], ['80.5'], ['http'], ['8080abc'], [''], [' '], ['0x1f90'], ['1e3']])('refuses port %j', (port) => {
    expect(errorOf([`--port=${port}`])).toMatch(/^PORT must be 0–65535/);
    expect(errorOf([], { PORT: port })).toMatch(/^PORT must be 0–65535/);
  });

  it.each([
    ['not JSON', 'stun:stun.example.invalid', /^ICE_SERVERS must be a JSON array/],
    ['an object instead of an array', '{"urls":"stun:a"}', /^ICE_SERVERS is not a list of RTCIceServer/],
    ['an entry without urls', '[{"url":"stun:a"}]', /^ICE_SERVERS is not a list of RTCIceServer/],
    ['numeric urls', '[{"urls":3478}]', /^ICE_SERVERS is not a list of RTCIceServer/],
  ])('refuses ICE_SERVERS that is %s', (_label, value, message) => {
    expect(errorOf([], { ICE_SERVERS: value })).toMatch(message);
  });

  it.each([
    ['an empty host', ['--host', ''], /^HOST must not be empty/],
    ['a public URL that is no URL', ['--public-url', 'chat dot example'], /^PUBLIC_URL is not a URL/],
    ['a heartbeat under a second', ['--heartbeat-ms', '999'], /^HEARTBEAT_MS must be a whole number/],
    ['a fractional heartbeat', ['--heartbeat-ms', '1500.5'], /^HEARTBEAT_MS must be a whole number/],
    ['a host ping under 100 ms', ['--host-ping-ms', '99'], /^HOST_PING_MS must be a whole number/],
    ['a host dropped at its first missed ping', ['--host-missed-pings', '1'], /^HOST_MISSED_PINGS must be a whole number ≥ 2/],
    ['a short resume secret', ['--resume-secret', 's'.repeat(15)], /^RESUME_SECRET must be at least 16/],
    ['an unknown log level', ['--log-level', 'verbose'], /^LOG_LEVEL must be one of/],
    ['a Redis URL of another scheme', ['--redis-url', 'http://127.0.0.1:6379'], /^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    ['a node lifetime under 500 ms', ['--redis-url', 'redis://127.0.0.1', '--node-ttl-ms', '499'], /^NODE_TTL_MS must be a whole number ≥ 500/],
    ['a Redis prefix with a space', ['--redis-url', 'redis://127.0.0.1', '--redis-prefix', 'a b'], /^REDIS_PREFIX must be/],
  ])('refuses %s', (_label, argv, message) => {
    expect(errorOf(argv)).toMatch(message);
  });

  it('shares rooms through Redis only when REDIS_URL is set, with its prefix and node lifetime', () => {
    const alone = loadConfig([], {});
    expect(alone.ok && alone.value.kind === 'run' && alone.value.redis).toBeUndefined();
    const shared = loadConfig(['--node-ttl-ms', '3000'], { REDIS_URL: 'redis://:pw@10.0.0.5:6379/2' });
    expect(shared.ok && shared.value.kind === 'run' && shared.value.redis).toStrictEqual({ url: 'redis://:pw@10.0.0.5:6379/2', prefix: 'chatus:', nodeTtlMs: 3000 });
  });

  it('never repeats a Redis password in its refusal', () => {
    expect(errorOf([], { REDIS_URL: 'http://user:secret@redis.example.invalid' })).not.toContain('secret');
  });

  it('asks for help on --help, even with other flags', () => {
    expect(loadConfig(['--help'], {})).toStrictEqual({ ok: true, value: { kind: 'help' } });
    expect(loadConfig(['--port', '1', '--help'], { PORT: 'bad' })).toStrictEqual({ ok: true, value: { kind: 'help' } });
  });

  it('refuses an unknown flag and shows the usage', () => {
    const error = errorOf(['--prot', '8080']);
    expect(error).toContain('--prot');
    expect(error).toContain(helpText());
  });

  it.each([[['--port']], [['positional']], [['--help=yes']]])('refuses a malformed command line %j', (argv) => {
    expect(errorOf(argv)).toContain('Usage:');
  });
});

describe('helpText', () => {
  it('lists every flag with its environment variable', () => {
    const text = helpText();
    for (const [flag, env] of [
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
      ['--help', ''],
    ] as const) {
      expect(text).toMatch(new RegExp(`${flag}\\s+${env}`));
    }
  });
});
