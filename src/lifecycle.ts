import closeWithGrace from 'close-with-grace';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { createServer } from './http/server.ts';

/**
 * Runs the service as a process: the API listens for HTTP; the worker only runs the job processors (the scale-out
 * path, with Redis). On SIGTERM or SIGINT both stop taking work, finish what they hold and exit 0.
 */
export async function launch(role: 'api' | 'worker'): Promise<void> {
  const config = configFor(role);
  const server = await createServer(config);
  closeWithGrace({ delay: config.shutdownGraceMs }, async ({ signal, err }) => {
    if (err) server.log.error({ err }, 'shutting down after an unexpected error');
    else server.log.info({ signal }, 'shutting down: finishing in-flight work');
    await server.close();
    server.log.info('shut down cleanly');
  });
  if (role === 'api') await server.listen({ host: config.host, port: config.port });
  else {
    await server.ready();
    server.log.info({ backend: server.jobs.backend }, 'worker running jobs');
  }
}

function configFor(role: 'api' | 'worker'): Config {
  try {
    const config = loadConfig();
    if (role === 'api') return config;
    if (!config.redis) throw new ConfigError('The worker needs REDIS_URL: without Redis the API runs the jobs itself.');
    return { ...config, jobs: { ...config.jobs, runWorkers: true } };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
