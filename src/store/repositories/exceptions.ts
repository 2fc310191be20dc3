import type { RiskException } from '../../core/types.js';
import { type Db, definedOnly, orNull } from '../rows.js';
import type { ExceptionsTable } from '../schema.js';

export async function insertException(db: Db, e: RiskException): Promise<void> {
  await db
    .insertInto('exceptions')
    .values({
      id: e.id,
      scope: e.scope,
      vulnerability_id: orNull(e.vulnerabilityId),
      asset_id: orNull(e.assetId),
      package_name: orNull(e.packageName),
      finding_id: orNull(e.findingId),
      owner: e.owner,
      reason: e.reason,
      approver: orNull(e.approver),
      compensating_control: orNull(e.compensatingControl),
      created_at: e.createdAt,
      expires_at: e.expiresAt,
      revoked_at: orNull(e.revokedAt),
    })
    .execute();
}

/** Exceptions; with `activeAt`, only those neither revoked nor expired at that instant. */
export async function listExceptions(db: Db, options: { activeAt?: string } = {}): Promise<RiskException[]> {
  let query = db.selectFrom('exceptions').selectAll();
  if (options.activeAt) {
    query = query.where('expires_at', '>', options.activeAt).where('revoked_at', 'is', null);
  }
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map(fromRow);
}

/** Revokes an exception; returns false when it does not exist or was already revoked. */
export async function revokeException(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('exceptions')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function fromRow(r: ExceptionsTable): RiskException {
  return definedOnly({
    id: r.id,
    scope: r.scope as RiskException['scope'],
    vulnerabilityId: r.vulnerability_id,
    assetId: r.asset_id,
    packageName: r.package_name,
    findingId: r.finding_id,
    owner: r.owner,
    reason: r.reason,
    approver: r.approver,
    compensatingControl: r.compensating_control,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  });
}
