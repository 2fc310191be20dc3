/** Agent enrollment over the API and the CLI: trade a token for a credential bound to one asset. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, makeTestApi } from '../../../test/support/api.js';
import { runPatchcastInProcess } from '../../../test/support/cli-in-process.js';
import { makeTempStore } from '../../../test/support/store.js';
import { enqueueJobs, type Store } from '../../store/index.js';

let store: Store;
let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, home, cleanup } = await makeTempStore());
});
afterEach(async () => cleanup());

describe('agent enrollment', () => {
  it('an agent trades a one-use token for a credential that sees only its own host’s jobs, until revoked', async () => {
    let now = new Date('2026-12-01T00:00:00Z');
    const { app, tokens } = await makeTestApi(store, { clock: { now: () => now } });
    const denied = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/enroll-tokens',
      headers: bearer(tokens.operator),
      payload: {},
    });
    expect(denied.statusCode).toBe(403);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/enroll-tokens',
      headers: bearer(tokens.admin),
      payload: { uses: 1, expires: '1h' },
    });
    expect(created.statusCode).toBe(201);
    const enrollToken = created.json().token as string;
    const enroll = (assetId: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/agents/enroll',
        payload: { enrollToken, assetId, hostname: assetId },
      });
    const first = await enroll('host-a');
    expect(first.statusCode, first.body).toBe(201);
    const { credential, agentId } = first.json();
    expect(credential).toMatch(/^pca_/);
    const second = await enroll('host-b');
    expect(second.statusCode).toBe(401);
    expect(second.json().detail).toMatch(/used up/);

    await enqueueJobs(
      store.db,
      [
        { id: 'job-a', assetId: 'host-a' },
        { id: 'job-b', assetId: 'host-b' },
      ],
      now.toISOString(),
    );
    const jobs = await app.inject({ url: '/api/v1/agent/jobs', headers: bearer(credential) });
    expect(jobs.statusCode).toBe(200);
    expect(jobs.json().map((j: { id: string }) => j.id)).toEqual(['job-a']);
    // An agent is not a user: it reads nothing else.
    expect((await app.inject({ url: '/api/v1/assets', headers: bearer(credential) })).statusCode).toBe(403);

    const listed = await app.inject({ url: '/api/v1/agents', headers: bearer(tokens.admin) });
    expect(listed.json()).toEqual([
      expect.objectContaining({
        id: agentId,
        assetId: 'host-a',
        lastSeenAt: '2026-12-01T00:00:00.000Z',
        revokedAt: null,
      }),
    ]);
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/api/v1/agents/${agentId}`,
      headers: bearer(tokens.admin),
    });
    expect(revoked.json().revokedAt).toBe('2026-12-01T00:00:00.000Z');
    expect((await app.inject({ url: '/api/v1/agent/jobs', headers: bearer(credential) })).statusCode).toBe(
      401,
    );

    // An expired enrollment token is refused too.
    const later = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/enroll-tokens',
      headers: bearer(tokens.admin),
      payload: { uses: 5, expires: '1h' },
    });
    now = new Date('2026-12-01T01:00:01Z');
    const late = await app.inject({
      method: 'POST',
      url: '/api/v1/agents/enroll',
      payload: { enrollToken: later.json().token, assetId: 'host-c', hostname: 'c' },
    });
    expect(late.statusCode).toBe(401);
  });

  it('patchcast tokens and agents: create prints the secret once as JSON, list never shows it, revoke ends it', async () => {
    // The CLI opens its own connection to the same SQLite file.
    const created = await runPatchcastInProcess(
      ['tokens', 'create', '--name', 'ci', '--role', 'operator', '--expires', '90d', '--json'],
      { home },
    );
    expect(created.code, created.stderr).toBe(0);
    const token = JSON.parse(created.stdout);
    expect(Object.keys(token).sort()).toEqual(['expiresAt', 'id', 'role', 'token']);
    expect(token.role).toBe('operator');
    expect(Date.parse(token.expiresAt) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    const list = await runPatchcastInProcess(['tokens', 'list', '--json'], { home });
    expect(list.stdout).not.toContain(token.token);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ id: token.id, name: 'ci', lastUsedAt: null }),
    ]);
    expect((await runPatchcastInProcess(['tokens', 'revoke', token.id], { home })).code).toBe(0);
    const again = await runPatchcastInProcess(['tokens', 'revoke', token.id, '--json'], { home });
    expect(again.code).toBe(5);
    expect(JSON.parse(again.stdout).error.code).toBe('STORE_NOT_FOUND');
    const badRole = await runPatchcastInProcess(['tokens', 'create', '--name', 'x', '--role', 'root'], {
      home,
    });
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('--role root is not one of viewer, operator, approver, admin');
    const enroll = await runPatchcastInProcess(
      ['agents', 'enroll-token', 'create', '--expires', '1h', '--uses', '3', '--json'],
      { home },
    );
    expect(enroll.code, enroll.stderr).toBe(0);
    expect(JSON.parse(enroll.stdout)).toMatchObject({ uses: 3, token: expect.stringMatching(/^pce_/) });
  });
});
