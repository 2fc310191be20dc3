/**
 * `npm run bench api [--home DIR]`: requests per second of the API in-process (inject, no sockets) on a
 * store prepared by `patchcast run --demo` (PATCHCAST_HOME, default ./.patchcast): health, a token's
 * authentication, a findings page and a keyset page deep in the list. Prints figures, asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { makeApp } from '../src/api/app.js';
import { configSchema, normalizeConfig } from '../src/config/index.js';
import { createApiToken } from '../src/services/auth/tokens.js';
import { silentLogger, systemClock } from '../src/services/deps.js';
import { openStore } from '../src/store/index.js';

const homeFlag = process.argv.indexOf('--home');
const home = homeFlag > 0 ? process.argv[homeFlag + 1] : process.env.PATCHCAST_HOME || '.patchcast';
const store = await openStore({ home, databaseUrl: '' });
const config = normalizeConfig(configSchema.parse({ server: { rateLimit: { max: 1_000_000 } } }), null, {});
const actor = { kind: 'cli', id: 'cli:bench', role: 'admin' } as const;
const { token } = await createApiToken(
  { store, config, clock: systemClock, logger: silentLogger, actor },
  { name: 'bench', role: 'viewer', expires: '1h' },
);
const app = await makeApp({ store, config, logger: false });
const headers = { authorization: `Bearer ${token}` };

async function measure(label: string, url: string, n: number): Promise<void> {
  await app.inject({ url, headers });
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const res = await app.inject({ url, headers });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  }
  const ms = (performance.now() - start) / n;
  console.log(
    `${label.padEnd(38)} ${ms.toFixed(2).padStart(8)} ms/request  ${(1000 / ms).toFixed(0).padStart(6)} req/s`,
  );
}

const first = (await app.inject({ url: '/api/v1/findings?limit=100', headers })).json() as { total: number };
console.log(`store ${store.location}: ${first.total} findings (default statuses)`);
await measure('GET /healthz', '/healthz', 500);
await measure('GET /api/v1/assets (token auth)', '/api/v1/assets', 200);
await measure('GET /api/v1/findings?limit=100', '/api/v1/findings?limit=100', 20);
let cursor: string | null = null;
for (let i = 0; i < 10; i++) {
  const page: { nextCursor: string | null } = (
    await app.inject({ url: `/api/v1/findings?limit=100${cursor ? `&cursor=${cursor}` : ''}`, headers })
  ).json();
  cursor = page.nextCursor;
}
await measure('GET /api/v1/findings page 11 (cursor)', `/api/v1/findings?limit=100&cursor=${cursor}`, 20);
await app.close();
await store.close();
