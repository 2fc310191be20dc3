import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { loadCommandConfig, withServices } from '../context.js';

/** `patchcast serve`: the HTTP API (src/api/readme.md) until SIGINT or SIGTERM. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'serve the HTTP API (REST under /api/v1, /openapi.json, /healthz, /readyz) until interrupted',
    )
    .option('--host <host>', 'address to listen on (default: server.host, else 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default: server.port, else 8080; 0 picks a free one)')
    .option('--controller', 'also run the rollout controller in this process (default: server.controller)')
    .action(async (options: { host?: string; port?: string; controller?: boolean }, command: Command) => {
      const config = loadCommandConfig(command);
      const port = options.port === undefined ? config.server.port : Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--port ${options.port} is not a port number (0–65535)`,
        );
      const { startServer } = await import('../../api/server.js');
      // The store is opened (and closed when the server stops) the way every command opens it;
      // the controller and the scheduler get the same deps under their own system actors.
      await withServices(command, async (deps) => {
        const server = await startServer({
          store: deps.store,
          config,
          host: options.host ?? config.server.host,
          port,
        });
        server.app.log.info(
          { url: server.url, store: deps.store.location },
          `patchcast API listening on ${server.url}`,
        );
        const system = { ...deps, config, logger: server.app.log };
        // The rollout controller runs beside the API when asked; several replicas may each run one
        // (leases and guarded transitions keep them from acting twice).
        const stopController = new AbortController();
        const controller =
          (options.controller ?? config.server.controller)
            ? (async () => {
                const { runController } = await import('../../services/rollout/run-controller.js');
                await runController(
                  { ...system, actor: { kind: 'system', id: 'system:controller', role: 'admin' } },
                  { signal: stopController.signal },
                );
              })().catch((error) =>
                server.app.log.error({ error: String(error) }, 'rollout controller stopped'),
              )
            : undefined;
        if (controller) server.app.log.info({}, 'rollout controller running');
        // Scheduled syncs: checked every minute; a sync starts when the schedule says one is due.
        const schedule = config.server.sync;
        let syncTimer: NodeJS.Timeout | undefined;
        if (schedule) {
          const { runScheduledSync } = await import('../../services/sync/scheduled-sync.js');
          const check = () =>
            runScheduledSync(
              { ...system, actor: { kind: 'system', id: 'system:scheduler', role: 'operator' } },
              schedule,
            )
              .then(
                (started) =>
                  started?.started &&
                  server.app.log.info({ sources: started.sources }, 'scheduled sync started'),
              )
              .catch((error) => server.app.log.warn({ error: String(error) }, 'scheduled sync check failed'));
          void check();
          syncTimer = setInterval(check, 60_000);
          server.app.log.info({ every: schedule.every }, 'scheduled syncs on');
        }
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        if (syncTimer) clearInterval(syncTimer);
        stopController.abort();
        await controller;
        await server.close();
      });
    });
}
