/**
 * After a drill: every host's package database and dpkg log against what the store says happened.
 * The judgement is pure (`judgeHost`), so its rules have tests of their own.
 */
import type { JobRow } from './store-probe.js';

export interface HostFacts {
  hostname: string;
  pkg: string;
  base: string;
  target: string;
  /** What the job should end as when nothing goes wrong (the broken version must be rolled back). */
  expected: 'succeeded' | 'rolled-back';
  /** The installed version now (undefined: absent or not fully installed). */
  installed: string | undefined;
  /** dpkg.log lines since the host was made. */
  dpkgLog: string[];
  job: JobRow | undefined;
  events: Array<{ kind: string; data: Record<string, unknown> }>;
}

export interface HostVerdict {
  hostname: string;
  status: string;
  installed: string | null;
  /** How many times the target version was installed on the host. */
  targetInstalls: number;
  patched: boolean;
  rolledBack: boolean;
  doubleApply: boolean;
  lostResult: boolean;
  neither: boolean;
  /** Events written under a token older than a lease already granted: a stale writer won. */
  staleWrites: number;
  /** Leases after the first: the job was taken over (a killed or expired holder). */
  takeovers: number;
  unexpected: boolean;
  why: string[];
  /** For a host that fails a check: the job's events (kind, outcome, reason) and its last error. */
  trail?: string[];
}

const ENDED = new Set(['succeeded', 'failed', 'rolled-back']);

export function judgeHost(facts: HostFacts): HostVerdict {
  const why: string[] = [];
  const status = facts.job?.status ?? 'missing';
  const atTarget = facts.installed === facts.target;
  const atBase = facts.installed === facts.base;
  const targetInstalls = countInstalls(facts.dpkgLog, facts.pkg, facts.target);
  const changed = targetInstalls > 0 || !atBase;
  let lostResult = false;
  if (!ENDED.has(status)) {
    if (changed) {
      lostResult = true;
      why.push(`job ${status} but the host changed (now ${facts.installed ?? 'absent'})`);
    }
  } else if (status === 'succeeded' ? !atTarget : !atBase) {
    lostResult = true;
    why.push(`job ${status} but the host is at ${facts.installed ?? 'absent'}`);
  }
  if (targetInstalls > 1) why.push(`target ${facts.target} installed ${targetInstalls} times`);
  const neither = !atTarget && !atBase;
  if (neither) why.push(`host at ${facts.installed ?? 'absent'}: neither target nor previous`);
  const staleWrites = countStaleWrites(facts.events);
  if (staleWrites > 0) why.push(`${staleWrites} event(s) under a superseded token`);
  return {
    hostname: facts.hostname,
    status,
    installed: facts.installed ?? null,
    targetInstalls,
    patched: status === 'succeeded' && atTarget,
    rolledBack: status === 'rolled-back' && atBase,
    doubleApply: targetInstalls > 1,
    lostResult,
    neither,
    staleWrites,
    takeovers: Math.max(0, facts.events.filter((e) => e.kind === 'lease').length - 1),
    unexpected: status !== facts.expected,
    why,
    ...(lostResult || neither || targetInstalls > 1 || staleWrites > 0 || status !== facts.expected
      ? { trail: getTrail(facts) }
      : {}),
  };
}

/** dpkg logs one `install` or `upgrade` action line per unpack of a version ("… upgrade pcdemo:all 1.0-1 1.0-4"). */
export function countInstalls(lines: readonly string[], pkg: string, version: string): number {
  return lines.filter((line) => {
    const fields = line.split(' ');
    const [action, name, , to] = fields.slice(2);
    return (action === 'install' || action === 'upgrade') && name?.split(':')[0] === pkg && to === version;
  }).length;
}

/** Events carry the token they were written under; after a `lease` with token t, none may carry less. */
export function countStaleWrites(
  events: ReadonlyArray<{ kind: string; data: Record<string, unknown> }>,
): number {
  let current = 0;
  let stale = 0;
  for (const event of events) {
    const token = Number(event.data.token);
    if (!Number.isFinite(token)) continue;
    if (event.kind === 'lease') current = Math.max(current, token);
    else if (token < current) stale++;
  }
  return stale;
}

function getTrail(facts: HostFacts): string[] {
  const lines = facts.events.map((e) => {
    const data = e.data as {
      token?: unknown;
      outcome?: unknown;
      data?: { reason?: unknown };
      status?: unknown;
    };
    const reason = typeof data.data?.reason === 'string' ? ` ${data.data.reason.slice(0, 200)}` : '';
    return `${e.kind} #${String(data.token ?? '?')} ${String(data.outcome ?? data.status ?? '')}${reason}`;
  });
  return [...lines, `last error: ${facts.job?.lastError ?? 'none'}`];
}
