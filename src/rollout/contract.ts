/**
 * The rollout's contracts: what a host is asked to do (a job's spec), how a command reaches the host
 * (an executor), how a package manager is driven (argv builders and output parsers), and what each
 * step reports. The controller, the SSH/local executors and the agent all speak these types; see
 * readme.md for the steps and the invariants they keep (../shared/ROLLOUT.md).
 */

/** A command's outcome on a host. Output is kept whole here; reports carry an excerpt. */
export interface CommandResult {
  /** Exit code; 124 when the command timed out, 127 when it was not found. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Kill the command after this long (default 10 min). */
  timeoutMs?: number;
  /** Extra environment (merged over a minimal one: PATH, LANG=C, DEBIAN_FRONTEND=noninteractive). */
  env?: Readonly<Record<string, string>>;
  /** Text written to the command's standard input. */
  input?: string;
}

/**
 * How commands reach one host. `argv[0]` is the program; nothing is ever passed through a shell
 * (the SSH executor quotes each argument for the remote shell, which is the only shell involved).
 */
export interface Executor {
  readonly kind: 'local' | 'ssh' | 'agent' | 'dry-run';
  /** Runs `argv` on the host as root (sudo where configured) and resolves with its outcome; rejects only when the host cannot be reached. */
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** A file's text on the host, or undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** One package at one exact version. */
export interface PackageTarget {
  name: string;
  version: string;
}

export type ChangeAction = 'install' | 'upgrade' | 'downgrade' | 'remove' | 'reinstall';

/** One change a package manager would make (or made). */
export interface PackageChange {
  name: string;
  action: ChangeAction;
  /** The installed version before (absent for a new install). */
  from?: string;
  /** The version after (absent for a removal). */
  to?: string;
}

/** What the package manager's own simulation says the install would do. */
export interface Simulation {
  /** The simulation ran and resolved (exit code 0 and no resolver error). */
  ok: boolean;
  changes: PackageChange[];
  /** Packages held back (apt-mark hold / versionlock) that the install would need to change. */
  held: string[];
  /** Resolver errors and conflicts, as the package manager words them. */
  errors: string[];
}

/** Why a preflight blocks a job; the job's `allow` lifts removals and downgrades. */
export interface PreflightVerdict {
  ok: boolean;
  /** One line each: "removes libfoo1 1.2-3", "holds openssl", "conflict: …", "openssl=3.0.15-1 not found". */
  blockers: string[];
  simulation: Simulation;
}

export type PackageManagerName = 'apt' | 'dnf' | 'apk';

/**
 * A package manager as argv builders and parsers of its output. Pure: it runs nothing itself, so the
 * same driver serves the local, SSH and agent executors and the exported Ansible playbook.
 */
export interface PackageManager {
  readonly name: PackageManagerName;
  /** Refresh the package lists (`apt-get update`), or undefined when the manager needs none. */
  refresh(): string[] | undefined;
  /** Query the installed versions of these packages (`dpkg-query -W -f=…`). */
  queryInstalled(names: readonly string[]): string[];
  /** Parse that query's stdout: name → installed version; a package not installed is absent. */
  parseInstalled(stdout: string): Map<string, string>;
  /** Simulate installing exactly these versions (`apt-get -s install pkg=ver …`). */
  simulate(targets: readonly PackageTarget[]): string[];
  parseSimulation(result: CommandResult): Simulation;
  /**
   * Install exactly these versions, non-interactively; `allowDowngrades` for a rollback, `allowHeld`
   * when the job allows changing held packages (apt refuses them under `-y` otherwise).
   */
  install(
    targets: readonly PackageTarget[],
    options?: { allowDowngrades?: boolean; allowHeld?: boolean },
  ): string[];
  /** The changelog between two versions, when the manager can show it (`apt-get changelog`). */
  changelog?(name: string): string[];
  /**
   * Prints the changelog the target version ships, read from its package file without installing
   * it (the release notes the preflight reports), when the manager can.
   */
  targetChangelog?(target: PackageTarget): string[];
}

export type StepName =
  | 'preflight'
  | 'rehearsal'
  | 'pre-hooks'
  | 'apply'
  | 'restart'
  | 'verify'
  | 'post-hooks'
  | 'rollback';

export type StepOutcome = 'ok' | 'skipped' | 'failed';

/** A health probe after the change (and inside a rehearsal, for command probes). */
export type Probe =
  | { kind: 'http'; name?: string; url: string; status?: number; bodyIncludes?: string; timeoutMs?: number }
  | { kind: 'tcp'; name?: string; host: string; port: number; timeoutMs?: number }
  | { kind: 'command'; name?: string; argv: string[]; timeoutMs?: number };

export interface ProbeResult {
  probe: string;
  ok: boolean;
  detail: string;
}

/** What a job asks of its host, resolved from the plan, the config and the asset. */
export interface JobSpec {
  jobId: string;
  assetId: string;
  manager: PackageManagerName;
  /** Exactly these versions, never a blanket upgrade. */
  targets: PackageTarget[];
  allow: { removals: boolean; downgrades: boolean; held: boolean };
  /** Rehearse in a throw-away overlay of the host's root before the real change. */
  rehearsal: boolean;
  hooks: { pre: string[][]; post: string[][] };
  probes: Probe[];
  /** `if-required`: reboot when /run/reboot-required exists; services using replaced libraries are restarted. */
  reboot: 'never' | 'if-required' | 'always';
  restartServices: boolean;
  /** Refresh the package lists before the preflight. */
  refresh: boolean;
}

/** One step's record: what the store keeps and `rollout status` shows. */
export interface StepReport {
  step: StepName;
  outcome: StepOutcome;
  startedAt: string;
  endedAt: string;
  /** At most 4 KiB of the step's output (head and tail). */
  excerpt: string;
  /** Step facts: the simulation's changes, recorded previous versions, probe results, … */
  data?: Record<string, unknown>;
}

/** How a job ended on the host. */
export type JobOutcome = 'succeeded' | 'failed' | 'rolled-back';

/**
 * Where a runner sends each step as it ends. Resolves false when the store refused it (the lease was
 * lost or the token is stale): the runner must then stop touching the host.
 */
export interface StepSink {
  report(report: StepReport): Promise<boolean>;
}

/** What a holder of a leased job learns with the lease (the API's `LeasedJob`). */
export interface LeasedJob {
  job: { id: string; assetId: string; attempts: number; payload?: Record<string, unknown> };
  /** The fencing token every report must carry. */
  token: number;
  spec: JobSpec;
  /**
   * After a crash: the versions recorded before apply, the last step the store accepted and its
   * outcome, and whether the job was rolling back (a step after apply had failed).
   */
  resume: {
    previous?: Array<{ name: string; version: string | null }>;
    lastStep?: string;
    lastOutcome?: StepOutcome;
    rollingBack?: boolean;
  };
  leaseExpiresAt: string;
}

/**
 * How a job holder talks to the store: directly through the services (a controller's worker) or over
 * the API (an agent). Every call carries the lease's token; each rejects with ROLLOUT_LEASE_STALE
 * (a PatchcastError) when the lease is no longer the holder's.
 */
export interface JobChannel {
  heartbeat(): Promise<void>;
  /** Records the versions found before apply; must resolve before the install starts. */
  beginApply(previous: Array<{ name: string; version: string | null }>): Promise<void>;
  report(report: StepReport): Promise<void>;
  end(outcome: JobOutcome, detail: { lastError?: string; transient?: boolean }): Promise<void>;
}
