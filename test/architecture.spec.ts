import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findViolations, loadSourceTree } from './support/import-graph.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Doors that start another door: `patchcast serve` is the CLI's way to run the API. */
const KNOWN_DOOR_LINKS: Record<string, string> = {
  'cli/commands/serve.ts': 'the serve command starts the API server',
  'cli/commands/agent.ts': 'the agent command enrolls and starts the endpoint agent',
};

describe('architecture: imports follow the arrows', () => {
  const violations = findViolations(loadSourceTree(SRC));

  // Only services and store touch the store: no file outside them is excused (issue 16 §1 emptied
  // the allow-list when risk's loaders and writers, the steps after matching, the exploit forecast and
  // the fleet match moved into services/).
  it('breaks no arrow other than the known door links', () => {
    const other = violations.filter(
      (v) => !(v.rule === 'doors never import each other' && v.from in KNOWN_DOOR_LINKS),
    );
    expect(other).toEqual([]);
  });

  it('lists only door links that still exist (the allow-list shrinks)', () => {
    const linking = new Set(
      violations.filter((v) => v.rule === 'doors never import each other').map((v) => v.from),
    );
    expect(Object.keys(KNOWN_DOOR_LINKS).filter((f) => !linking.has(f))).toEqual([]);
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
