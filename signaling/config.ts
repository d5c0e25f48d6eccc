import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { IceServer } from '../shared/protocol/fields.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { MAX_FILE_BYTES_CEILING, MAX_ROOM_MEMBERS } from '../shared/limits.ts';
import { parseOrigins } from './admission.ts';
import { ProxyList } from './client-ip.ts';
import { defaultHostWatch, type HostWatchPolicy } from '../shared/liveness.ts';
import { defaultHttpLimits, defaultServerLimits, type HttpLimits, type ServerLimits } from './server-limits.ts';

/** Everything the signaling process can be told, validated. */
export interface ServerConfig {
  /** TCP port for HTTP and the WebSocket endpoint; 0 picks a free one. */
  readonly port: number;
  /** Interface to listen on. */
  readonly host: string;
  /** The address people should open, when the server sits behind a name or proxy. */
  readonly publicUrl: string | undefined;
  /** STUN/TURN servers handed to clients; none by default (LAN and loopback need none). */
  readonly iceServers: readonly IceServer[];
  /** Folder of the built web client. */
  readonly staticDir: string;
  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  readonly logLevel: string;
  /** Ping interval for signaling sockets; a socket that misses one ping is dropped. */
  readonly heartbeatMs: number;
  /** How hosts whose pages answer `ping` are pinged, and after how many missed pings one is dropped. */
  readonly hostWatch: HostWatchPolicy;
  /** Secret for resume tokens (at least 16 characters); random per process when unset. */
  readonly resumeSecret: string | undefined;
  /** Defences against abuse and overload. */
  readonly limits: ServerLimits;
  /** Page origins allowed to open sockets besides the server's own; '*' for any. */
  readonly allowedOrigins: readonly string[];
  /** Proxy addresses whose X-Forwarded-For is believed. */
  readonly trustedProxies: readonly string[];
}

/** How a node shares rooms with others through Redis. */
export interface RedisConfig {
  readonly url: string;
  readonly prefix: string;
  /** A node that has not renewed its heartbeat for this long is dead. */
  readonly nodeTtlMs: number;
}

/** One setting: its flag, its environment variable, its default and what it means (printed by --help). */
interface Setting {
  readonly flag: string;
  readonly env: string;
  readonly fallback: string;
  readonly help: string;
}

