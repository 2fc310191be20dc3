import { z } from 'zod';

/**
 * The shape of `patchcast.yaml` (step 1 of 3: parse). Objects are strict: an unknown key is an error
 * that names it, because a misspelt key silently ignored is a policy silently not applied.
 * Sections that nothing reads yet (integrations) are not in the schema: they
 * are rejected with a message saying so (planned.ts), not accepted and silently ignored.
 */

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'expected an id of lowercase letters, digits, . _ -');
/** A count (`3`) or a share (`25%`). */
const countOrPercent = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d+(\.\d+)?%$/, 'expected a count such as 2 or a share such as 25%'),
]);
/** `90s`, `30m`, `4h`, `2d`, `1w`, or combinations such as `1h30m`. */
export const durationText = z
  .string()
  .regex(/^(\d+[smhdw])+$/, 'expected a duration such as 30m, 4h, 2d or 1h30m');
const isoDate = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/,
    'expected a date YYYY-MM-DD or an ISO timestamp',
  );
const severity = z.enum(['critical', 'high', 'medium', 'low', 'none']);
const criticality = z.enum(['low', 'medium', 'high', 'critical']);

const storeSection = z.strictObject({
  /** Directory of the embedded SQLite database. PATCHCAST_HOME overrides it. PostgreSQL is chosen by PATCHCAST_DATABASE_URL. */
  home: z.string().min(1).optional(),
});

/** When an SLA rule applies; every given condition must hold. */
const slaMatch = z.strictObject({
  kev: z.boolean().optional(),
  ransomware: z.boolean().optional(),
  internetExposed: z.boolean().optional(),
  automatable: z.boolean().optional(),
  technicalImpact: z.enum(['partial', 'total']).optional(),
  severity: z.array(severity).min(1).optional(),
  criticality: z.array(criticality).min(1).optional(),
  environment: z.array(z.string().min(1)).min(1).optional(),
  tags: z.array(z.string().min(1)).min(1).optional(),
  /** The CISA BOD 26-04 remediation timeline (Table 1) the finding falls in. */
  bodTimeline: z
    .array(z.enum(['3-days-forensic', '3-days', '14-days', '60-days', 'next-upgrade']))
    .min(1)
    .optional(),
});

const slaRule = z.strictObject({
  id,
  description: z.string().optional(),
  when: slaMatch.default({}),
  /**
   * Days to remediate from first detection; `kev-due-date` (CISA's KEV due date); `bod-26-04` (the
   * directive's Table 1 timeline: 3 days, 14, 60, or next upgrade); `pci-dss-6.3.3` (one month from
   * the fix's release); `next-upgrade` (no date).
   */
  due: z.union([
    z.literal('kev-due-date'),
    z.literal('bod-26-04'),
    z.literal('pci-dss-6.3.3'),
    z.literal('next-upgrade'),
    z.number().int().min(0).max(3650),
  ]),
  /** Days before the due date at which a finding counts as "due soon". */
  warnDays: z.number().int().min(0).max(365).optional(),
  /**
   * When the clock starts. `first-seen` (the default): when the finding was first seen on this
   * asset (for a KEV listing, not before CISA listed it), so a KEV rule gives CISA's number of days.
   * `kev-listed`: on CISA's listing day for KEV-listed vulnerabilities (a `kev-due-date` rule then
   * uses CISA's due date as is, as BOD 22-01 binds federal agencies); other findings from first seen.
   */
  clockStart: z.enum(['first-seen', 'kev-listed']).optional(),
});

const policiesSection = z.strictObject({
  /** Ordered SLA rules: the first that matches a finding sets its due date. */
  sla: z.array(slaRule).default([]),
  exceptions: z
    .strictObject({
      maxDays: z.number().int().min(1).max(3650).default(90),
      requireApprover: z.boolean().default(true),
      /** Whether an active exception stops the SLA clock or only annotates the finding. */
      pausesSla: z.boolean().default(true),
    })
    .default({ maxDays: 90, requireApprover: true, pausesSla: true }),
});

