/** The commented starter config `patchcast init` writes. It must itself validate (a test checks). */
export const STARTER_CONFIG = `# patchcast.yaml — forecast-driven patch management.
# Schema: schema/patchcast.schema.json (editors with YAML language support validate as you type).
# Check this file with: patchcast config validate
version: 1

store:
  # Directory of the embedded SQLite database. PATCHCAST_HOME overrides it.
  # For PostgreSQL set PATCHCAST_DATABASE_URL=postgres://user@host:5432/db (never in this file).
  home: .patchcast

policies:
  # SLA rules, first match wins. "due" is days from first detection; kev-due-date (CISA's KEV date);
  # bod-26-04 (CISA BOD 26-04 Table 1: 3 days with forensic triage, 3, 14, 60 days or next upgrade,
  # from KEV, internet exposure, Automatable, Technical Impact); pci-dss-6.3.3 (one month from the
  # fix's release); or next-upgrade. warnDays: days before the date a finding is "due soon" (default 7).
  # clockStart: first-seen (default: the clock starts when the finding is first seen on the asset, so
  # kev-due-date gives CISA's number of days from then) or kev-listed (from CISA's listing: CISA's
  # due date as is, as BOD 22-01 binds federal agencies).
  # With no rules at all, patchcast uses KEV dates, then 15/30/90/180 days by severity.
  sla:
    - id: kev
      description: CISA KEV listings get CISA's number of days, from first detection
      when: { kev: true }
      due: kev-due-date
      clockStart: first-seen
    - id: critical-internet
      when: { severity: [critical], internetExposed: true }
      due: 7
    - id: pci
      description: PCI DSS v4 6.3.3 — critical and high patches within one month of release
      when: { severity: [critical, high], tags: [pci] }
      due: pci-dss-6.3.3
    # - id: federal
    #   description: the directive's timelines for agency systems
    #   when: { tags: [fcb] }
    #   due: bod-26-04
    - id: default
      due: 90
      warnDays: 14
  exceptions:
    maxDays: 90          # no risk acceptance lasts longer
    requireApprover: true
    pausesSla: true

# Maintenance windows per asset window group (cron or RRULE, in the window's time zone).
windows:
  - id: weekly-tuesday
    groups: [default]
    cron: "0 2 * * TUE"
    timezone: UTC
    duration: 4h
    cutoff: 30m          # no job starts in the last 30 minutes
  - id: after-patch-tuesday
    groups: [windows-servers]
    rrule: FREQ=MONTHLY;BYDAY=SA;BYSETPOS=2;BYHOUR=22
    timezone: Europe/Berlin
    duration: 6h

# Freezes override windows: no patching inside them.
freezes:
  - id: year-end
    start: 2026-12-20
    end: 2027-01-04
    reason: year-end change freeze
  # - id: corporate
  #   ics: ./freezes.ics

# Rings are patched in order; each waits out its soak time before the next starts.
# (Promotion gates and approvals per ring are planned with the rollout controller.)
rings:
  - id: canary
    select: { tags: [canary] }
    soak: 24h
  - id: pilot
    select: { environments: [staging] }
    soak: 24h
  - id: broad
    soak: 12h
  - id: critical
    select: { tags: [critical] }

# How \`patchcast plan\` weighs and sizes the schedule (these are the defaults).
planning:
  # Objective = Σ risk × hours until patched, plus these penalties (in risk-hours).
  weights:
    slaBreach: 50        # per job finishing after its SLA due date
    unscheduled: 100     # per job left out of the horizon
    disruption: 1        # per rebooting job in a weekday 08:00–18:00 window
  jobMinutes: { base: 10, perPackage: 2, reboot: 10 }
  maxConcurrentHosts: 25 # for windows that do not set their own
  # maxJobMinutesPerOccurrence: 600
  # Members of one service down at once: maxDown (a count) or maxDownPercent.
  availability:
    default: { maxDownPercent: 34 }
    services: {}
    #   payments: { maxDown: 1 }

# The exploit model's continuous learning (these are the defaults). Each \`patchcast sync\` retrains
# when due (from the store, or model.data when set), promotes the challenger only if it is not worse
# on the latest windows, and stores the day's scores (see \`patchcast model status\` and \`patchcast model drift\`).
model:
  # data: ../shared/data  # read this directory (../shared/data layout) instead of the store
  retrain: { enabled: true, every: 30d, minNewKevEntries: 10, windows: 3 }
  promotion: { minAuprcGain: 0, maxEceIncrease: 0.01, minPositives: 10 }
  scores: { afterSync: true, absoluteTolerance: 0.00001, relativeTolerance: 0.1 }

# Weights of the risk formula (see src/risk/readme.md once risk lands).
risk:
  weights:
    exploitProbability: 1
    kev: 0.3
    internetExposure: 0.3
    criticality: 0.3

# Integrations (webhooks, Jira, ServiceNow, syslog/CEF, Splunk) are planned; patchcast rejects an
# \`integrations\` section until they work.
`;
