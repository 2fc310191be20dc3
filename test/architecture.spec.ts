import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findViolations, loadSourceTree } from './support/import-graph.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/**
 * Files that still touch the store outside `services/` (issue 16 §1), each with what it does and
 * where it goes. The list only shrinks: a file that no longer breaks a rule must leave it, and a file
 * not listed that breaks one fails the test.
 */
const KNOWN_STORE_USERS: Record<string, string> = {
  // Inventory: the drift service reads snapshots itself; loadAssetDrift is left for risk/context.ts.
  'inventory/drift.ts': 'loadAssetDrift, for risk/context.ts only',
  // The fleet match and the VEX refresh: refresh.ts and pipeline/update-findings.ts hand matchFleet the store.
  'matching/apply-vex.ts': 'VEX applied to stored findings',
  'matching/match-fleet.ts': 'the fleet match transaction',
  'matching/refresh.ts': 'VEX refresh transaction',
  // The pipeline's steps after matching are use-case code to become services; steps-after-match
  // reads the exploit forecast, which reads the registry, stored scores and the history: they move
  // to services/model together once steps-after-match does (a domain file may not import services).
  'pipeline/exploit-forecast.ts': 'stored exploit scores, read by steps-after-match',
  'pipeline/exploit-model-registry.ts': 'model registry, read by the forecast',
  'pipeline/exploit-scores.ts': 'scores written, by the forecast too',
  'pipeline/history-from-store.ts': 'history from the store, for the forecast',
  'pipeline/steps-after-match.ts': 'VEX, risk, policies transactions',
  'pipeline/update-findings.ts': 'update findings',
  // Risk reads its contexts and writes scores, due dates and history itself.
  'risk/as-of.ts': 'newest data day',
  'risk/context.ts': 'finding contexts',
  'risk/exceptions/apply-exceptions.ts': 'exceptions applied to stored findings',
  'risk/history/record-finding-history.ts': 'daily history rows',
  'risk/score-findings.ts': 'risk written',
  'risk/sla/apply-policies.ts': 'policies transaction body',
  'risk/sla/apply-sla.ts': 'due dates written',
  'risk/sla/load-sla-contexts.ts': 'SLA contexts read',
  'risk/vulnerability-context.ts': 'vulnerability contexts read',
};

/** Doors that start another door: `patchcast serve` is the CLI's way to run the API. */
const KNOWN_DOOR_LINKS: Record<string, string> = {
  'cli/commands/serve.ts': 'the serve command starts the API server',
  'cli/commands/agent.ts': 'the agent command enrolls and starts the endpoint agent',
};

describe('architecture: imports follow the arrows', () => {
  const violations = findViolations(loadSourceTree(SRC));

  it('breaks no arrow other than the known store users', () => {
    const other = violations.filter(
      (v) =>
        !(v.rule === 'only services and store touch the store' && v.from in KNOWN_STORE_USERS) &&
        !(v.rule === 'doors never import each other' && v.from in KNOWN_DOOR_LINKS),
    );
    expect(other).toEqual([]);
  });

  it('lists only files that still touch the store (the allow-list shrinks)', () => {
    const touching = new Set(violations.map((v) => v.from));
    expect(Object.keys(KNOWN_STORE_USERS).filter((f) => !touching.has(f))).toEqual([]);
  });

  it('fails on imports against the arrows', () => {
    const bad = new Map([
      [
        'risk/bad.ts',
        "import { printLine } from '../cli/output.js';\nimport type { ServiceDeps } from '../services/deps.js';",
      ],
      ['core/bad.ts', "import { getSlaRules } from '../risk/sla/index.js';"],
      ['services/bad.ts', "import { getActor } from '../cli/context.js';"],
      [
        'cli/commands/bad.ts',
        "import { listAssets } from '../../store/index.js';\nimport type { Store } from '../../store/index.js';",
      ],
      ['matching/bad.ts', "import { type Db, type AssetInput } from '../store/index.js';"],
      ['cli/commands/raw.ts', "import { withStore } from '../context.js';"],
      ['api/bad.ts', "const cli = await import('../cli/program.js');"],
      ['store/bad.ts', "export * from '../risk/as-of.js';"],
    ]);
    expect(findViolations(bad).map((v) => `${v.from} → ${v.to}: ${v.rule}`)).toEqual([
      'risk/bad.ts → cli/output.ts: domain may not import door',
      'risk/bad.ts → services/deps.ts: domain may not import services',
      'core/bad.ts → risk/sla/index.ts: core may not import domain',
      'services/bad.ts → cli/context.ts: services may not import door',
      'cli/commands/bad.ts → store/index.ts: only services and store touch the store',
      'cli/commands/bad.ts → store/index.ts: only services and store touch the store',
      'matching/bad.ts → store/index.ts: only services and store touch the store',
      'cli/commands/raw.ts → cli/context.ts: only services and store touch the store',
      'api/bad.ts → cli/program.ts: doors never import each other',
      'store/bad.ts → risk/as-of.ts: store may not import domain',
    ]);
  });

  it('allows what the arrows allow', () => {
    const good = new Map([
      ['cli/commands/good.ts', "import { listAssets } from '../../services/assets/list-assets.js';"],
      [
        'services/good.ts',
        "import { listAssets } from '../store/index.js';\nimport { getSlaRules } from '../risk/sla/index.js';",
      ],
      [
        'risk/good.ts',
        "import type { AssetInput } from '../store/index.js';\nimport { PatchcastError } from '../core/errors.js';",
      ],
      ['cli/context.ts', "import { openStore } from '../store/index.js';"],
    ]);
    expect(findViolations(good)).toEqual([]);
  });
});
