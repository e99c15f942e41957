import { buildApp, type AppOverrides, type RunningServer } from './build-app';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, errorFields } from './logger';
import { describeStartupError } from './startup-error';

export { buildApp, type AppOverrides, type BuiltApp, type RunningServer } from './build-app';

/** Builds everything (`buildApp`), then listens: the server answers only once it is whole. */
export async function startServer(
  config: Config,
  overrides: AppOverrides = {},
): Promise<RunningServer> {
  const app = await buildApp(config, overrides);
  try {
    return await app.listen();
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** `npm start`: read the config, start, and shut down cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, { logger });
  const where =
    config.storage.kind === 'sqlite' ? `SQLite at ${config.storage.file}` : 'PostgreSQL';
  process.stdout.write(
    `\nOne-Time Call is running (${config.mode} mode, ${where}).\n` +
      `  Agent tab:      ${server.url}/\n` +
      `  Customer links: ${server.deps.settings.publicBaseUrl}/j/<code>\n` +
      `  Bot endpoint:   ${server.url}/api/messages\n\n`,
  );
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', errorFields(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`One-Time Call failed to start: ${describeStartupError(error)}\n`);
    process.exit(1);
  });
}
