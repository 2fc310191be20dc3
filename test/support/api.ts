/**
 * For the API's specs: an app on a store, and a token per role created through the tokens service
 * (as `patchcast tokens create` does).
 */
import type { FastifyInstance } from 'fastify';
import { makeApp } from '../../src/api/app.js';
import { type Config, configSchema, normalizeConfig } from '../../src/config/index.js';
import { createApiToken } from '../../src/services/auth/tokens.js';
import { ROLES, type Role } from '../../src/services/authz.js';
import { type Clock, silentLogger, systemClock } from '../../src/services/deps.js';
import type { Store } from '../../src/store/index.js';

/** The built-in defaults, with `server` overrides. */
export function makeTestConfig(server: Record<string, unknown> = {}): Config {
  return normalizeConfig(configSchema.parse({ server }), null, {});
}

export async function makeTestApi(
  store: Store,
  /** `webRoot`: a built web app to serve at / (default none: the API alone, whatever dist/ holds). */
  options: { config?: Config; clock?: Clock; webRoot?: string } = {},
): Promise<{ app: FastifyInstance; tokens: Record<Role, string>; config: Config }> {
  const config = options.config ?? makeTestConfig();
  const clock = options.clock ?? systemClock;
  const app = await makeApp({ store, config, clock, logger: false, webRoot: options.webRoot ?? null });
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const deps = {
      store,
      config,
      clock,
      logger: silentLogger,
      actor: { kind: 'cli', id: 'cli:test', role: 'admin' },
    } as const;
    tokens[role] = (await createApiToken(deps, { name: `test-${role}`, role })).token;
  }
  return { app, tokens, config };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