const windowSection = z.strictObject({
  id,
  /** Asset window groups this window serves. */
  groups: z.array(z.string().min(1)).min(1),
  /** A cron expression (5 fields) giving each window's start… */
  cron: z.string().min(1).optional(),
  /** …or an iCalendar RRULE (e.g. FREQ=WEEKLY;BYDAY=TU;BYHOUR=2). */
  rrule: z.string().min(1).optional(),
  /** Shift each occurrence by N days after Patch Tuesday (second Tuesday of the month). */
  patchTuesdayOffsetDays: z.number().int().min(0).max(27).optional(),
  timezone: z.string().min(1).default('UTC'),
  duration: durationText,
  /** No job may start later than this before the window's end. */
  cutoff: durationText.default('0m'),
  maxConcurrentHosts: z.number().int().min(1).optional(),
});

const freezeSection = z.union([
  z.strictObject({
    id,
    start: isoDate,
    end: isoDate,
    reason: z.string().optional(),
    groups: z.array(z.string()).optional(),
  }),
  z.strictObject({ id, ics: z.string().min(1), groups: z.array(z.string()).optional() }),
]);

const ringSection = z.strictObject({
  id,
  /** Assets in this ring: by tag, environment or explicit ids; a ring with no selector takes the rest. */
  select: z
    .strictObject({
      tags: z.array(z.string().min(1)).optional(),
      environments: z.array(z.string().min(1)).optional(),
      assets: z.array(z.string().min(1)).optional(),
      percent: z.number().min(0).max(100).optional(),
    })
    .optional(),
  /** Minimum time to watch this ring after it finishes before the next ring starts. */
  soak: durationText.default('0m'),
  /** Jobs of this ring running at once during a rollout: a number, or a share of the ring's jobs (`25%`, at least 1). */
  concurrency: countOrPercent.default('25%'),
  /**
   * Failures (failed or rolled-back jobs) the ring tolerates: a number or a share of its jobs. Dispatch
   * stops at failure E+1 and the rollout halts; jobs already running finish.
   */
  errorBudget: countOrPercent.default(0),
  /** `required`: the ring starts only after an approver approves it (production rings). */
  approval: z.enum(['auto', 'required']).default('auto'),
  /** Rehearse each job in a throw-away overlay of the host first; default: on for rings that need approval. */
  rehearsal: z.boolean().optional(),
});

const riskSection = z.strictObject({
  weights: z
    .strictObject({
      exploitProbability: z.number().min(0).default(1),
      kev: z.number().min(0).default(0.3),
      ransomware: z.number().min(0).default(0.1),
      exploitMaturity: z.number().min(0).default(0.2),
      technicalImpact: z.number().min(0).default(0.1),
      criticality: z.number().min(0).default(0.3),
      internetExposure: z.number().min(0).default(0.3),
      dataClassification: z.number().min(0).default(0.1),
      compensatingControls: z.number().min(0).default(0.2),
      drift: z.number().min(0).default(0.05),
      /** A running process maps the package's files (the agent's report): exposure rises (src/risk/readme.md). */
      inUse: z.number().min(0).default(0.15),
    })
    .prefault({}),
});

/** How many members of a service may be down at once: a count or a share (give one). */
const availability = z.strictObject({
  /** At most this many members down in one window occurrence. */
  maxDown: z.number().int().min(1).optional(),
  /** At most this share of the members (rounded down, at least 1). */
  maxDownPercent: z.number().gt(0).max(100).optional(),
});

const planningSection = z.strictObject({
  /** Objective weights, in risk-hours (the objective is Σ risk × hours until patched + these). */
  weights: z
    .strictObject({
      /** Added once per job that finishes after its SLA due date. */
      slaBreach: z.number().min(0).default(50),
      /** Added per job left out of the horizon. */
      unscheduled: z.number().min(0).default(100),
      /** Added per rebooting job in a window opening on a weekday 08:00–18:00 local time. */
      disruption: z.number().min(0).default(1),
    })
    .prefault({}),
  /** How long a job takes: base + per package + reboot, in minutes. */
  jobMinutes: z
    .strictObject({
      base: z.number().min(0).max(1440).default(10),
      perPackage: z.number().min(0).max(1440).default(2),
      reboot: z.number().min(0).max(1440).default(10),
    })
    .prefault({}),
  /** Max concurrent hosts of a window that does not set maxConcurrentHosts. */
  maxConcurrentHosts: z.number().int().min(1).default(25),
  /** Cap on the job-minutes placed in one window occurrence (all lanes together). */
  maxJobMinutesPerOccurrence: z.number().int().min(1).optional(),
  /** Availability: members of a service that may be down at once, by default and per service name. */
  availability: z
    .strictObject({
      default: availability.prefault({ maxDownPercent: 34 }),
      services: z.record(z.string().min(1), availability).default({}),
    })
    .prefault({}),
});

