/**
 * Two `patchcast serve` processes on one PostgreSQL behave as one: a token made through one works
 * on the other and its revocation too; an event written through one streams from the other; the
 * agent enrollment token's single use holds across both.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../test/support/api.js';
import { BIN } from '../../test/support/cli.js';
import { runPatchcastInProcess } from '../../test/support/cli-in-process.js';
import { isPostgresAvailable, makeTestSchema } from '../../test/support/postgres.js';

const available = await isPostgresAvailable();

interface Replica {
  url: string;
  child: ChildProcess;
}

/** Starts `patchcast serve --port 0` and resolves with the URL it logs once listening. */
function startReplica(databaseUrl: string, cwd: string): Promise<Replica> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    cwd,
    env: {
      ...process.env,
      PATCHCAST_DATABASE_URL: databaseUrl,
      PATCHCAST_CONFIG: '',
      PATCHCAST_FROM_SOURCE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (c) => (err += c));
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (match) resolve({ url: match[1] as string, child });
    });
    child.on('exit', (code) => reject(new Error(`patchcast serve exited ${code}: ${err}${out}`)));
  });
}

async function stopReplica(replica: Replica | undefined): Promise<void> {
  if (!replica || replica.child.exitCode !== null) return;
  const exited = new Promise((resolve) => replica.child.once('exit', resolve));
  replica.child.kill('SIGTERM');
  await exited;
}

describe.skipIf(!available)('two replicas on one PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof makeTestSchema>>;
  let work: string;
  let a: Replica;
  let b: Replica;
  let admin: string;

  beforeAll(async () => {
    schema = await makeTestSchema();
    work = mkdtempSync(join(tmpdir(), 'patchcast-replicas-'));
    const env = { PATCHCAST_DATABASE_URL: schema.url };
    const created = await runPatchcastInProcess(
      ['tokens', 'create', '--name', 'admin', '--role', 'admin', '--json'],
      {
        home: work,
        env,
      },
    );
    expect(created.code, created.stderr).toBe(0);
    admin = JSON.parse(created.stdout).token;
    [a, b] = await Promise.all([startReplica(schema.url, work), startReplica(schema.url, work)]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([stopReplica(a), stopReplica(b)]);
    await schema?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('both are ready on the same store', async () => {
    for (const r of [a, b]) {
      const res = await fetch(`${r.url}/readyz`);
      expect(await res.json()).toMatchObject({
        status: 'ready',
        store: 'postgres',
        schema: '0021-findings-by-vulnerability',
      });
    }
  });

  it('a token made through one replica works on the other, and so does its revocation', async () => {
    const made = await fetch(`${a.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'viewer', role: 'viewer' }),
    });
    expect(made.status).toBe(201);
    const { id, token } = (await made.json()) as { id: string; token: string };
    expect((await fetch(`${b.url}/api/v1/assets`, { headers: bearer(token) })).status).toBe(200);
    const revoked = await fetch(`${b.url}/api/v1/tokens/${id}`, { method: 'DELETE', headers: bearer(admin) });
    expect(revoked.status).toBe(200);
    expect((await fetch(`${a.url}/api/v1/assets`, { headers: bearer(token) })).status).toBe(401);
  });

  it('an agent enrolled through one replica polls through the other, until revoked through either', async () => {
    const made = await fetch(`${a.url}/api/v1/agents/enroll-tokens`, {
      method: 'POST',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      body: JSON.stringify({ uses: 1 }),
    });
    const { token: enrollToken } = (await made.json()) as { token: string };
    const enrolled = await fetch(`${a.url}/api/v1/agents/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enrollToken, assetId: 'host-revoked', hostname: 'host-revoked' }),
    });
    expect(enrolled.status).toBe(201);
    const { agentId, credential } = (await enrolled.json()) as { agentId: string; credential: string };
    const poll = (r: Replica) => fetch(`${r.url}/api/v1/agent/jobs`, { headers: bearer(credential) });
    expect((await poll(b)).status).toBe(200);
    expect((await poll(a)).status).toBe(200);
    const revoked = await fetch(`${b.url}/api/v1/agents/${agentId}`, {
      method: 'DELETE',
      headers: bearer(admin),
    });
    expect(revoked.status).toBe(200);
    // No credential cache: the very next poll, on the replica that did not revoke it, is refused.
    expect((await poll(a)).status).toBe(401);
    expect((await poll(b)).status).toBe(401);
  });

  it('streams from one replica the events written through the other, in order', async () => {
    const abort = new AbortController();
    try {
      const stream = await fetch(`${b.url}/api/v1/events`, { headers: bearer(admin), signal: abort.signal });
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      const enroll = await fetch(`${a.url}/api/v1/agents/enroll-tokens`, {
        method: 'POST',
        headers: { ...bearer(admin), 'content-type': 'application/json' },
        body: JSON.stringify({ uses: 1 }),
      });
      const { token: enrollToken } = (await enroll.json()) as { token: string };
      // The one use holds across replicas: exactly one of two concurrent enrollments wins.
      const tries = await Promise.all(
        [a, b].map((r, i) =>
          fetch(`${r.url}/api/v1/agents/enroll`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ enrollToken, assetId: `host-${i}`, hostname: `host-${i}` }),
          }),
        ),
      );
      expect(tries.map((t) => t.status).sort()).toEqual([201, 401]);
      const request = await fetch(`${a.url}/api/v1/exception-requests`, {
        method: 'POST',
        headers: { ...bearer(admin), 'content-type': 'application/json' },
        body: JSON.stringify({
          scope: 'vulnerability',
          id: 'CVE-2024-0001',
          owner: 'team',
          reason: 'test',
          expires: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
        }),
      });
      expect(request.status, await request.clone().text()).toBe(201);
      const { requestId } = (await request.json()) as { requestId: string };
      let text = '';
      const decoder = new TextDecoder();
      while (!text.includes(requestId)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      expect(text).toMatch(new RegExp(`id: \\d+\\nevent: exception:requested\\ndata: .*${requestId}`));
    } finally {
      abort.abort();
    }
  });
});