const settings = {
  port: { flag: 'port', env: 'PORT', fallback: '8080', help: 'TCP port for the web client and /ws' },
  host: { flag: 'host', env: 'HOST', fallback: '0.0.0.0', help: 'interface to listen on (0.0.0.0 = all IPv4)' },
  publicUrl: { flag: 'public-url', env: 'PUBLIC_URL', fallback: '', help: 'URL people should open (printed and used in invite links)' },
  iceServers: { flag: 'ice-servers', env: 'ICE_SERVERS', fallback: '[]', help: 'JSON array of RTCIceServer for STUN/TURN; none by default' },
  staticDir: { flag: 'static-dir', env: 'STATIC_DIR', fallback: 'dist/web', help: 'folder of the built web client' },
  logLevel: { flag: 'log-level', env: 'LOG_LEVEL', fallback: 'info', help: 'fatal|error|warn|info|debug|trace|silent' },
  heartbeatMs: { flag: 'heartbeat-ms', env: 'HEARTBEAT_MS', fallback: '30000', help: 'ping interval for sockets; a missed ping drops one' },
  hostPingMs: { flag: 'host-ping-ms', env: 'HOST_PING_MS', fallback: String(defaultHostWatch.pingIntervalMs), help: 'ping interval for hosts\' pages (answered by their code)' },
  hostMissedPings: { flag: 'host-missed-pings', env: 'HOST_MISSED_PINGS', fallback: String(defaultHostWatch.maxMissedPings), help: 'a host that answers none of this many pings in a row is replaced' },
  resumeSecret: { flag: 'resume-secret', env: 'RESUME_SECRET', fallback: '', help: 'secret (16+ chars) so resume tokens survive restarts; random if unset' },
  allowedOrigins: { flag: 'allowed-origins', env: 'ALLOWED_ORIGINS', fallback: '', help: 'comma-separated page origins allowed besides the server\'s own, or *' },
  trustedProxies: { flag: 'trusted-proxies', env: 'TRUSTED_PROXIES', fallback: '', help: 'comma-separated proxy IPs or CIDR ranges whose X-Forwarded-For is believed' },
  roomSize: { flag: 'room-size', env: 'ROOM_SIZE', fallback: String(defaultServerLimits.roomSize), help: `most members in one room (1–${MAX_ROOM_MEMBERS})` },
  maxConnections: { flag: 'max-connections', env: 'MAX_CONNECTIONS', fallback: String(defaultServerLimits.maxConnections), help: 'most open sockets in the process' },
  maxConnectionsPerIp: { flag: 'max-connections-per-ip', env: 'MAX_CONNECTIONS_PER_IP', fallback: String(defaultServerLimits.maxConnectionsPerIp), help: 'most open sockets from one address' },
  joinTimeoutMs: { flag: 'join-timeout-ms', env: 'JOIN_TIMEOUT_MS', fallback: String(defaultServerLimits.joinTimeoutMs), help: 'close sockets that have not joined by then' },
  messageBurst: { flag: 'message-burst', env: 'MESSAGE_BURST', fallback: String(defaultServerLimits.messageBurst), help: 'messages a socket may send at once, per signaling link' },
  messagesPerSecond: { flag: 'messages-per-second', env: 'MESSAGES_PER_SECOND', fallback: String(defaultServerLimits.messagesPerSecond), help: 'sustained messages per second, per signaling link' },
  maxBufferedBytes: { flag: 'max-buffered-bytes', env: 'MAX_BUFFERED_BYTES', fallback: String(defaultServerLimits.maxBufferedBytes), help: 'unsent bytes to one socket after which a slow reader is cut off' },
  maxFileBytes: { flag: 'max-file-bytes', env: 'MAX_FILE_BYTES', fallback: String(defaultServerLimits.maxFileBytes), help: 'largest file people may send in a room (clients refuse bigger ones)' },
  shutdownGraceMs: { flag: 'shutdown-grace-ms', env: 'SHUTDOWN_GRACE_MS', fallback: String(defaultServerLimits.shutdownGraceMs), help: 'time sockets get to close on SIGTERM/SIGINT' },
  headersTimeoutMs: { flag: 'headers-timeout-ms', env: 'HEADERS_TIMEOUT_MS', fallback: String(defaultHttpLimits.headersTimeoutMs), help: 'time to send request headers, upgrades included (slowloris)' },
  requestTimeoutMs: { flag: 'request-timeout-ms', env: 'REQUEST_TIMEOUT_MS', fallback: String(defaultHttpLimits.requestTimeoutMs), help: 'time to send a whole HTTP request (≥ HEADERS_TIMEOUT_MS)' },
  keepAliveTimeoutMs: { flag: 'keep-alive-timeout-ms', env: 'KEEP_ALIVE_TIMEOUT_MS', fallback: String(defaultHttpLimits.keepAliveTimeoutMs), help: 'idle keep-alive HTTP connections close after this' },
  maxHeadersCount: { flag: 'max-headers', env: 'MAX_HEADERS', fallback: String(defaultHttpLimits.maxHeadersCount), help: 'headers read from a request; the rest are ignored (≥ 16)' },
  maxHeaderSize: { flag: 'max-header-bytes', env: 'MAX_HEADER_BYTES', fallback: String(defaultHttpLimits.maxHeaderSize), help: 'bytes of request line and headers; 431 past it (≥ 1024)' },
  redisUrl: { flag: 'redis-url', env: 'REDIS_URL', fallback: '', help: 'redis:// URL: share rooms with every node on it (several nodes behind one address)' },
  redisPrefix: { flag: 'redis-prefix', env: 'REDIS_PREFIX', fallback: 'chatus:', help: 'put before every Redis key and channel (deployments sharing one Redis)' },
  nodeTtlMs: { flag: 'node-ttl-ms', env: 'NODE_TTL_MS', fallback: '5000', help: 'a node silent this long is dead; its members leave their rooms (≥ 500)' },
} as const satisfies Record<string, Setting>;

