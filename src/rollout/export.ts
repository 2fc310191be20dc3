import { Scalar, stringify } from 'yaml';
import { PatchcastError } from '../core/errors.js';
import type { JobSpec, PackageManager, PackageManagerName, PackageTarget, Probe } from './contract.js';
import { quoteArgv, quoteForShell } from './executors/shell-quote.js';
import { getPackageManager } from './package-managers/index.js';

export interface PlaybookOptions {
  /** Hosts changed at once (Ansible `serial`). */
  concurrency: number;
  /** Failed jobs tolerated (ROLLOUT.md invariant 4); see `maxFailPercentage`. */
  errorBudget: number;
}

/**
 * Ansible renders `{{ … }}` in every string it is given. Hooks, URLs and probe commands come from
 * users, so each is tagged `!unsafe`, which makes Ansible take it literally.
 */
function literal(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.tag = '!unsafe';
  return scalar;
}

/**
 * Ansible's `max_fail_percentage` is checked per `serial` batch, so the wave's budget E becomes "more
 * than E failures in one batch of C stops the play". That is looser than patchcast's own budget, which
 * counts failures across the whole wave; an exported playbook says so in its header.
 */
export function maxFailPercentage(options: PlaybookOptions): number {
  if (options.concurrency <= 0) return 0;
  return Math.min(100, Math.floor((100 * options.errorBudget) / options.concurrency));
}

const MODULES: Record<PackageManagerName, string> = {
  apt: 'ansible.builtin.apt',
  dnf: 'ansible.builtin.dnf',
  apk: 'community.general.apk',
};

function packageArgs(manager: PackageManagerName, targets: readonly PackageTarget[]): string[] {
  const sep = manager === 'dnf' ? '-' : '=';
  return targets.map((t) => `${t.name}${sep}${t.version}`);
}

function commandTask(name: string, argv: readonly string[]): Record<string, unknown> {
  return { name, 'ansible.builtin.command': { argv: argv.map(literal) } };
}

function probeTask(probe: Probe, index: number): Record<string, unknown> {
  const name = `probe ${probe.name ?? index + 1}`;
  const seconds = Math.max(1, Math.ceil((probe.timeoutMs ?? 10_000) / 1000));
  if (probe.kind === 'command') return { ...commandTask(name, probe.argv), changed_when: false };
  if (probe.kind === 'tcp') {
    return {
      name,
      'ansible.builtin.wait_for': { host: literal(probe.host), port: probe.port, timeout: seconds },
    };
  }
  const uri: Record<string, unknown> = {
    url: literal(probe.url),
    status_code: probe.status ?? 200,
    timeout: seconds,
  };
  if (probe.bodyIncludes === undefined) return { name, 'ansible.builtin.uri': uri };
  // The expected text is compared as a variable, never written into the Jinja expression itself.
  return {
    name,
    'ansible.builtin.uri': { ...uri, return_content: true },
    vars: { patchcast_expected: literal(probe.bodyIncludes) },
    register: 'patchcast_probe',
    failed_when: 'patchcast_probe.failed or patchcast_expected not in patchcast_probe.content',
  };
}

function rebootTasks(reboot: JobSpec['reboot']): Record<string, unknown>[] {
  if (reboot === 'never') return [];
  if (reboot === 'always') return [{ name: 'reboot', 'ansible.builtin.reboot': {} }];
  return [
    {
      name: 'is a reboot required',
      'ansible.builtin.stat': { path: '/run/reboot-required' },
      register: 'patchcast_reboot',
    },
    { name: 'reboot when required', 'ansible.builtin.reboot': {}, when: 'patchcast_reboot.stat.exists' },
  ];
}

function jobTasks(spec: JobSpec): Record<string, unknown>[] {
  const manager = getPackageManager(spec.manager);
  const install: Record<string, unknown> = {
    name: packageArgs(spec.manager, spec.targets),
    state: 'present',
    update_cache: spec.refresh,
  };
  if (spec.manager !== 'apk') install.allow_downgrade = spec.allow.downgrades;
  return [
    {
      name: 'record the installed versions (the rollback target)',
      'ansible.builtin.command': {
        argv: manager.queryInstalled(spec.targets.map((t) => t.name)).map(literal),
      },
      register: 'patchcast_previous',
      changed_when: false,
      // dpkg-query and rpm exit non-zero for a package that is not installed, which is an answer here.
      failed_when: false,
    },
    ...spec.hooks.pre.map((argv, i) => commandTask(`pre-hook ${i + 1}`, argv)),
    { name: 'install the exact versions', [MODULES[spec.manager]]: install },
    ...rebootTasks(spec.reboot),
    ...spec.probes.map(probeTask),
    ...spec.hooks.post.map((argv, i) => commandTask(`post-hook ${i + 1}`, argv)),
  ];
}

/** Inventory names only: a pattern character or a template here would widen the play's hosts. */
function checkHost(host: string): string {
  // `:` and `,` join patterns, `*`, `[]`, `!`, `&`, `~` widen or negate them, and `all` is every host.
  if (/^[A-Za-z0-9_][A-Za-z0-9_.@-]*$/.test(host) && host !== 'all' && host !== 'ungrouped') return host;
  throw new PatchcastError('INPUT_INVALID', `host ${JSON.stringify(host)} is not an Ansible inventory name`, {
    hint: 'Map the asset to its inventory hostname (letters, digits, . _ - @).',
  });
}

