/** The server as deployed: security headers, rate limits, CORS, TLS, JSON logs, live events. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, makeTestApi, makeTestConfig } from '../../test/support/api.js';
import { makeTempStore } from '../../test/support/store.js';
import { recordEvent } from '../services/auth/events.js';
import { createApiToken } from '../services/auth/tokens.js';
import { silentLogger, systemClock } from '../services/deps.js';
import type { Store } from '../store/index.js';
import { startServer } from './server.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, cleanup } = await makeTempStore());
});
afterEach(async () => cleanup());

describe('hardening', () => {
  it('sends security headers (helmet)', async () => {
    const { app } = await makeTestApi(store);
    const res = await app.inject({ url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
  });

  it('rate-limits a client per credential with a 429 problem and Retry-After', async () => {
    const config = makeTestConfig({ rateLimit: { max: 3, window: '1m' } });
    const { app, tokens } = await makeTestApi(store, { config });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await app.inject({ url: '/api/v1/assets', headers: bearer(tokens.viewer) })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await app.inject({ url: '/api/v1/assets', headers: bearer(tokens.viewer) });
    expect(limited.json().code).toBe('API_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another credential has its own budget.
    expect((await app.inject({ url: '/api/v1/assets', headers: bearer(tokens.admin) })).statusCode).toBe(200);
    // Guessing tokens is limited too (by address): 401, 401, 401, then 429.
    const guesses: number[] = [];
    for (let i = 0; i < 4; i++)
      guesses.push(
        (await app.inject({ url: '/api/v1/assets', headers: bearer(`pct_guess${i}xxxxxxxxxxxx`) }))
          .statusCode,
      );
    expect(guesses).toEqual([401, 401, 401, 429]);
  });

  it('answers CORS only for configured origins', async () => {
    const closed = (await makeTestApi(store)).app;
    const none = await closed.inject({ url: '/healthz', headers: { origin: 'https://dash.example.com' } });
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
    const open = (
      await makeTestApi(store, {
        config: makeTestConfig({ cors: { origins: ['https://dash.example.com'] } }),
      })
    ).app;
    const allowed = await open.inject({ url: '/healthz', headers: { origin: 'https://dash.example.com' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://dash.example.com');
    const other = await open.inject({ url: '/healthz', headers: { origin: 'https://evil.example.com' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await open.inject({
      method: 'OPTIONS',
      url: '/api/v1/findings',
      headers: { origin: 'https://dash.example.com', 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
  });

  it('serves HTTPS from server.tls with a certificate made at test time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchcast-tls-'));
    try {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const config = makeTestConfig({ tls: { key, cert } });
      const server = await startServer({ store, config, host: '127.0.0.1', port: 0, logger: false });
      try {
        expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const body = await new Promise<string>((resolve, reject) => {
          const req = httpsRequest(`${server.url}/healthz`, { ca: execFileSync('cat', [cert]) }, (res) => {
            let text = '';
            res.on('data', (c) => (text += c)).on('end', () => resolve(text));
          });
          req.on('error', reject).end();
        });
        expect(JSON.parse(body)).toEqual({ status: 'ok' });
        // Without the certificate as a trusted CA the client refuses it: it really is TLS.
        await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs JSON lines with request ids and never the bearer secret', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const config = makeTestConfig();
    const admin = { kind: 'cli', id: 'cli:test', role: 'admin' } as const;
    const deps = { store, config, clock: systemClock, logger: silentLogger, actor: admin };
    const { token } = await createApiToken(deps, { name: 'log', role: 'viewer' });
    const server = await startServer({ store, config, host: '127.0.0.1', port: 0, logger: { stream } });
    try {
      const res = await fetch(`${server.url}/api/v1/tokens`, { headers: bearer(token) });
      expect(res.status).toBe(403);
      const requestId = res.headers.get('x-request-id');
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records.some((r) => r.reqId === requestId && r.msg === 'incoming request')).toBe(true);
      expect(
        records.some((r) => r.reqId === requestId && (r.res as { statusCode?: number })?.statusCode === 403),
      ).toBe(true);
      expect(lines.join('\n')).not.toContain(token.slice(4));
    } finally {
      await server.close();
    }
  });
});

describe('server-sent events', () => {
  it('streams events as they are stored, and a reconnect with Last-Event-ID resumes after it', async () => {
    const config = makeTestConfig();
    const admin = { kind: 'cli', id: 'cli:test', role: 'admin' } as const;
    const deps = { store, config, clock: systemClock, logger: silentLogger, actor: admin };
    const { token } = await createApiToken(deps, { name: 'sse', role: 'viewer' });
    const append = (kind: 'plan:created' | 'plan:approved', subject: string) =>
      store.db
        .transaction()
        .execute((db) => recordEvent(db, { at: new Date().toISOString(), kind, subject }));
    await append('plan:created', 'old'); // before the client connects: not sent without Last-Event-ID
    const server = await startServer({ store, config, host: '127.0.0.1', port: 0, logger: false });
    const abort = new AbortController();
    try {
      const res = await fetch(`${server.url}/api/v1/events`, {
        headers: bearer(token),
        signal: abort.signal,
      });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const received = readEvents(reader);
      await append('plan:created', 'p-1');
      await append('plan:approved', 'p-1');
      const events = await received.next(2);
      expect(events.map((e) => [e.id, e.event])).toEqual([
        ['2', 'plan:created'],
        ['3', 'plan:approved'],
      ]);
      expect(JSON.parse(events[1]?.data ?? '{}')).toMatchObject({ kind: 'plan:approved', subject: 'p-1' });
      abort.abort();
      const resumed = await fetch(`${server.url}/api/v1/events?follow=false`, {
        headers: { ...bearer(token), 'last-event-id': '1' },
      });
      expect([...(await resumed.text()).matchAll(/^id: (\d+)$/gm)].map((m) => m[1])).toEqual(['2', '3']);
    } finally {
      abort.abort();
      await server.close();
    }
  });
});

/** Parses an SSE stream; `next(n)` resolves with the next n events. */
function readEvents(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: Array<Record<string, string>> = [];
  return {
    async next(n: number) {
      while (queue.length < n) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            const m = /^([a-z]+): (.*)$/.exec(line);
            if (m) fields[m[1] as string] = m[2] as string;
          }
          if (fields.id) queue.push(fields);
          end = buffer.indexOf('\n\n');
        }
      }
      return queue.splice(0, n);
    },
  };
}
