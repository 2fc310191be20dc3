import { summarizeDebianChangelog, type Urgency } from './changelog.js';
import type { PackageTarget } from './contract.js';
import type { JobHost } from './run-job.js';

/**
 * The release notes of one target, as the preflight reports them: what the changelog says happened
 * between the installed version and the target. The patch-reliability model and `rollout job` read
 * this summary, not the text.
 */
export interface ReleaseNotesSummary {
  maxUrgency?: Urgency;
  cves: string[];
  upstreamChanged: boolean;
  backport: boolean;
  /** How many changelog entries lie after the installed version up to the target. */
  entries: number;
  /** An entry says "regression": the update fixes one an earlier update caused. */
  mentionsRegression: boolean;
  /** The newest entry's first change line. */
  firstLine?: string;
}

export type ReleaseNotes = Record<string, ReleaseNotesSummary | { error: string }>;

// A changelog is small; a truncated or huge output is treated like any other fetch failure.
const FETCH_TIMEOUT_MS = 120_000;
const MAX_CHANGELOG_CHARS = 4 << 20;

/**
 * Each target's release notes, fetched from its package without changing the host; undefined when
 * the manager cannot fetch them (only apt can yet) or the executor is a dry run. A failure is recorded per package and never thrown:
 * notes inform the prediction, they do not gate the job.
 */
export async function fetchReleaseNotes(
  host: JobHost,
  targets: readonly PackageTarget[],
  installed: ReadonlyMap<string, string>,
): Promise<ReleaseNotes | undefined> {
  const { manager, executor } = host;
  // A dry run answers every command with nothing: "no entries" would be a fact it never learned.
  if (!manager.targetChangelog || manager.name !== 'apt' || executor.kind === 'dry-run') return undefined;
  const notes: ReleaseNotes = {};
  for (const target of targets) {
    try {
      const result = await executor.run(manager.targetChangelog(target), { timeoutMs: FETCH_TIMEOUT_MS });
      if (result.code !== 0) {
        notes[target.name] = { error: `exit ${result.code}: ${lastLine(result.stderr)}` };
        continue;
      }
      if (result.stdout.length > MAX_CHANGELOG_CHARS) {
        notes[target.name] = { error: `the changelog is larger than ${MAX_CHANGELOG_CHARS} characters` };
        continue;
      }
      notes[target.name] = summarizeNotes(result.stdout, installed.get(target.name), target.version);
    } catch (error) {
      notes[target.name] = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  return notes;
}

/** The Debian changelog text between `installed` (exclusive) and `target` (inclusive), summarized. */
export function summarizeNotes(
  text: string,
  installed: string | undefined,
  target: string,
): ReleaseNotesSummary {
  const summary = summarizeDebianChangelog(text, installed, target);
  const newest = summary.entries[0];
  const firstLine = newest?.text
    .split('\n')
    .map((line) => line.trim().replace(/^[*-]\s*/, ''))
    .find((line) => line.length > 0);
  return {
    ...(summary.maxUrgency ? { maxUrgency: summary.maxUrgency } : {}),
    cves: summary.cves,
    upstreamChanged: summary.upstreamChanged,
    backport: summary.backport,
    entries: summary.entries.length,
    mentionsRegression: summary.entries.some((entry) => /\bregression/i.test(entry.text)),
    ...(firstLine ? { firstLine: firstLine.slice(0, 200) } : {}),
  };
}

/** One line per package for the step's output: `pcdemo 1.0-2: urgency high, CVE-2026-0001`. */
export function describeReleaseNotes(notes: ReleaseNotes, targets: readonly PackageTarget[]): string {
  return targets
    .map((target) => {
      const note = notes[target.name];
      if (!note) return `release notes ${target.name} ${target.version}: none`;
      if ('error' in note)
        return `release notes ${target.name} ${target.version}: not fetched (${note.error})`;
      return `release notes ${target.name} ${target.version}: ${describeSummary(note)}`;
    })
    .join('\n');
}

export function describeSummary(note: ReleaseNotesSummary): string {
  const parts = [
    `${note.entries} entr${note.entries === 1 ? 'y' : 'ies'}`,
    `urgency ${note.maxUrgency ?? 'unknown'}`,
    note.cves.length > 0 ? note.cves.join(' ') : 'no CVE named',
    note.upstreamChanged ? 'new upstream version' : 'same upstream version',
    ...(note.backport ? ['stable/security update'] : []),
    ...(note.mentionsRegression ? ['mentions a regression'] : []),
  ];
  return `${parts.join(', ')}${note.firstLine ? ` — "${note.firstLine}"` : ''}`;
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
