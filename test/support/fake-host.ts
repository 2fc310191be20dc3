import type {
  CommandResult,
  Executor,
  PackageManager,
  PackageTarget,
  Simulation,
  StepReport,
  StepSink,
} from '../../src/rollout/contract.js';

/**
 * A scripted host for the runner's unit tests: a package database in a Map, a package manager whose
 * argv the host understands, and hooks for what may go wrong (an install that half-applies and fails,
 * a failing hook or probe, a reboot request). It records every argv it was asked to run.
 */
export class FakeHost implements Executor {
  readonly kind = 'local' as const;
  readonly installed: Map<string, string>;
  readonly calls: string[][] = [];
  readonly files = new Map<string, string>([['/proc/1/comm', 'init\n']]);
  /** `name=version` whose install fails (when it changes the package), leaving it half-configured. */
  failingInstalls = new Set<string>();
  /** Packages a failed install left unpacked but not configured: the query does not count them as installed. */
  readonly halfConfigured = new Set<string>();
  /** Makes every rollback install fail too. */
  failRollback = false;
  /** Simulation changes beyond the targets (`{ name, action, from, to }`). */
  extraChanges: Simulation['changes'] = [];
  /** Commands (joined by spaces) that exit 1. */
  failing = new Set<string>();
  /** Answer for `rehearse …` (see fakeRehearse). */
  rehearsalCode = 0;
  /** Canned answers, tried first: the first whose `match` accepts the argv answers it. */
  scripted: { match: (argv: readonly string[]) => boolean; result: CommandResult }[] = [];
  /** Fails the next run with a rejection, as an executor does when the host cannot be reached. */
  unreachable = false;

  constructor(installed: Record<string, string>) {
    this.installed = new Map(Object.entries(installed));
  }

  async run(argv: readonly string[]): Promise<CommandResult> {
    if (this.unreachable) throw new Error('connect ECONNREFUSED 127.0.0.1:22');
    this.calls.push([...argv]);
    const [program, verb, ...rest] = argv;
    if (this.failing.has(argv.join(' '))) return fail(`${argv.join(' ')} failed`);
    const canned = this.scripted.find((entry) => entry.match(argv));
    if (canned) return canned.result;
    if (program === 'rehearse') return { code: this.rehearsalCode, stdout: 'rehearsed\n', stderr: '' };
    if (program !== 'pm') return ok('');
    if (verb === 'query') {
      return ok(
        rest
          .flatMap((name) => {
            if (!this.installed.has(name)) return [];
            const state = this.halfConfigured.has(name) ? ' half-configured' : '';
            return [`${name} ${this.installed.get(name)}${state}`];
          })
          .join('\n'),
      );
    }
    if (verb === 'simulate') return ok(JSON.stringify(this.simulate(rest.map(parseTarget))));
    if (verb === 'install')
      return this.install(
        rest.filter((arg) => arg !== '--downgrades').map(parseTarget),
        rest.includes('--downgrades'),
      );
    if (verb === 'remove') {
      for (const name of rest) {
        this.installed.delete(name);
        this.halfConfigured.delete(name);
      }
      return ok('removed');
    }
    return ok('');
  }

  async readFile(path: string): Promise<string | undefined> {
    return this.files.get(path);
  }

  async close(): Promise<void> {}

  /** The argv the host ran that change packages (install/remove), outside any rehearsal. */
  changes(): string[][] {
    return this.calls.filter(
      ([program, verb]) => program === 'pm' && (verb === 'install' || verb === 'remove'),
    );
  }

  private simulate(targets: PackageTarget[]): Simulation {
    const changes: Simulation['changes'] = targets.map((target) => ({
      name: target.name,
      action: this.installed.has(target.name) ? 'upgrade' : 'install',
      ...(this.installed.has(target.name) ? { from: this.installed.get(target.name)! } : {}),
      to: target.version,
    }));
    return { ok: true, changes: [...changes, ...this.extraChanges], held: [], errors: [] };
  }

  private install(targets: PackageTarget[], downgrades: boolean): CommandResult {
    if (downgrades && this.failRollback) return fail('E: rollback version not found');
    for (const target of targets) {
      // As apt: a package already at the asked version is left alone (so it cannot fail).
      const unchanged =
        this.installed.get(target.name) === target.version && !this.halfConfigured.has(target.name);
      this.installed.set(target.name, target.version);
      this.halfConfigured.delete(target.name);
      if (!unchanged && this.failingInstalls.has(`${target.name}=${target.version}`)) {
        this.halfConfigured.add(target.name);
        return fail(`dpkg: error processing package ${target.name} (--configure)`);
      }
    }
    if (!downgrades)
      for (const change of this.extraChanges) if (change.to) this.installed.set(change.name, change.to);
    return ok('Setting up …');
  }
}

/** The package manager the FakeHost speaks: `pm query|simulate|install|remove …`. */
export const fakeManager: PackageManager & {
  remove(names: readonly string[]): string[];
  parseUnsettled(stdout: string): string[];
} = {
  name: 'apt',
  refresh: () => ['pm', 'refresh'],
  queryInstalled: (names) => ['pm', 'query', ...names],
  parseInstalled(stdout) {
    const map = new Map<string, string>();
    for (const line of stdout.split('\n')) {
      const [name, version, state] = line.split(' ');
      if (name && version && !state) map.set(name, version);
    }
    return map;
  },
  simulate: (targets) => ['pm', 'simulate', ...targets.map((t) => `${t.name}=${t.version}`)],
  parseSimulation: (result) => JSON.parse(result.stdout) as Simulation,
  install: (targets, options) => [
    'pm',
    'install',
    ...(options?.allowDowngrades ? ['--downgrades'] : []),
    ...targets.map((t) => `${t.name}=${t.version}`),
  ],
  remove: (names) => ['pm', 'remove', ...names],
  parseUnsettled: (stdout) =>
    stdout.split('\n').flatMap((line) => (line.endsWith(' half-configured') ? [line.split(' ')[0]!] : [])),
};

/** A rehearsal wrapper the FakeHost recognises, keeping the commands it was given visible. */
export function fakeRehearse(argvList: string[][]): string[] {
  return ['rehearse', ...argvList.map((argv) => argv.join(' '))];
}

/** A sink that keeps every report and refuses the one for `refuseAt` (a lost lease). */
export class RecordingSink implements StepSink {
  readonly reports: StepReport[] = [];
  constructor(private readonly refuseAt?: StepReport['step']) {}

  async report(report: StepReport): Promise<boolean> {
    this.reports.push(report);
    return report.step !== this.refuseAt;
  }

  steps(): string[] {
    return this.reports.map((r) => `${r.step}:${r.outcome}`);
  }
}

function parseTarget(arg: string): PackageTarget {
  const [name = '', version = ''] = arg.split('=');
  return { name, version };
}

function ok(stdout: string): CommandResult {
  return { code: 0, stdout, stderr: '' };
}

function fail(stderr: string): CommandResult {
  return { code: 1, stdout: '', stderr };
}
