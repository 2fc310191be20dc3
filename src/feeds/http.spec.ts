import { describe, expect, it } from 'vitest';
import { useFeedTestbed } from '../../test/support/feed-contract.js';
import { makeHttpClient } from './http.js';

describe('http client', () => {
  const t = useFeedTestbed();
  const body = JSON.stringify({ ok: true });

  function makeClient() {
    const waits: number[] = [];
    const client = makeHttpClient({ baseDelayMs: 1, sleep: async (ms) => void waits.push(ms) });
    return { client, waits };
  }

  it('retries a status the API names as a rate limit, honouring Retry-After, like 429', async () => {
    t.server.set('/api', { body, failFirst: [403, 429], retryAfter: 2 });
    const { client, waits } = makeClient();
    const answer = await client.getJson(`${t.server.url}/api`, { source: 'x', rateLimitStatuses: [403] });
    expect(answer).toEqual({ ok: true });
    expect(waits).toEqual([2000, 2000]);
  });

  it('waits at least minRetryDelayMs before a retry', async () => {
    t.server.set('/api', { body, failFirst: [500] });
    const { client, waits } = makeClient();
    await client.getJson(`${t.server.url}/api`, { source: 'x', minRetryDelayMs: 6000 });
    expect(waits).toEqual([6000]);
  });

  it('reports a rate limit that outlasts the retries as UPSTREAM_RATE_LIMITED', async () => {
    t.server.set('/api', { body, failFirst: [403, 403, 403, 403, 403] });
    const { client } = makeClient();
    await expect(
      client.getJson(`${t.server.url}/api`, { source: 'x', rateLimitStatuses: [403] }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', message: /failed after 5 attempts: HTTP 403$/ });
  });

  it('fails at once on a 403 from an API that does not use it for rate limits', async () => {
    t.server.set('/api', { body, failFirst: [403] });
    const { client, waits } = makeClient();
    await expect(client.getJson(`${t.server.url}/api`, { source: 'x' })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      message: /answered HTTP 403$/,
    });
    expect(t.server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });
});
