import { shareableUrls } from './addresses.ts';
import { helpText, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createSignalingServer } from './server.ts';

/** Lifetime of a room's key in Redis, renewed by the nodes holding its members a third of it at a time. */
const ROOM_TTL_MS = 60_000;

/** Composition root: config → logger → server → signals. The only place that decides where output goes. */
async function main(): Promise<void> {
  const loaded = loadConfig(process.argv.slice(2), process.env);
  if (!loaded.ok) {
    process.stderr.write(`chatus: ${loaded.error}\n`);
    process.exitCode = 2;
    return;
  }
  if (loaded.value.kind === 'help') {
    process.stdout.write(helpText());
    return;
  }
  const { config, http, redis } = loaded.value;
  const logger = createLogger(config.logLevel);
  if (redis && config.resumeSecret === undefined) {
    // Each node would make up its own secret, and a client moving to another node would lose its seat.
    logger.warn('REDIS_URL without RESUME_SECRET: clients cannot resume on another node; give every node the same secret');
  }
  // Redis's client and the terminal banner's QR code load only where they are used: every module loaded stays in the
  // heap for good, and each full collection walks it (a server that never shares rooms has no use for ioredis).
  const redisNode =
    redis &&
    new (await import('./redis/node.ts')).RedisNode({
      ...redis,
      roomTtlMs: ROOM_TTL_MS,
      maxMembers: config.limits.roomSize,
      logger,
      // Called only once the server below exists: the node starts in its listen.
      observe: (operation, seconds) => server.metrics.redisRoundTrip(operation, seconds),
      onBusFault: (fault) => server.metrics.nodeMessageLost(fault),
    });
  const urls = shareableUrls(config.host, config.port, config.publicUrl);
  const server = createSignalingServer({
    staticDir: config.staticDir,
    iceServers: config.iceServers,
    shareUrl: urls[0],
    heartbeatMs: config.heartbeatMs,
    hostWatch: config.hostWatch,
    resumeSecret: config.resumeSecret,
    limits: config.limits,
    http,
    allowedOrigins: config.allowedOrigins,
    trustedProxies: config.trustedProxies,
    redisNode,
    logger,
  });
  const address = await server.listen(config.port, config.host);
  const listening = shareableUrls(config.host, address.port, config.publicUrl);
  logger.info({ port: address.port, host: config.host, urls: listening }, 'ChatUs is running');
  // The banner is for people at a terminal; piped output stays one JSON object a line.
  if (process.stdout.isTTY) process.stdout.write((await import('./banner.ts')).startBanner(listening));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      // A second signal: the operator does not want to wait.
      logger.warn({ signal }, 'stopping now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, graceMs: config.limits.shutdownGraceMs }, 'shutting down');
    // Bounded even if a close never completes: the grace time, plus a little to finish writing.
    setTimeout(() => {
      logger.error('shutdown overran its grace time');
      process.exit(1);
    }, config.limits.shutdownGraceMs + 2000).unref();
    server.shutdown().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`chatus: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