/** The exploit model's continuous learning (src/predict/readme.md, "Continuous learning"). */
const modelSection = z.strictObject({
  /**
   * Directory in the ../shared/data layout the exploit model reads instead of the store, relative to
   * this file. Without it `patchcast sync` retrains (when due) and stores scores from the store.
   */
  data: z.string().min(1).optional(),
  /** After a sync: retrain when this long has passed since the last retrain and enough new labels exist. */
  retrain: z
    .strictObject({
      enabled: z.boolean().default(true),
      every: durationText.default('30d'),
      /** KEV additions after the current model's training day needed before a retrain is worth it. */
      minNewKevEntries: z.number().int().min(0).default(10),
      /** Latest monthly windows (horizon fully elapsed) the challenger and the current model are compared on. */
      windows: z.number().int().min(1).max(12).default(3),
    })
    .prefault({}),
  /** The challenger replaces the current model when pooled AUPRC ≥ current + minAuprcGain and ECE ≤ current + maxEceIncrease. */
  promotion: z
    .strictObject({
      minAuprcGain: z.number().min(0).max(1).default(0),
      maxEceIncrease: z.number().min(0).max(1).default(0.01),
      /** Fewer pooled KEV additions in the windows than this: too few to judge, the current model stays. */
      minPositives: z.number().int().min(1).default(10),
    })
    .prefault({}),
  /** Daily scores: a CVE's row is stored only when its probability moved by more than max(absolute, relative × previous). */
  scores: z
    .strictObject({
      afterSync: z.boolean().default(true),
      absoluteTolerance: z.number().min(0).max(1).default(0.00001),
      relativeTolerance: z.number().min(0).max(10).default(0.1),
    })
    .prefault({}),
});

const roleList = z.array(z.string().min(1)).min(1).optional();

/** `patchcast serve`: the HTTP API (src/api/readme.md). Secrets (keys' contents, client secrets) never go here. */
const serverSection = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  /** Run the rollout controller inside `patchcast serve` (else run `patchcast controller` beside it). */
  controller: z.boolean().default(false),
  /** Scheduled syncs inside `patchcast serve`: every source (or those listed) when its last sync is older than `every`. */
  sync: z
    .strictObject({
      every: durationText,
      sources: z.array(z.string().min(1)).min(1).optional(),
    })
    .optional(),
  port: z.number().int().min(0).max(65535).default(8080),
  /** HTTPS from a PEM key and certificate, relative to this file. */
  tls: z.strictObject({ key: z.string().min(1), cert: z.string().min(1) }).optional(),
  /** Origins allowed to call the API from a browser; CORS is off without it. */
  cors: z.strictObject({ origins: z.array(z.string().min(1)).min(1) }).optional(),
  /** Largest JSON request body, in bytes. */
  bodyLimit: z
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Largest uploaded file (inventory, VEX), in bytes. */
  uploadLimit: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
  /** Requests per client (token, else address) and window. */
  rateLimit: z
    .strictObject({ max: z.number().int().min(1).default(600), window: durationText.default('1m') })
    .prefault({}),
  /** Single sign-on: bearer JWTs from this issuer, checked against its JWKS; roles from a claim. */
  oidc: z
    .strictObject({
      issuer: z.string().url(),
      audience: z.string().min(1),
      /** Default: the issuer's discovery document's jwks_uri, else ISSUER/.well-known/jwks.json. */
      jwksUri: z.string().url().optional(),
      /** Claim holding the user's groups or roles (a string or an array of strings). */
      roleClaim: z.string().min(1).default('groups'),
      /** Claim values granting each role; the highest matching role wins. */
      roles: z
        .strictObject({ viewer: roleList, operator: roleList, approver: roleList, admin: roleList })
        .prefault({}),
    })
    .optional(),
});

