import { parseVexDocument, type VexStatement } from '../../matching/vex/index.js';
import { replaceVexStatements } from '../../store/index.js';
import { announce } from '../auth/events.js';
import { authorize } from '../authz.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';
import { updateFindings } from '../pipeline/update-findings.js';

/** One VEX document as read by a door: where it came from (a path or an upload's name) and its text. */
export interface VexDocument {
  source: string;
  text: string;
}

export interface ImportVexResult {
  statements: number;
  /** Findings VEX suppressed, and suppressed ones it no longer covers, after the refresh. */
  suppressed: number;
  reopened: number;
}

/**
 * Imports VEX documents (`patchcast vex import`): every document is parsed first (a bad one stores
 * nothing), then the statements replace those of the same documents and the import is audited as
 * `vex:import` in one transaction; then findings are brought up to date and `finding:changed` is
 * announced. Needs `operate`.
 */
export async function importVex(deps: ServiceDeps, input: { documents: readonly VexDocument[] }) {
  authorize(deps.actor, 'operate');
  const statements: VexStatement[] = [];
  for (const d of input.documents) statements.push(...parseVexDocument(d.source, d.text));
  const { auditEvent } = await changeState(deps, 'operate', async (db, at) => {
    await replaceVexStatements(db, statements, at.toISOString());
    return {
      result: {},
      audit: {
        action: 'vex:import',
        subject: input.documents.map((d) => d.source).join(', '),
        data: { documents: input.documents.map((d) => d.source), statements: statements.length },
      },
    };
  });
  const { matched } = await updateFindings(deps.store, { now: deps.clock.now(), config: deps.config });
  await announce(deps, {
    kind: 'finding:changed',
    data: { vex: input.documents.map((d) => d.source) },
  });
  const result: ImportVexResult = {
    statements: statements.length,
    suppressed: matched.suppressedByVex,
    reopened: matched.reopenedByVex,
  };
  return { ...result, auditEvent };
}
