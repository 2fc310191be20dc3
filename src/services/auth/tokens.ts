/** API tokens: create (the secret is shown once), list, revoke, and authenticate a bearer secret. */
import { getDurationMinutes } from '../../config/duration.js';
import { PatchcastError } from '../../core/errors.js';
import {
  type ApiTokenRow,
  appendAuditEvent,
  insertApiToken,
  listApiTokens as listTokenRows,
  loadApiTokenByHash,
  revokeApiToken as revokeTokenRow,
  type Store,
  touchApiToken,
} from '../../store/index.js';
import { authorize, ROLES, type Role } from '../authz.js';
import type { Actor, Clock, ServiceDeps } from '../deps.js';
import { hashSecret, isSameHash, makePublicId, makeSecret } from './secrets.js';

export interface CreatedToken {
  id: string;
  /** The secret: shown once, never stored. */
  token: string;
  role: Role;
  expiresAt: string | null;
}

/** A token as listed: never its secret or hash. */
export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const EXPIRES = /^(\d+[smhdw])+$/;

/** Checks a role name from a user (CLI option or request). */
export function parseRole(text: string, field = '--role'): Role {
  if ((ROLES as readonly string[]).includes(text)) return text as Role;
  throw new PatchcastError('USAGE_INVALID_ARGUMENT', `${field} ${text} is not one of ${ROLES.join(', ')}`, {
    hint: `Pass ${field} viewer, operator, approver or admin.`,
  });
}

/** `90d`, `12h` … → the instant that long after now; `never` → null. */
export function getExpiry(now: Date, text: string | undefined, field = '--expires'): string | null {
  if (text === undefined || text === 'never') return null;
  if (!EXPIRES.test(text) || getDurationMinutes(text) <= 0)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `${field} ${text} is not a duration such as 90d or 12h`,
      {
        hint: `Pass ${field} 90d, 12h or 1w (or never).`,
      },
    );
  return new Date(now.getTime() + getDurationMinutes(text) * 60_000).toISOString();
}

export async function createApiToken(
  deps: ServiceDeps,
  input: { name: string; role: Role; expires?: string },
): Promise<CreatedToken> {
  authorize(deps.actor, 'admin');
  const name = input.name.trim();
  if (!name || name.length > 200)
    throw new PatchcastError('USAGE_INVALID_ARGUMENT', 'token name must be 1–200 characters', {
      hint: 'Pass --name ci-pipeline, say.',
    });
  const now = deps.clock.now();
  const at = now.toISOString();
  const expiresAt = getExpiry(now, input.expires);
  const token = makeSecret('pct_');
  const id = makePublicId('tok');
  await deps.store.db.transaction().execute(async (db) => {
    await insertApiToken(db, {
      id,
      name,
      role: input.role,
      hash: hashSecret(token),
      created_at: at,
      created_by: deps.actor.id,
      expires_at: expiresAt,
      last_used_at: null,
      revoked_at: null,
    });
    await appendAuditEvent(db, {
      at,
      actor: deps.actor.id,
      action: 'token:create',
      subject: id,
      data: { name, role: input.role, expiresAt },
    });
  });
  deps.logger.info({ tokenId: id, role: input.role }, 'api token created');
  return { id, token, role: input.role, expiresAt };
}

export async function listApiTokens(deps: ServiceDeps): Promise<TokenInfo[]> {
  authorize(deps.actor, 'admin');
  return (await listTokenRows(deps.store.db)).map(toTokenInfo);
}

export async function revokeApiToken(deps: ServiceDeps, id: string): Promise<TokenInfo> {
  authorize(deps.actor, 'admin');
  const at = deps.clock.now().toISOString();
  await deps.store.db.transaction().execute(async (db) => {
    if (!(await revokeTokenRow(db, id, at)))
      throw new PatchcastError('STORE_NOT_FOUND', `no live API token with id ${id}`, {
        hint: 'List tokens with `patchcast tokens list`; a revoked token stays revoked.',
      });
    await appendAuditEvent(db, { at, actor: deps.actor.id, action: 'token:revoke', subject: id });
  });
  const row = (await listTokenRows(deps.store.db)).find((t) => t.id === id) as ApiTokenRow;
  return toTokenInfo(row);
}

/**
 * The actor a bearer API token stands for, or undefined when it is unknown, revoked or expired.
 * Records the time it was used (at most once a minute, so reads do not write on every request).
 */
export async function authenticateApiToken(
  store: Store,
  clock: Clock,
  secret: string,
): Promise<Actor | undefined> {
  const hash = hashSecret(secret);
  const row = await loadApiTokenByHash(store.db, hash);
  if (!row || !isSameHash(row.hash, hash) || row.revoked_at !== null) return undefined;
  const now = clock.now();
  if (row.expires_at !== null && row.expires_at <= now.toISOString()) return undefined;
  if (row.last_used_at === null || Date.parse(row.last_used_at) < now.getTime() - 60_000)
    await touchApiToken(store.db, row.id, now.toISOString());
  return { kind: 'token', id: `token:${row.id}`, role: row.role as Role };
}

function toTokenInfo(row: ApiTokenRow): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