/** Which assets a rollout setting applies to; every given list must match (no selector: all assets). */
const assetSelect = z
  .strictObject({
    assets: z.array(z.string().min(1)).min(1).optional(),
    tags: z.array(z.string().min(1)).min(1).optional(),
    environments: z.array(z.string().min(1)).min(1).optional(),
  })
  .optional();
const argv = z.array(z.string()).min(1);

/** How the rollout reaches one set of hosts; the first entry whose selector matches an asset wins. */
const rolloutHost = z.strictObject({
  select: assetSelect,
  /** `agent`: the host's own patchcast agent pulls its jobs; `ssh`, `local` (this machine) and `dry-run` are run by the controller. */
  executor: z.enum(['agent', 'ssh', 'local', 'dry-run']),
  /** Package manager; default from the asset's OS (Debian, Ubuntu: apt; RHEL family: dnf; Alpine: apk). */
  manager: z.enum(['apt', 'dnf', 'apk']).optional(),
  /** `local`: argv that enters the host before each command (e.g. `[chroot, /srv/image]`). */
  prefix: z.array(z.string().min(1)).optional(),
  /** Extra `-o` options for apt (e.g. a sources list of its own). */
  aptOptions: z.array(z.string().min(1)).optional(),
  ssh: z
    .strictObject({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(22),
      user: z.string().min(1).default('root'),
      /** PEM private key file, relative to this file. */
      privateKey: z.string().min(1),
      /** OpenSSH known_hosts file pinning the host's key, relative to this file. */
      knownHosts: z.string().min(1),
      /** Run commands through `sudo -n`. */
      sudo: z.boolean().default(false),
    })
    .optional(),
});

const rolloutProbe = z
  .strictObject({
    select: assetSelect,
    name: z.string().min(1).optional(),
    http: z
      .strictObject({
        url: z.string().url(),
        status: z.number().int().default(200),
        bodyIncludes: z.string().optional(),
      })
      .optional(),
    tcp: z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }).optional(),
    command: argv.optional(),
    timeout: durationText.default('10s'),
  })
  .refine(
    (p) => [p.http, p.tcp, p.command].filter(Boolean).length === 1,
    'give exactly one of http, tcp, command',
  );

/** The rollout (src/rollout/readme.md): how hosts are reached, checked and retried. */
const rolloutSection = z.strictObject({
  /** A job's lease; its holder renews it with heartbeats, and a job whose lease runs out is re-checked by the next holder. */
  lease: durationText.default('10m'),
  /** Leases a job may take before it fails (each retry waits `backoff` × 2^(attempt−1)). */
  maxAttempts: z.number().int().min(1).max(20).default(3),
  backoff: durationText.default('1m'),
  /** How often the controller reconciles. */
  tick: durationText.default('10s'),
  /** Jobs one controller process runs at once on SSH, local and dry-run hosts. */
  workers: z.number().int().min(1).max(256).default(4),
  reboot: z.enum(['never', 'if-required', 'always']).default('if-required'),
  restartServices: z.boolean().default(true),
  /** Refresh package lists before the preflight. */
  refresh: z.boolean().default(true),
  /** What a preflight lets through (all blocked by default). */
  allow: z
    .strictObject({
      removals: z.boolean().default(false),
      downgrades: z.boolean().default(false),
      held: z.boolean().default(false),
    })
    .prefault({}),
  hosts: z.array(rolloutHost).default([]),
  probes: z.array(rolloutProbe).default([]),
  hooks: z
    .array(
      z.strictObject({
        select: assetSelect,
        pre: z.array(argv).default([]),
        post: z.array(argv).default([]),
      }),
    )
    .default([]),
});

export const configSchema = z.strictObject({
  /** Config format version. */
  version: z.literal(1).default(1),
  store: storeSection.default({}),
  policies: policiesSection.prefault({}),
  windows: z.array(windowSection).default([]),
  freezes: z.array(freezeSection).default([]),
  rings: z.array(ringSection).default([]),
  risk: riskSection.prefault({}),
  planning: planningSection.prefault({}),
  model: modelSection.prefault({}),
  server: serverSection.prefault({}),
  rollout: rolloutSection.prefault({}),
});

/** The config as written (before defaults). */
export type ConfigInput = z.input<typeof configSchema>;
/** The config after parsing and defaults. */
export type ParsedConfig = z.output<typeof configSchema>;
