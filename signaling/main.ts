import { shareableUrls } from './addresses.ts';
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
  const { config } = loaded.value;
  const logger = createLogger(config.logLevel);
  const urls = shareableUrls(config.host, config.port, config.publicUrl);
  const server = createSignalingServer({
    staticDir: config.staticDir,
    iceServers: config.iceServers,
    shareUrl: urls[0],
    heartbeatMs: config.heartbeatMs,
    resumeSecret: config.resumeSecret,
    limits: config.limits,
    allowedOrigins: config.allowedOrigins,
    trustedProxies: config.trustedProxies,
    logger,
  });
  const address = await server.listen(config.port, config.host);
  logger.info({ port: address.port, host: config.host, urls }, 'ChatUs is running');
  process.stdout.write(`\nChatUs is running. Open and share:\n${urls.map((url) => `  ${url}`).join('\n')}\n\n`);

  const stop = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
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
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`chatus: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
