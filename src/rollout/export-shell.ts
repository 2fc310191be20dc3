import type { JobSpec, PackageManagerName, Probe } from './contract.js';
import { getPackageManager } from './package-managers/index.js';
import { quoteShellArg, quoteShellCommand } from './shell-quote.js';

// What in a simulation's output means a removal, a downgrade or a held package, per manager. The
// script cannot parse as the drivers do, so it greps for the lines the drivers read (see their readme).
const SIMULATION_CHECKS: Record<PackageManagerName, { removals: string; downgrades: string; held?: string }> =
  {
    apt: {
      removals: '^(Remv|Purg) ',
      downgrades: ' [1-9][0-9]* downgraded,',
      held: '^The following held packages will be changed:',
    },
    dnf: { removals: '^Removing', downgrades: '^Downgrading' },
    apk: { removals: '^\\([0-9]+/[0-9]+\\) Purging ', downgrades: '^\\([0-9]+/[0-9]+\\) Downgrading ' },
  };

function guard(pattern: string, what: string): string {
  return `if grep -Eq ${quoteShellArg(pattern)} "$simulation"; then echo ${quoteShellArg(`blocked: the simulation ${what}`)} >&2; exit 1; fi`;
}

function probeLine(probe: Probe): string {
  const seconds = String(Math.max(1, Math.ceil((probe.timeoutMs ?? 10_000) / 1000)));
  if (probe.kind === 'command') return quoteShellCommand(probe.argv);
  if (probe.kind === 'tcp')
    return quoteShellCommand(['nc', '-z', '-w', seconds, probe.host, String(probe.port)]);
  const curl = ['curl', '-sS', '-o', '-', '-w', '%{http_code}', '--max-time', seconds, probe.url];
  const status = String(probe.status ?? 200);
  const body =
    probe.bodyIncludes === undefined
      ? ''
      : ` && printf '%s' "$out" | grep -Fq -- ${quoteShellArg(probe.bodyIncludes)}`;
  return `out=$(${quoteShellCommand(curl)}) && [ "\${out##*[!0-9]}" = ${quoteShellArg(status)} ]${body}`;
}

/**
 * One job as a POSIX sh script, for a host patchcast cannot reach: record the installed versions,
 * simulate and refuse what the job does not allow, run the hooks, install, probe, and reboot last (a
 * script cannot resume after its own reboot, so probes run before it). Every argument is single-quoted.
 */
export function exportShellScript(spec: JobSpec): string {
  const manager = getPackageManager(spec.manager);
  const checks = SIMULATION_CHECKS[spec.manager];
  const names = spec.targets.map((t) => t.name);
  const refresh = spec.refresh ? manager.refresh() : undefined;
  const lines = [
    '#!/bin/sh',
    `# patchcast job ${spec.jobId.replace(/[^\w.:-]/g, '_')}: exact versions, exported from patchcast.`,
    'set -eu',
    'DEBIAN_FRONTEND=noninteractive',
    'export DEBIAN_FRONTEND',
    `previous=${quoteShellArg(`/var/tmp/patchcast-${spec.jobId.replace(/[^\w.-]/g, '_')}.previous`)}`,
    'if [ -n "${PATCHCAST_PREVIOUS_FILE:-}" ]; then previous=$PATCHCAST_PREVIOUS_FILE; fi',
    'simulation=$(mktemp)',
    'trap \'rm -f "$simulation"\' EXIT',
    '',
    '# The installed versions first: they are what a rollback goes back to. A package that is not',
    '# installed makes the query exit non-zero, which is expected here.',
    `${quoteShellCommand(manager.queryInstalled(names))} > "$previous" || true`,
    ...(refresh ? [quoteShellCommand(refresh)] : []),
    '',
    '# The package manager resolves the change without making it; stop on what the job does not allow.',
    `${quoteShellCommand(manager.simulate(spec.targets))} > "$simulation" 2>&1 || { cat "$simulation" >&2; exit 1; }`,
    ...(spec.allow.removals ? [] : [guard(checks.removals, 'removes packages')]),
    ...(spec.allow.downgrades ? [] : [guard(checks.downgrades, 'downgrades packages')]),
    ...(spec.allow.held || !checks.held ? [] : [guard(checks.held, 'changes held packages')]),
    '',
    ...spec.hooks.pre.map(quoteShellCommand),
    quoteShellCommand(manager.install(spec.targets, { allowDowngrades: spec.allow.downgrades })),
    ...spec.probes.map(probeLine),
    ...spec.hooks.post.map(quoteShellCommand),
    ...rebootLines(spec.reboot),
  ];
  return `${lines.join('\n')}\n`;
}

function rebootLines(reboot: JobSpec['reboot']): string[] {
  if (reboot === 'never') return [];
  if (reboot === 'always') return ['reboot'];
  return ['if [ -e /run/reboot-required ]; then reboot; fi'];
}
