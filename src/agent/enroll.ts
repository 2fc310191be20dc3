/**
 * `patchcast agent enroll`: trades a one-time enrollment token (`patchcast agents enroll-token create`)
 * for this agent's own credential, bound to one asset, and keeps it in the state directory.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PatchcastError } from '../core/errors.js';
import { AgentClient } from './client.js';
import { loadHostname } from './inventory.js';
import { openStateDir, saveCredential } from './state.js';

export interface EnrollOptions {
  server: string;
  token: string;
  stateDir: string;
  /** The asset this host is in patchcast's store (default: the host name). */
  assetId?: string;
  hostname?: string;
  /** PEM file of the CA that signed the server's certificate. */
  caFile?: string;
  /** Where the host name is read when not given (the managed root). */
  root?: string;
}

export interface Enrollment {
  agentId: string;
  assetId: string;
  hostname: string;
  server: string;
  credentialFile: string;
}

export async function enrollAgent(options: EnrollOptions): Promise<Enrollment> {
  if (!/^pce_[A-Za-z0-9_-]{43}$/.test(options.token))
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      '--token is not an enrollment token (pce_ followed by 43 characters)',
      {
        hint: 'An admin creates one with `patchcast agents enroll-token create`; pass it whole.',
      },
    );
  // The state directory is checked before the token is spent: a one-time token traded for a
  // credential that cannot be kept is lost.
  const dir = await openStateDir(options.stateDir);
  const caFile = options.caFile ? resolve(options.caFile) : undefined;
  const ca = caFile
    ? await readFile(caFile, 'utf8').catch((error: Error) => {
        throw new PatchcastError('INPUT_NOT_FOUND', `cannot read --ca ${caFile}: ${error.message}`, {
          hint: 'Give the PEM file of the CA that signed the server certificate.',
        });
      })
    : undefined;
  const client = new AgentClient({ server: options.server, ...(ca ? { ca } : {}) });
  const hostname = options.hostname ?? (await loadHostname(options.root ?? '/'));
  const assetId = options.assetId ?? hostname;
  let answer: { agentId: string; credential: string; assetId: string };
  try {
    answer = await client.enroll({ enrollToken: options.token, assetId, hostname });
  } catch (error) {
    throw explainRefusal(error);
  }
  const server = client.server.href.replace(/\/$/, '');
  await saveCredential(dir, {
    server,
    agentId: answer.agentId,
    assetId: answer.assetId,
    credential: answer.credential,
    ...(caFile ? { caFile } : {}),
  });
  return {
    agentId: answer.agentId,
    assetId: answer.assetId,
    hostname,
    server,
    credentialFile: `${dir}/credential.json`,
  };
}

/** A refused token says so, with the fix; other errors pass through. */
function explainRefusal(error: unknown): unknown {
  if (!(error instanceof PatchcastError)) return error;
  if (error.code === 'AUTH_REQUIRED' || error.code === 'AUTH_FORBIDDEN')
    return new PatchcastError(error.code, `the server refused the enrollment token: ${error.message}`, {
      hint: 'The token is wrong, expired or used up: create a new one with `patchcast agents enroll-token create` and enroll again.',
      details: error.details,
    });
  if (error.code === 'API_ROUTE_NOT_FOUND')
    return new PatchcastError(error.code, `${error.message}: no enrollment route there`, {
      hint: 'Check --server: it must be the base URL of `patchcast serve` (https://HOST:PORT), without /api/v1.',
    });
  return error;
}