/** Smallest and largest value of each numeric limit; 1 and Number.MAX_SAFE_INTEGER unless named here. */
const bounds: Partial<Record<keyof ServerLimits | keyof HttpLimits, { min?: number; max?: number; why?: string }>> = {
  roomSize: { max: MAX_ROOM_MEMBERS, why: 'clients refuse larger rosters' },
  maxHeadersCount: { min: 16, why: 'a browser handshake sends about 15' },
  maxHeaderSize: { min: 1024 },
  maxFileBytes: { max: MAX_FILE_BYTES_CEILING, why: 'clients refuse a larger limit' },
};

/** Reads one whole-number setting within its bounds. */
function wholeNumber(key: keyof typeof bounds, setting: Setting, raw: string): Result<number, string> {
  const { min = 1, max = Number.MAX_SAFE_INTEGER, why } = bounds[key] ?? {};
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) return err(`${setting.env} must be a whole number ≥ ${min}, got "${raw}"`);
  if (value < min || value > max) return err(`${setting.env} must be from ${min} to ${max}${why ? ` (${why})` : ''}, got "${raw}"`);
  return ok(value);
}

/** The text `--help` prints. */
export function helpText(): string {
  const rows = Object.values(settings).map(
    (s: Setting) => `  --${s.flag.padEnd(22)} ${s.env.padEnd(22)} ${s.help} (default: ${s.fallback || 'none'})`,
  );
  const header = `  ${'flag'.padEnd(24)} ${'env'.padEnd(22)} meaning`;
  return ['Usage: npm start -- [options]', '', header, ...rows, `  ${'--help'.padEnd(47)} print this and exit`, '', 'Limits and what each means: docs/operations.md', ''].join('\n');
}

/** What parsing the command line can end in: a config, a request for help, or an error for people. */
export type ConfigOutcome =
  | {
      readonly kind: 'run';
      readonly config: ServerConfig;
      /** Node's HTTP limits; kept beside `config` (not in it) so that its shape stays stable for its tests. */
      readonly http: HttpLimits;
      /** Sharing rooms through Redis (REDIS_URL); undefined for a server on its own. Beside `config` too. */
      readonly redis: RedisConfig | undefined;
    }
  | { readonly kind: 'help' };

