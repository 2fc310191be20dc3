import { chunk, type Db, orNull } from '../rows.js';

/** A VEX statement as stored; `products` is the JSON list of products it covers. */
export interface StoredVexStatement {
  vulnerability: string;
  products: Array<{
    purl?: string;
    name?: string;
    version?: string;
    range?: string;
    subcomponents?: string[];
  }>;
  status: string;
  justification?: string;
  detail?: string;
  source: string;
  timestamp?: string;
}

/** Replaces the statements of each source document with the given ones (re-importing a document updates it). */
export async function replaceVexStatements(
  db: Db,
  statements: readonly StoredVexStatement[],
  importedAt: string,
): Promise<void> {
  const sources = [...new Set(statements.map((s) => s.source))];
  if (sources.length > 0) await db.deleteFrom('vex_statements').where('source', 'in', sources).execute();
  for (const batch of chunk(statements, 9)) {
    await db
      .insertInto('vex_statements')
      .values(
        batch.map((s) => ({
          vulnerability_id: s.vulnerability,
          products: JSON.stringify(s.products),
          status: s.status,
          justification: orNull(s.justification),
          detail: orNull(s.detail),
          source: s.source,
          issued_at: orNull(s.timestamp),
          imported_at: importedAt,
        })),
      )
      .execute();
  }
}

/** Every stored statement, in import order (later statements win among equals). */
export async function listVexStatements(db: Db): Promise<StoredVexStatement[]> {
  const rows = await db.selectFrom('vex_statements').selectAll().orderBy('id').execute();
  return rows.map((r) => {
    const s: StoredVexStatement = {
      vulnerability: r.vulnerability_id,
      products: JSON.parse(r.products),
      status: r.status,
      source: r.source,
    };
    if (r.justification) s.justification = r.justification;
    if (r.detail) s.detail = r.detail;
    if (r.issued_at) s.timestamp = r.issued_at;
    return s;
  });
}
