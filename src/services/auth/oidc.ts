/**
 * Single sign-on: a bearer JWT from the configured OIDC issuer, verified with `jose` against the
 * issuer's JWKS (signature, `iss`, `aud`, `exp`/`nbf`), its role taken from a claim through the
 * config's mapping (the highest role whose values the claim holds).
 */
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { Config } from '../../config/index.js';
import { PatchcastError } from '../../core/errors.js';
import { ROLES, type Role } from '../authz.js';
import type { Actor, Clock } from '../deps.js';

export type OidcConfig = NonNullable<Config['server']['oidc']>;

export type OidcVerifier = (jwt: string) => Promise<Actor>;

/** A verifier for the config's issuer; the JWKS is fetched on first use and cached by jose. */
export function makeOidcVerifier(oidc: OidcConfig, clock: Clock): OidcVerifier {
  let jwks: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  return async (jwt) => {
    jwks ??= findJwksUri(oidc).then((uri) => createRemoteJWKSet(new URL(uri)));
    let keys: ReturnType<typeof createRemoteJWKSet>;
    try {
      keys = await jwks;
    } catch (error) {
      jwks = undefined; // discovery failed: try again on the next request
      throw error;
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, keys, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        currentDate: clock.now(),
      }));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new PatchcastError(
        'AUTH_REQUIRED',
        `the bearer token is not a valid token of ${oidc.issuer}: ${why}`,
        {
          hint: 'Sign in again to get a fresh token from the identity provider.',
        },
      );
    }
    const role = getRole(payload, oidc);
    const who = typeof payload.email === 'string' ? payload.email : String(payload.sub ?? 'unknown');
    if (!role)
      throw new PatchcastError(
        'AUTH_FORBIDDEN',
        `${who} holds no role: claim ${oidc.roleClaim} matches none of server.oidc.roles`,
        {
          hint: `Map one of the user's ${oidc.roleClaim} values to a role under server.oidc.roles in patchcast.yaml.`,
        },
      );
    return { kind: 'oidc', id: `oidc:${who}`, role };
  };
}

/** The highest role the claim grants. */
export function getRole(payload: JWTPayload, oidc: OidcConfig): Role | undefined {
  const claim = payload[oidc.roleClaim];
  const values = new Set(Array.isArray(claim) ? claim.map(String) : typeof claim === 'string' ? [claim] : []);
  for (const role of [...ROLES].reverse()) {
    if ((oidc.roles[role] ?? []).some((v) => values.has(v))) return role;
  }
  return undefined;
}

async function findJwksUri(oidc: OidcConfig): Promise<string> {
  if (oidc.jwksUri) return oidc.jwksUri;
  const url = `${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const doc = (await response.json()) as { jwks_uri?: unknown };
    if (typeof doc.jwks_uri !== 'string') throw new Error('no jwks_uri');
    return doc.jwks_uri;
  } catch (error) {
    throw new PatchcastError('UPSTREAM_UNAVAILABLE', `OIDC discovery at ${url} failed: ${String(error)}`, {
      hint: 'Set server.oidc.jwksUri, or check that the issuer is reachable.',
    });
  }
}