/** The part of a spec that decides its tasks; hosts whose jobs agree on it share a play. */
function playKey(spec: JobSpec): string {
  const { jobId: _job, assetId: _asset, ...body } = spec;
  return JSON.stringify(body);
}

/**
 * The jobs as an Ansible playbook: hosts whose jobs are alike share one play (`serial` and
 * `max_fail_percentage` apply per play). Package versions are exact; the preflight and rehearsal of a
 * patchcast rollout are not part of it.
 */
export function exportAnsiblePlaybook(
  specs: readonly JobSpec[],
  hostOf: (assetId: string) => string,
  options: PlaybookOptions,
): string {
  const groups = new Map<string, JobSpec[]>();
  for (const spec of specs) groups.set(playKey(spec), [...(groups.get(playKey(spec)) ?? []), spec]);
  const plays = [...groups.values()].map((group) => ({
    name: `patchcast jobs ${group.map((s) => s.jobId).join(', ')}`,
    hosts: group.map((s) => checkHost(hostOf(s.assetId))),
    become: true,
    gather_facts: false,
    serial: Math.max(1, options.concurrency),
    max_fail_percentage: maxFailPercentage(options),
    tasks: jobTasks(group[0]!),
  }));
  const header =
    "# Exported by patchcast. max_fail_percentage is per serial batch, looser than patchcast's wave budget.\n";
  return header + stringify(plays, { lineWidth: 0 });
}

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
  return `if grep -Eq ${quoteForShell(pattern)} "$simulation"; then echo ${quoteForShell(`blocked: the simulation ${what}`)} >&2; exit 1; fi`;
}

function probeLine(probe: Probe, index: number): string {
  const seconds = String(Math.max(1, Math.ceil((probe.timeoutMs ?? 10_000) / 1000)));
  const failed = `echo ${quoteForShell(`probe ${probe.name ?? index + 1} failed`)} >&2; exit 1`;
  if (probe.kind === 'command') return `${quoteArgv(probe.argv)} || { ${failed}; }`;
  if (probe.kind === 'tcp') {
    return `${quoteArgv(['nc', '-z', '-w', seconds, probe.host, String(probe.port)])} || { ${failed}; }`;
  }
  // The status code goes on a line of its own after the body, so digits ending the body cannot join it.
  const curl = ['curl', '-sS', '-o', '-', '-w', '\\n%{http_code}', '--max-time', seconds, probe.url];
  const status = quoteForShell(String(probe.status ?? 200));
  const body =
    probe.bodyIncludes === undefined
      ? ''
      : ` && printf '%s' "$out" | grep -Fq -- ${quoteForShell(probe.bodyIncludes)}`;
  // `set -e` ignores a failure inside an && list, so the probe's outcome is tested explicitly.
  return `if ! { out=$(${quoteArgv(curl)}) && [ "\${out##*[!0-9]}" = ${status} ]${body}; }; then ${failed}; fi`;
}

/** `dnf --assumeno` answers no and exits 1 with "Operation aborted.": for the simulation, that is success. */
function simulationLine(manager: PackageManager, spec: JobSpec): string {
  const run = `${quoteArgv(manager.simulate(spec.targets))} > "$simulation" 2>&1`;
  const aborted = manager.name === 'dnf' ? ` || grep -q 'Operation aborted' "$simulation"` : '';
  return `${run}${aborted} || { cat "$simulation" >&2; exit 1; }`;
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
    `previous=${quoteForShell(`/var/tmp/patchcast-${spec.jobId.replace(/[^\w.-]/g, '_')}.previous`)}`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    'if [ -n "${PATCHCAST_PREVIOUS_FILE:-}" ]; then previous=$PATCHCAST_PREVIOUS_FILE; fi',
    'simulation=$(mktemp)',
    'trap \'rm -f "$simulation"\' EXIT',
    '',
    '# The installed versions first: they are what a rollback goes back to. A package that is not',
    '# installed makes the query exit non-zero, which is expected here.',
    `${quoteArgv(manager.queryInstalled(names))} > "$previous" || true`,
    ...(refresh ? [quoteArgv(refresh)] : []),
    '',
    '# The package manager resolves the change without making it; stop on what the job does not allow.',
    simulationLine(manager, spec),
    ...(spec.allow.removals ? [] : [guard(checks.removals, 'removes packages')]),
    ...(spec.allow.downgrades ? [] : [guard(checks.downgrades, 'downgrades packages')]),
    ...(spec.allow.held || !checks.held ? [] : [guard(checks.held, 'changes held packages')]),
    '',
    ...spec.hooks.pre.map(quoteArgv),
    quoteArgv(
      manager.install(spec.targets, { allowDowngrades: spec.allow.downgrades, allowHeld: spec.allow.held }),
    ),
    ...spec.probes.map((probe, i) => probeLine(probe, i)),
    ...spec.hooks.post.map(quoteArgv),
    ...rebootLines(spec.reboot),
  ];
  return `${lines.join('\n')}\n`;
}

function rebootLines(reboot: JobSpec['reboot']): string[] {
  if (reboot === 'never') return [];
  if (reboot === 'always') return ['reboot'];
  return ['if [ -e /run/reboot-required ]; then reboot; fi'];
}
