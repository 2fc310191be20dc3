import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/support/fake-host.js';
import { runProbes } from './probes.js';

describe('runProbes', () => {
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/health') response.end('status: ok\n');
      else if (request.url === '/degraded') response.end('status: degraded\n');
      else if (request.url === '/hang') return;
      else response.writeHead(503).end('down');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('checks an HTTP status and body', async () => {
    const base = `http://127.0.0.1:${port}`;
    const results = await runProbes(
      [
        { kind: 'http', url: `${base}/health`, bodyIncludes: 'status: ok' },
        { kind: 'http', name: 'degraded', url: `${base}/degraded`, bodyIncludes: 'status: ok' },
        { kind: 'http', url: `${base}/other` },
        { kind: 'http', url: `${base}/other`, status: 503 },
        { kind: 'http', url: `${base}/hang`, timeoutMs: 200 },
      ],
      new FakeHost({}),
    );
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true, false]);
    expect(results[1]).toMatchObject({
      probe: 'degraded',
      detail: expect.stringContaining('lacks "status: ok"'),
    });
    expect(results[2]?.detail).toBe('status 503, expected 200: down');
    expect(results[4]?.detail).toBe('no answer within 200 ms');
  });

  it('connects over TCP, and fails on a closed port', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const results = await runProbes(
      [
        { kind: 'tcp', host: '127.0.0.1', port },
        { kind: 'tcp', host: '127.0.0.1', port: closedPort },
      ],
      new FakeHost({}),
    );
    expect(results[0]).toEqual({ probe: `tcp 127.0.0.1:${port}`, ok: true, detail: 'connected' });
    expect(results[1]).toMatchObject({ ok: false, detail: expect.stringContaining('ECONNREFUSED') });
  });

  it('runs a command probe on the host: exit 0 passes', async () => {
    const host = new FakeHost({});
    host.failing.add('grep -qx ok /usr/share/pcdemo/health');
    const results = await runProbes(
      [
        { kind: 'command', argv: ['grep', '-qx', 'ok', '/usr/share/pcdemo/health'] },
        { kind: 'command', name: 'true', argv: ['true'] },
      ],
      host,
    );
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(results[0]?.detail).toContain('exit 1');
  });
});
