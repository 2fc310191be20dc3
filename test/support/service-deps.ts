import { readConfig } from '../../src/config/index.js';
import type { Role } from '../../src/services/authz.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { silentLogger } from '../../src/services/deps.js';
import type { Store } from '../../src/store/index.js';

/** The fixed instant service specs run at. */
export const SERVICE_NOW = new Date('2026-01-10T08:00:00.000Z');

/** Service deps over `store` for a token holder of `role` (`token:<role>` in the audit log), default config. */
export function makeServiceDeps(
  store: Store,
  role: Role,
  config = readConfig('', 'patchcast.yaml', {}),
): ServiceDeps {
  return {
    store,
    config,
    clock: { now: () => SERVICE_NOW },
    actor: { kind: 'token', id: `token:${role}`, role },
    logger: silentLogger,
  };
}
