import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import { readConfig } from '../../config/index.js';
import type { Store } from '../../store/index.js';
import { silentLogger } from '../deps.js';
import { runController } from './run-controller.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, cleanup } = await makeTempStore());
});
afterEach(() => cleanup());

/** The store's db, whose first `selectFrom` fails as a query on a terminated connection does. */
function dropFirstQuery(db: Store['db']): Store['db'] {
  let failed = false;
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'selectFrom' && !failed) {
        failed = true;
        return () => {
          throw new Error('terminating connection due to administrator command');
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('runController', () => {
  it('survives a tick the store fails (drill: a terminated connection killed the controller and stranded its jobs)', async () => {
    const errors: string[] = [];
    await runController(
      {
        store: { ...store, db: dropFirstQuery(store.db) },
        config: readConfig('', '/etc/patchcast/patchcast.yaml', {}),
        clock: { now: () => new Date() },
        actor: { kind: 'system', id: 'system:controller', role: 'admin' },
        logger: { ...silentLogger, error: (_obj, msg) => void errors.push(msg ?? '') },
      },
      { untilIdle: true, tickMs: 1 },
    );
    expect(errors).toEqual(['controller tick failed; trying again next tick']);
  });
});
