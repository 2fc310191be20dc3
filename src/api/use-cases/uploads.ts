/**
 * Uploads: an inventory file or a VEX document as the request body, read by the same parsers as the
 * CLI. The body has streamed to a private temporary directory (upload-file.ts, capped at
 * server.uploadLimit); it is renamed to the name the client gives, because formats are recognised
 * by name (package-lock.json, status, …). The directory is removed once the answer is sent.
 */
import { readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PatchcastError } from '../../core/errors.js';
import { collectInventory } from '../../inventory/collect.js';
import { authorize } from '../../services/authz.js';
import type { ServiceDeps } from '../../services/deps.js';
import { importInventory } from '../../services/inventory/import-inventory.js';
import { importVex } from '../../services/vex/import-vex.js';
import { isUploadedFile, type UploadedFile } from '../upload-file.js';

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A body of a byte-order mark alone is empty too (some formats would read it as a file of nothing). */
function isOnlyByteOrderMark(body: UploadedFile): boolean {
  return body.size === UTF8_BOM.length && readFileSync(body.path).equals(UTF8_BOM);
}

/** The uploaded file under the client's file name (in its private directory). */
function checkUpload(body: unknown, filename: string): string {
  if (!FILE_NAME.test(filename) || filename.includes('..'))
    throw new PatchcastError(
      'INPUT_INVALID',
      `query.filename ${JSON.stringify(filename)} is not a plain file name`,
      {
        hint: 'Give the file name only (e.g. package-lock.json, status, bom.cdx.json): letters, digits, . _ + -.',
      },
    );
  if (!isUploadedFile(body) || body.size === 0 || isOnlyByteOrderMark(body))
    throw new PatchcastError('INPUT_INVALID', 'the request body is empty: send the file itself as the body', {
      hint: 'curl --data-binary @FILE -H "Content-Type: application/octet-stream" …',
    });
  const path = join(body.dir, filename);
  renameSync(body.path, path);
  return path;
}

/** `text` with the upload's private directory taken out, so a message names the client's file only. */
function hideUploadDir(text: string, dir: string): string {
  return text.replaceAll(`${dir}/`, '').replaceAll(dir, '.');
}

/** Runs a parse of an upload; its errors name the client's file, not the temporary path it was read from. */
async function withUploadNames<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof PatchcastError)) throw error;
    const details = JSON.parse(hideUploadDir(JSON.stringify(error.details), dir)) as Record<string, unknown>;
    throw new PatchcastError(error.code, hideUploadDir(error.message, dir), {
      hint: hideUploadDir(error.hint, dir),
      details,
      cause: error,
    });
  }
}

export async function importInventoryUpload(
  deps: ServiceDeps,
  input: { body: unknown; filename: string; assetId?: string; match: boolean },
) {
  authorize(deps.actor, 'operate');
  const path = checkUpload(input.body, input.filename);
  const dir = (input.body as UploadedFile).dir;
  const collected = await withUploadNames(dir, () =>
    collectInventory([path], input.assetId ? { assetId: input.assetId } : {}),
  );
  // A file that does not name its host (a lockfile, a package database) would be filed under the
  // directory it sits in, which for an upload is a random temporary one.
  if (!input.assetId && collected.assets.some((a) => a.name === basename(dir)))
    throw new PatchcastError('INPUT_INVALID', `${input.filename} does not name the asset it describes`, {
      hint: 'Name the asset: POST /api/v1/inventory?filename=…&asset=web-01 (an SBOM with metadata.component, an agent report or an asset registry name their assets themselves).',
    });
  collected.warnings = collected.warnings.map((w) => hideUploadDir(w, dir));
  // The import service writes, audits (inventory:import), re-matches and announces it, as for the CLI.
  const summary = await importInventory(deps, { collected, match: input.match });
  const matched = summary.matched;
  return {
    assets: collected.assets.map((a) => ({
      id: a.assetId,
      kind: a.kind,
      os: a.osEcosystem ?? null,
      packages: a.packages.length,
    })),
    registryAssets: summary.registryAssets,
    findings: matched?.findings ?? null,
    resolved: matched?.resolved ?? null,
    warnings: summary.warnings,
  };
}

/** An agent's report of its own host (`patchcast.agent-report/1`), imported into its own asset and re-matched. */
export async function importAgentInventory(deps: ServiceDeps, input: { body: unknown }) {
  authorize(deps.actor, 'agent');
  const assetId = deps.actor.assetId;
  if (!assetId) throw new PatchcastError('AUTH_FORBIDDEN', `${deps.actor.id} is bound to no asset`);
  const path = checkUpload(input.body, 'agent-report.json');
  const dir = (input.body as UploadedFile).dir;
  const collected = await withUploadNames(dir, () => collectInventory([path], { assetId }));
  if (collected.assets.some((a) => a.sources.some((s) => s.format !== 'agent-report')))
    throw new PatchcastError('INPUT_INVALID', 'an agent sends a patchcast.agent-report/1 document only', {
      details: { formats: collected.assets.flatMap((a) => a.sources.map((s) => s.format)) },
    });
  const summary = await importInventory(deps, { collected, match: true });
  return {
    assetId,
    packages: collected.assets.reduce((n, a) => n + a.packages.length, 0),
    findings: summary.matched?.findings ?? null,
    warnings: summary.warnings,
  };
}

export async function importVexUpload(deps: ServiceDeps, input: { body: unknown; filename: string }) {
  authorize(deps.actor, 'operate');
  const path = checkUpload(input.body, input.filename);
  // The VEX service parses, stores, audits (vex:import), refreshes the findings and announces it, as for the CLI.
  const { auditEvent: _audit, ...result } = await importVex(deps, {
    documents: [{ source: input.filename, text: readFileSync(path, 'utf8') }],
  });
  return result;
}