const LogLevel = v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Reads flags first, then the environment, then defaults; validates every value. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Result<ConfigOutcome, string> {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(Object.values(settings).map((s) => [s.flag, { type: 'string' as const }]));
    values = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean' } }, strict: true }).values;
  } catch (error) {
    return err(`${(error as Error).message}\n\n${helpText()}`);
  }
  if (values['help']) return ok({ kind: 'help' });
  const read = (s: Setting): string => {
    const fromFlag = values[s.flag];
    return typeof fromFlag === 'string' ? fromFlag : (env[s.env] ?? s.fallback);
  };

  const port = /^[0-9]+$/.test(read(settings.port)) ? Number(read(settings.port)) : Number.NaN; // Number() reads "" as 0, "0x50" as 80
  if (!Number.isInteger(port) || port < 0 || port > 65535) return err(`PORT must be 0–65535, got "${read(settings.port)}"`);
  const host = read(settings.host);
  if (host.length === 0) return err('HOST must not be empty');
  const publicUrl = read(settings.publicUrl) || undefined;
  if (publicUrl !== undefined && !URL.canParse(publicUrl)) return err(`PUBLIC_URL is not a URL: "${publicUrl}"`);
  const iceServers = parseIceServers(read(settings.iceServers));
  if (!iceServers.ok) return iceServers;
  const heartbeatMs = Number(read(settings.heartbeatMs));
  if (!Number.isInteger(heartbeatMs) || heartbeatMs < 1000) return err(`HEARTBEAT_MS must be a whole number ≥ 1000, got "${read(settings.heartbeatMs)}"`);
  const hostPingMs = Number(read(settings.hostPingMs));
  if (!Number.isInteger(hostPingMs) || hostPingMs < 100) return err(`HOST_PING_MS must be a whole number ≥ 100, got "${read(settings.hostPingMs)}"`);
  const hostMissedPings = Number(read(settings.hostMissedPings));
  if (!Number.isInteger(hostMissedPings) || hostMissedPings < 2) return err(`HOST_MISSED_PINGS must be a whole number ≥ 2, got "${read(settings.hostMissedPings)}"`);
  const resumeSecret = read(settings.resumeSecret) || undefined;
  if (resumeSecret !== undefined && resumeSecret.length < 16) return err('RESUME_SECRET must be at least 16 characters');
  const limits: Record<string, number> = {};
  const limitKeys = ['roomSize', 'maxConnections', 'maxConnectionsPerIp', 'joinTimeoutMs', 'messageBurst', 'messagesPerSecond', 'maxBufferedBytes', 'shutdownGraceMs', 'maxFileBytes'] as const;
  const httpKeys = ['headersTimeoutMs', 'requestTimeoutMs', 'keepAliveTimeoutMs', 'maxHeadersCount', 'maxHeaderSize'] as const;
  for (const key of [...limitKeys, ...httpKeys]) {
    const value = wholeNumber(key, settings[key], read(settings[key]));
    if (!value.ok) return value;
    limits[key] = value.value;
  }
  const http = Object.fromEntries(httpKeys.map((key) => [key, limits[key]])) as unknown as HttpLimits;
  for (const key of httpKeys) delete limits[key];
  // Node throws at start when a request may take less time than its headers.
  if (http.requestTimeoutMs < http.headersTimeoutMs) return err('REQUEST_TIMEOUT_MS must be at least HEADERS_TIMEOUT_MS');
  const list = (s: Setting): string[] => read(s).split(',').map((item) => item.trim()).filter((item) => item.length > 0);
  const origins = parseOrigins(list(settings.allowedOrigins));
  if (!origins.ok) return err(`ALLOWED_ORIGINS: ${origins.error}`);
  const proxies = ProxyList.parse(list(settings.trustedProxies));
  if (!proxies.ok) return err(`TRUSTED_PROXIES: ${proxies.error}`);
  const logLevel = v.safeParse(LogLevel, read(settings.logLevel));
  if (!logLevel.success) return err(`LOG_LEVEL must be one of ${LogLevel.options.join(', ')}`);
  const redis = redisConfig(read(settings.redisUrl), read(settings.redisPrefix), read(settings.nodeTtlMs));
  if (!redis.ok) return redis;

  return ok({
    kind: 'run',
    config: {
      port,
      host,
      publicUrl,
      iceServers: iceServers.value,
      staticDir: read(settings.staticDir),
      logLevel: logLevel.output,
      heartbeatMs,
      hostWatch: { pingIntervalMs: hostPingMs, maxMissedPings: hostMissedPings },
      resumeSecret,
      limits: limits as unknown as ServerLimits,
      allowedOrigins: origins.value,
      trustedProxies: list(settings.trustedProxies),
    },
    http,
    redis: redis.value,
  });
}

/** The Redis settings, or undefined when REDIS_URL is unset. */
function redisConfig(url: string, prefix: string, nodeTtl: string): Result<RedisConfig | undefined, string> {
  if (url === '') return ok(undefined);
  if (!URL.canParse(url) || !['redis:', 'rediss:'].includes(new URL(url).protocol)) return err(`REDIS_URL must be a redis:// or rediss:// URL, got "${url.replace(/\/\/[^@/]*@/, '//…@')}"`);
  if (!/^[A-Za-z0-9_:.-]{0,64}$/.test(prefix)) return err('REDIS_PREFIX must be up to 64 of A–Z a–z 0–9 _ : . -');
  const nodeTtlMs = /^[0-9]+$/.test(nodeTtl) ? Number(nodeTtl) : Number.NaN;
  if (!Number.isSafeInteger(nodeTtlMs) || nodeTtlMs < 500) return err(`NODE_TTL_MS must be a whole number ≥ 500, got "${nodeTtl}"`);
  return ok({ url, prefix, nodeTtlMs });
}

function parseIceServers(raw: string): Result<IceServer[], string> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return err('ICE_SERVERS must be a JSON array, e.g. [{"urls":"stun:stun.example.invalid:3478"}]');
  }
  const parsed = v.safeParse(v.array(IceServer), json);
  return parsed.success ? ok(parsed.output) : err(`ICE_SERVERS is not a list of RTCIceServer: ${parsed.issues[0].message}`);
}
