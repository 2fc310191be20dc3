/**
 * The known-bad inputs (`known-bad.ts`) sent as a client sends them: the body of POST
 * /api/v1/inventory under each inventory format's own file name, POST /api/v1/vex, and POST
 * /api/v1/agent/inventory. Each answer is a 4xx problem with a code and a message; nothing is answered
 * with a 5xx, no upload is left on disk, nothing is written outside the store (the working directory
 * and the temporary directory are fresh and end as they began, a zip-slip name escapes nowhere) and the
 * file an external entity names is never read into an answer.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_FORMATS } from '../../src/inventory/registry.js';
import { createEnrollToken, enrollAgent } from '../../src/services/auth/agents.js';
import type { Role } from '../../src/services/authz.js';
import { silentLogger, systemClock } from '../../src/services/deps.js';
import { bearer, makeTestApi } from '../support/api.js';
import { makeTempStore } from '../support/store.js';
import { makeKnownBadCases } from './known-bad.js';
import { makeFuzzTargets } from './targets.js';
import { makeZip } from './zip.js';

const sandbox = mkdtempSync(join(tmpdir(), 'patchcast-upload-routes-'));
const work = join(sandbox, 'cwd');
const temp = join(sandbox, 'tmp');
const secret = join(sandbox, 'secret.txt');
const SECRET_MARKER = 'patchcast-xxe-marker-91c4';
let app: FastifyInstance;
let tokens: Record<Role, string>;
let agentToken: string;
let cleanup: () => Promise<void>;
let previous: { cwd: string; tmpdir: string | undefined };

beforeAll(async () => {
  const temporary = await makeTempStore();
  cleanup = temporary.cleanup;
  const api = await makeTestApi(temporary.store);
  ({ app, tokens } = api);
  const deps = {
    store: temporary.store,
    config: api.config,
    clock: systemClock,
    logger: silentLogger,
    actor: { kind: 'cli', id: 'cli:test', role: 'admin' },
  } as const;
  const enroll = await createEnrollToken(deps, { uses: 1 });
  const input = { enrollToken: enroll.token, assetId: 'host-1', hostname: 'host-1' };
  agentToken = (await enrollAgent(temporary.store, systemClock, input)).credential;
  mkdirSync(work);
  mkdirSync(temp);
  writeFileSync(secret, `${SECRET_MARKER}\n`);
  previous = { cwd: process.cwd(), tmpdir: process.env.TMPDIR };
  // Uploads stream to os.tmpdir(), read at each request: here, so that leftovers show.
  process.env.TMPDIR = temp;
  process.chdir(work);
}, 120_000);

afterAll(async () => {
  process.chdir(previous.cwd);
  if (previous.tmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous.tmpdir;
  await cleanup?.();
  rmSync(sandbox, { recursive: true, force: true });
});

/** Each inventory format's own file name (the upload route recognises a format by its name). */
function getFormatFileNames(): string[] {
  const names = new Set<string>();
  const targets = makeFuzzTargets(200_000);
  for (const format of INVENTORY_FORMATS) {
    const seeds = targets.find((t) => t.id === `inventory/${format.id}`)?.seeds ?? [];
    const own = seeds.find((s) => format.detect(s.name, s.content.subarray(0, 4096).toString('utf8')));
    names.add(own?.name ?? seeds[0]?.name ?? `${format.id}.txt`);
  }
  return [...names];
}

async function upload(url: string, role: Role, content: Buffer) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...bearer(tokens[role]), 'content-type': 'application/octet-stream' },
    payload: content,
  });
}

/** A 4xx problem naming its code and saying what is wrong, never the file the XXE names. */
function expectClear4xx(what: string, res: { statusCode: number; body: string }): void {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  const problem = JSON.parse(res.body) as { code?: unknown; detail?: unknown };
  expect(problem.code, what).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  expect(typeof problem.detail === 'string' && problem.detail.length > 10, what).toBe(true);
  expect(res.body, what).not.toContain(SECRET_MARKER);
}

const names = getFormatFileNames();
const cases = makeKnownBadCases(secret);

describe('known-bad uploads through the API', () => {
  it('has a file name for every inventory format', () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c]))('%s: a clear 4xx from every upload route', async (_, c) => {
    const content = c.content();
    const answers: Array<[string, { statusCode: number; body: string }]> = [];
    for (const name of names)
      answers.push([
        `inventory as ${name}`,
        await upload(`/api/v1/inventory?filename=${name}`, 'operator', content),
      ]);
    answers.push(['vex', await upload(`/api/v1/vex?filename=${c.name}`, 'operator', content)]);
    const unclear = answers.filter(([, res]) => res.statusCode < 400 || res.statusCode >= 500);
    expect(unclear.map(([what, res]) => `${what}: ${res.statusCode} ${res.body.slice(0, 160)}`)).toEqual([]);
    for (const [what, res] of answers) expectClear4xx(what, res);
  });

  it('zip-slip entry names in an uploaded archive write nothing anywhere', async () => {
    const escaped = join(sandbox, 'escaped.json');
    const entries = [
      `../../../../../../..${escaped}`,
      escaped,
      '..\\..\\escaped.json',
      'ok/../../escaped.json',
    ];
    const zip = makeZip(entries.map((name) => ({ name, data: Buffer.from('{"bomFormat":"CycloneDX"}') })));
    for (const name of ['bom.zip', 'bom.cdx.json', 'package-lock.json'])
      expectClear4xx(name, await upload(`/api/v1/inventory?filename=${name}`, 'operator', zip));
    expect(existsSync(escaped)).toBe(false);
  });

  it('an agent report route answers a clear 4xx for the known-bad inputs too', async () => {
    for (const c of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/agent/inventory',
        headers: { ...bearer(agentToken), 'content-type': 'application/octet-stream' },
        payload: c.content(),
      });
      expectClear4xx(`agent ${c.name}`, res);
    }
  });

  it('left nothing in the working directory or the temporary directory', () => {
    expect(readdirSync(work)).toEqual([]);
    expect(readdirSync(temp)).toEqual([]);
  });
});
