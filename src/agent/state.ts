/**
 * The agent's state directory (mode 0700): `credential.json` (mode 0600) and `journal.json`, the jobs
 * in flight. Every write is atomic (temp file, fsync, rename, fsync of the directory), so a crash at
 * any moment leaves either the old file or the new one, never a torn one.
 */
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PatchcastError } from '../core/errors.js';
import type { JobOutcome, StepReport } from '../rollout/contract.js';

export const CREDENTIAL_FILE = 'credential.json';
export const JOURNAL_FILE = 'journal.json';

export interface AgentCredential {
  server: string;
  agentId: string;
  assetId: string;
  credential: string;
  /** A CA file to trust for the server's certificate (self-signed servers). */
  caFile?: string;
}

/** A result the agent saw happen but has not delivered yet; replayed in order with the entry's token. */
export type PendingReport =
  | { kind: 'step'; report: StepReport }
  | { kind: 'end'; outcome: JobOutcome; lastError?: string; transient?: boolean };

export interface JournalEntry {
  jobId: string;
  /** The fencing token of the lease the agent works under. */
  token: number;
  /** The step last begun or ended (`leased` before the first). */
  step: string;
  phase: 'started' | 'ended';
  /** The versions recorded before apply: present once the install may have started. */
  previous?: Array<{ name: string; version: string | null }>;
  /** The token under which apply may have started; a lease under it (or an older one) never applies again. */
  appliedToken?: number;
  /** The outcome of the step last ended: a failed apply, restart or verify means a rollback is due. */
  lastOutcome?: 'ok' | 'skipped' | 'failed';
  pending: PendingReport[];
  updatedAt: string;
}

const credentialShape = z.object({
  server: z.string().min(1),
  agentId: z.string().min(1),
  assetId: z.string().min(1),
  credential: z.string().min(1),
  caFile: z.string().min(1).optional(),
});

const versions = z.array(z.object({ name: z.string(), version: z.string().nullable() }));
const journalShape = z.object({
  schema: z.literal('patchcast.agent-journal/1'),
  jobs: z.array(
    z.object({
      jobId: z.string(),
      token: z.number().int(),
      step: z.string(),
      phase: z.enum(['started', 'ended']),
      previous: versions.optional(),
      appliedToken: z.number().int().optional(),
      lastOutcome: z.enum(['ok', 'skipped', 'failed']).optional(),
      pending: z.array(z.looseObject({ kind: z.enum(['step', 'end']) })),
      updatedAt: z.string(),
    }),
  ),
});

/** Creates (or tightens) the state directory and checks that it is writable. */
export async function openStateDir(dir: string): Promise<string> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const probe = join(dir, '.write-test');
    await writeFileAtomic(probe, 'ok\n', 0o600);
    await unlink(probe);
  } catch (error) {
    throw notWritable(dir, error);
  }
  return dir;
}

function notWritable(dir: string, error: unknown): PatchcastError {
  const code = (error as { code?: string }).code ?? 'error';
  return new PatchcastError('STORE_NOT_WRITABLE', `agent state directory ${dir} is not writable (${code})`, {
    hint: 'Run the agent as root (it installs packages), or pass --state DIR on a writable, persistent disk.',
    details: { dir, code },
    cause: error,
  });
}

/**
 * Writes `text` to `path` so that a crash leaves the old or the new content: a temp file beside it,
 * fsync, rename over the target, then fsync of the directory so the rename itself is durable.
 */
export async function writeFileAtomic(path: string, text: string, mode = 0o600): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, 'w', mode);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(temp, mode);
  await rename(temp, path);
  const dir = await open(join(path, '..'), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export async function saveCredential(dir: string, credential: AgentCredential): Promise<void> {
  try {
    await writeFileAtomic(join(dir, CREDENTIAL_FILE), `${JSON.stringify(credential, null, 2)}\n`, 0o600);
  } catch (error) {
    throw notWritable(dir, error);
  }
}

export async function loadCredential(dir: string): Promise<AgentCredential> {
  const path = join(dir, CREDENTIAL_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new PatchcastError('CONFIG_NOT_FOUND', `no agent credential at ${path} (${code ?? 'unreadable'})`, {
      hint: `Enroll first: patchcast agent enroll --server URL --token pce_… --state ${dir}`,
      details: { path },
    });
  }
  const parsed = credentialShape.safeParse(safeJson(text));
  if (!parsed.success)
    throw new PatchcastError('CONFIG_INVALID', `${path} is not an agent credential file`, {
      hint: `Enroll again (patchcast agent enroll … --state ${dir}); the file is written by enrollment only.`,
      details: { path },
    });
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) !== 0) await chmod(path, 0o600);
  const { caFile, ...rest } = parsed.data;
  return { ...rest, ...(caFile ? { caFile } : {}) };
}

/** The jobs in flight, kept in `journal.json` and rewritten whole (atomically) on every change. */
export class AgentJournal {
  readonly path: string;
  readonly #entries: Map<string, JournalEntry>;

  private constructor(path: string, entries: JournalEntry[]) {
    this.path = path;
    this.#entries = new Map(entries.map((e) => [e.jobId, e]));
  }

  /** Reads the journal; a missing file is an empty journal, a damaged one an error naming it. */
  static async load(dir: string): Promise<AgentJournal> {
    const path = join(dir, JOURNAL_FILE);
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw notWritable(dir, error);
    }
    if (text === undefined) return new AgentJournal(path, []);
    const parsed = journalShape.safeParse(safeJson(text));
    if (!parsed.success)
      throw new PatchcastError('CONFIG_INVALID', `${path} is not an agent journal`, {
        hint: `Move ${path} away to start with an empty journal; jobs in flight are then re-checked against the host when the server leases them again.`,
        details: { path },
      });
    return new AgentJournal(path, parsed.data.jobs as JournalEntry[]);
  }

  entries(): JournalEntry[] {
    return [...this.#entries.values()];
  }

  get(jobId: string): JournalEntry | undefined {
    return this.#entries.get(jobId);
  }

  /** Replaces a job's entry (or adds it) and writes the journal before returning. */
  async put(entry: JournalEntry): Promise<void> {
    this.#entries.set(entry.jobId, entry);
    await this.save();
  }

  async remove(jobId: string): Promise<void> {
    if (this.#entries.delete(jobId)) await this.save();
  }

  async save(): Promise<void> {
    const document = { schema: 'patchcast.agent-journal/1', jobs: this.entries() };
    await writeFileAtomic(this.path, `${JSON.stringify(document, null, 2)}\n`, 0o600);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
