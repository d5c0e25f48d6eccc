import { shareableUrls } from './addresses.ts';
import { startBanner } from './banner.ts';
import { helpText, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createSignalingServer } from './server.ts';

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
  const { config, http } = loaded.value;
  const logger = createLogger(config.logLevel);
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
    logger,
  });
  const address = await server.listen(config.port, config.host);
  const listening = shareableUrls(config.host, address.port, config.publicUrl);
  logger.info({ port: address.port, host: config.host, urls: listening }, 'ChatUs is running');
  // The banner is for people at a terminal; piped output stays one JSON object a line.
  if (process.stdout.isTTY) process.stdout.write(startBanner(listening));

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
