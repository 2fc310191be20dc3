/** OIDC bearer JWTs against a local issuer serving its discovery document and JWKS on loopback. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

import { bearer, makeTestApi, makeTestConfig } from '../../../test/support/api.js';
import { makeTempStore } from '../../../test/support/store.js';
import type { Store } from '../../store/index.js';

let issuer: string;
let server: Server;
let signingKey: SigningKey;
let otherKey: SigningKey;
let jwksRequests = 0;
let store: Store;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey as SigningKey;
  otherKey = (await generateKeyPair('RS256')).privateKey as SigningKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration')
      return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    if (req.url === '/keys') {
      jwksRequests++;
      return res.end(JSON.stringify({ keys: [jwk] }));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ({ store, cleanup } = await makeTempStore());
});
afterAll(async () => {
  server?.close();
  await cleanup();
});

async function makeJwt(
  claims: Record<string, unknown>,
  options: { key?: SigningKey; audience?: string; issuer?: string; expires?: string | number } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? 'patchcast')
    .setSubject('u-1')
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '10m')
    .sign(options.key ?? signingKey);
}

async function makeOidcApi() {
  const config = makeTestConfig({
    oidc: {
      issuer,
      audience: 'patchcast',
      roleClaim: 'groups',
      roles: { viewer: ['sec-viewers'], approver: ['sec-approvers'], admin: ['sec-admins'] },
    },
  });
  return (await makeTestApi(store, { config })).app;
}

describe('OIDC bearer tokens', () => {
  it("maps the role claim to a role: the highest role the user's groups grant", async () => {
    const app = await makeOidcApi();
    const viewer = await makeJwt({ email: 'vera@example.com', groups: ['sec-viewers', 'staff'] });
    expect((await app.inject({ url: '/api/v1/assets', headers: bearer(viewer) })).statusCode).toBe(200);
    const forbidden = await app.inject({ url: '/api/v1/tokens', headers: bearer(viewer) });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().detail).toContain('oidc:vera@example.com (viewer)');
    const admin = await makeJwt({ email: 'ada@example.com', groups: ['sec-viewers', 'sec-admins'] });
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(admin),
      payload: { name: 'from-sso', role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    const row = await store.db
      .selectFrom('api_tokens')
      .select('created_by')
      .where('name', '=', 'from-sso')
      .executeTakeFirst();
    expect(row?.created_by).toBe('oidc:ada@example.com');
    expect(jwksRequests).toBeGreaterThanOrEqual(1);
  });

  it('refuses a token of another audience, another issuer, an unknown key or past its expiry (401)', async () => {
    const app = await makeOidcApi();
    const bad = [
      await makeJwt({ groups: ['sec-admins'] }, { audience: 'someone-else' }),
      await makeJwt({ groups: ['sec-admins'] }, { issuer: 'http://127.0.0.1:1' }),
      await makeJwt({ groups: ['sec-admins'] }, { key: otherKey }),
      await makeJwt({ groups: ['sec-admins'] }, { expires: Math.floor(Date.now() / 1000) - 600 }),
    ];
    for (const jwt of bad) {
      const res = await app.inject({ url: '/api/v1/assets', headers: bearer(jwt) });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('AUTH_REQUIRED');
    }
  });

  it('forbids a valid user whose groups map to no role (403 naming the claim)', async () => {
    const app = await makeOidcApi();
    const jwt = await makeJwt({ email: 'nobody@example.com', groups: ['staff'] });
    const res = await app.inject({ url: '/api/v1/assets', headers: bearer(jwt) });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/claim groups matches none of server\.oidc\.roles/);
  });

  it('does not accept JWTs when server.oidc is not configured', async () => {
    const { app } = await makeTestApi(store);
    const jwt = await makeJwt({ groups: ['sec-admins'] });
    expect((await app.inject({ url: '/api/v1/assets', headers: bearer(jwt) })).statusCode).toBe(401);
  });
});
