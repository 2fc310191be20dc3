/**
 * Agent enrollment: an admin creates an enrollment token (limited in time and uses); an agent trades
 * it for its own credential bound to one asset; an admin lists and revokes agents. An agent's actor
 * carries its asset, so it sees only its own host's jobs.
 */
import { PatchcastError } from '../../core/errors.js';
import {
  type AgentRow,
  appendAuditEvent,
  insertAgent,
  insertEnrollToken,
  listAgents as listAgentRows,
  revokeAgent as revokeAgentRow,
  type Store,
  takeEnrollTokenUse,
} from '../../store/index.js';
import { authorize } from '../authz.js';
import type { Actor, Clock, ServiceDeps } from '../deps.js';
import { hashSecret, isSameHash, makePublicId, makeSecret } from './secrets.js';
import { getExpiry } from './tokens.js';

export interface CreatedEnrollToken {
  id: string;
  token: string;
  expiresAt: string;
  uses: number;
}

export interface AgentInfo {
  id: string;
  assetId: string;
  hostname: string;
  enrolledAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

const ASSET_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$/;

export async function createEnrollToken(
  deps: ServiceDeps,
  input: { expires?: string; uses?: number },
): Promise<CreatedEnrollToken> {
  authorize(deps.actor, 'admin');
  const uses = input.uses ?? 1;
  if (!Number.isInteger(uses) || uses < 1 || uses > 100_000)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `--uses ${uses} is not a whole number from 1 to 100000`,
    );
  const now = deps.clock.now();
  const expiresAt = getExpiry(now, input.expires ?? '1h') as string;
  const token = makeSecret('pce_');
  const id = makePublicId('enr');
  const at = now.toISOString();
  await deps.store.db.transaction().execute(async (db) => {
    await insertEnrollToken(db, {
      id,
      hash: hashSecret(token),
      created_at: at,
      created_by: deps.actor.id,
      expires_at: expiresAt,
      uses_left: uses,
      revoked_at: null,
    });
    await appendAuditEvent(db, {
      at,
      actor: deps.actor.id,
      action: 'agent:enroll-token',
      subject: id,
      data: { expiresAt, uses },
    });
  });
  return { id, token, expiresAt, uses };
}

/**
 * Trades an enrollment token for an agent credential bound to `assetId`. Fails with AUTH_REQUIRED
 * when the token is unknown, used up, revoked or expired (which one is not told to the caller).
 */
export async function enrollAgent(
  store: Store,
  clock: Clock,
  input: { enrollToken: string; assetId: string; hostname: string },
): Promise<{ agentId: string; credential: string; assetId: string }> {
  if (!ASSET_ID.test(input.assetId))
    throw new PatchcastError(
      'INPUT_INVALID',
      `assetId ${JSON.stringify(input.assetId)} is not a valid asset id`,
      {
        hint: 'Use letters, digits and . _ : @ / - (up to 200 characters).',
      },
    );
  const at = clock.now().toISOString();
  const credential = makeSecret('pca_');
  const agentId = makePublicId('agt');
  await store.db.transaction().execute(async (db) => {
    const enrollTokenId = await takeEnrollTokenUse(db, hashSecret(input.enrollToken), at);
    if (!enrollTokenId)
      throw new PatchcastError(
        'AUTH_REQUIRED',
        'the enrollment token is unknown, used up, revoked or expired',
        {
          hint: 'Ask an admin for a new one: patchcast agents enroll-token create --json.',
        },
      );
    await insertAgent(db, {
      id: agentId,
      asset_id: input.assetId,
      hostname: input.hostname,
      hash: hashSecret(credential),
      enroll_token_id: enrollTokenId,
      enrolled_at: at,
      last_seen_at: null,
      revoked_at: null,
    });
    await appendAuditEvent(db, {
      at,
      actor: `agent:${agentId}`,
      action: 'agent:enroll',
      subject: input.assetId,
      data: { agentId, hostname: input.hostname, enrollToken: enrollTokenId },
    });
  });
  return { agentId, credential, assetId: input.assetId };
}

export async function listAgents(deps: ServiceDeps): Promise<AgentInfo[]> {
  authorize(deps.actor, 'admin');
  return (await listAgentRows(deps.store.db)).map(toAgentInfo);
}

export async function revokeAgent(deps: ServiceDeps, id: string): Promise<AgentInfo> {
  authorize(deps.actor, 'admin');
  const at = deps.clock.now().toISOString();
  await deps.store.db.transaction().execute(async (db) => {
    if (!(await revokeAgentRow(db, id, at)))
      throw new PatchcastError('STORE_NOT_FOUND', `no enrolled agent with id ${id}`, {
        hint: 'List agents with `patchcast agents list`; a revoked agent stays revoked.',
      });
    await appendAuditEvent(db, { at, actor: deps.actor.id, action: 'agent:revoke', subject: id });
  });
  return toAgentInfo((await listAgentRows(deps.store.db)).find((a) => a.id === id) as AgentRow);
}

/**
 * The agent actor a credential stands for, or undefined when unknown or revoked. One statement per
 * request: an UPDATE of `last_seen_at` on the live agent with this hash, returning it, is both the
 * lookup and the revocation check (read from the database every time, so a revocation through any
 * replica holds on the next request everywhere) and the last-seen record. It replaced a SELECT then
 * an UPDATE, which cost agents polling every minute two round trips each (bench/agents.ts).
 */
export async function authenticateAgent(
  store: Store,
  clock: Clock,
  secret: string,
): Promise<Actor | undefined> {
  const hash = hashSecret(secret);
  const row = await store.db
    .updateTable('agents')
    .set({ last_seen_at: clock.now().toISOString() })
    .where('hash', '=', hash)
    .where('revoked_at', 'is', null)
    .returning(['id', 'asset_id', 'hash'])
    .executeTakeFirst();
  if (!row || !isSameHash(row.hash, hash)) return undefined;
  // An agent holds only the `agent` permission (authz.ts); `viewer` is the least role for the type.
  return { kind: 'agent', id: `agent:${row.id}`, role: 'viewer', assetId: row.asset_id };
}

function toAgentInfo(row: AgentRow): AgentInfo {
  return {
    id: row.id,
    assetId: row.asset_id,
    hostname: row.hostname,
    enrolledAt: row.enrolled_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
  };
}
