import { afterEach, beforeEach } from 'vitest';
import { readConfig } from '../../src/config/index.js';
import { seedStore } from '../../src/risk/sla/__fixtures__/store.js';
import type { Role } from '../../src/services/authz.js';
import type { ServiceDeps } from '../../src/services/deps.js';
import { silentLogger } from '../../src/services/deps.js';
import type { Store } from '../../src/store/index.js';
import { makeTempStore } from './store.js';

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

/**
 * A temp store seeded with the SLA fixtures (src/risk/sla/__fixtures__/store.ts) for each test of the
 * calling describe block, removed after it; call the returned function for the current store.
 */
export function useSeededStore(): () => Store {
  let current: Awaited<ReturnType<typeof makeTempStore>> | undefined;
  beforeEach(async () => {
    current = await makeTempStore();
    await seedStore(current.store.db);
  });
  afterEach(() => current?.cleanup());
  return () => {
    if (!current) throw new Error('useSeededStore: no store outside a test');
    return current.store;
  };
}
