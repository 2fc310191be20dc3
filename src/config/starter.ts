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
  # With no rules at all, patchcast uses KEV dates, then 15/30/90/180 days by severity.
  sla:
    - id: kev
      description: CISA KEV listings are due by CISA's due date
      when: { kev: true }
      due: kev-due-date
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

# Rings are patched in order; each waits out its soak time and passes its gate before the next.
rings:
  - id: canary
    select: { tags: [canary] }
    soak: 24h
    maxFailureRate: 0
  - id: pilot
    select: { environments: [staging] }
    soak: 24h
  - id: broad
    soak: 12h
  - id: critical
    select: { tags: [critical] }
    requireApproval: true

# Weights of the risk formula (see src/risk/readme.md once risk lands).
risk:
  weights:
    exploitProbability: 1
    kev: 0.3
    internetExposure: 0.3
    criticality: 0.3

integrations:
  webhooks: []
  # - id: soc
  #   url: https://hooks.example.com/patchcast
  #   secretEnv: PATCHCAST_WEBHOOK_SECRET
  #   events: ["finding:new", "wave:halt"]
`;
