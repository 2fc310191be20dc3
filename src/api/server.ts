/** `patchcast serve`: the app of `makeApp` listening on a host and port, over TLS when configured. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import { PatchcastError } from '../core/errors.js';
import { makeApp } from './app.js';
import type { AppDeps } from './route.js';

export interface RunningServer {
  app: FastifyInstance;
  /** `http(s)://host:port` it listens on (the real port when 0 was asked). */
  url: string;
  close(): Promise<void>;
}

/** Serves the store the door opened (`patchcast serve`), as `makeApp` does for each request's deps. */
export async function startServer(options: {
  store: AppDeps['store'];
  config: Config;
  host: string;
  port: number;
  logger?: boolean | Record<string, unknown>;
}): Promise<RunningServer> {
  const tls = options.config.server.tls;
  const https = tls
    ? { key: readPem(tls.key, 'server.tls.key'), cert: readPem(tls.cert, 'server.tls.cert') }
    : undefined;
  const app = await makeApp({
    store: options.store,
    config: options.config,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(https ? { https } : {}),
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { app, url: `${https ? 'https' : 'http'}://${host}:${port}`, close: () => app.close() };
}

function readPem(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new PatchcastError(
      'CONFIG_INVALID',
      `${field}: cannot read ${path} (${(error as Error).message})`,
      {
        hint: `Point ${field} at a PEM file (relative to patchcast.yaml).`,
      },
    );
  }
}
