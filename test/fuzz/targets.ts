/**
 * Every parser an upload reaches, as a fuzz target: each inventory format of the registry (SBOMs,
 * package databases, lockfiles, agent reports, asset registries), VEX documents, STIX bundles, and
 * STIX bundles in a zip archive. Each target has real valid seed files (the formats' own fixtures and,
 * when present, the SBOM samples in ../shared/testdata/sboms) and runs its parser on a file's bytes.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { isPatchcastError } from '../../src/core/errors.js';
import { listTreeFiles } from '../../src/feeds/file-tree.js';
import { MAX_STIX_BUNDLE_BYTES, readStixBundle } from '../../src/feeds/stix/index.js';
import { INVENTORY_FORMATS } from '../../src/inventory/registry.js';
import { parseVexDocument } from '../../src/matching/vex/index.js';
import { SHARED_DIR } from '../support/shared-data.js';
import { makeZip } from './zip.js';

export interface FuzzSeed {
  /** The base name the file is read under (parsers name it in errors; some read their kind from it). */
  name: string;
  content: Buffer;
}

export interface FuzzTarget {
  /** `inventory/<format id>`, `vex`, `stix`, `stix-zip`. */
  id: string;
  seeds: FuzzSeed[];
  /** Parses `content` read as `/upload/<name>`: returns what the parser returns, or throws. */
  run(content: Buffer, name: string): unknown;
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SBOMS = join(SHARED_DIR, 'testdata/sboms');

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function loadSeeds(paths: readonly string[], maxBytes: number): FuzzSeed[] {
  return paths
    .filter((path) => statSync(path).size <= maxBytes)
    .map((path) => ({ name: basename(path), content: readFileSync(path) }));
}

/** Shared SBOM samples that are valid files of a format (the README, manifest and snapshot are not). */
function sharedSeeds(format: string): string[] {
  const files = listFiles(SBOMS);
  const pick: Record<string, (name: string) => boolean> = {
    cyclonedx: (n) => /\.(cdx|bom)(\.[\d.]+)?\.(json|xml)$/.test(n) && !n.includes('vex'),
    spdx: (n) => /\.spdx3?\.json$/.test(n),
    'dpkg-status': (n) => n === 'dpkg-status',
    'apk-installed': (n) => n === 'apk-installed',
    'gemfile-lock': (n) => n === 'Gemfile.lock',
    'package-lock': (n) => n === 'package-lock.json',
    'yarn-lock': (n) => n === 'yarn.lock',
    'composer-lock': (n) => n === 'composer.lock',
    vex: (n) => /vex.*\.json$/.test(n),
  };
  const test = pick[format];
  return test ? files.filter((path) => test(basename(path)) && (format !== 'vex' || /vex/.test(path))) : [];
}

/** Each upload parser with its seeds; seeds over `maxSeedBytes` are left out (they slow every case). */
export function makeFuzzTargets(maxSeedBytes = 400_000): FuzzTarget[] {
  const targets: FuzzTarget[] = INVENTORY_FORMATS.map((format) => {
    const own = listFiles(join(REPO, 'src/inventory', format.id, '__fixtures__'));
    return {
      id: `inventory/${format.id}`,
      seeds: loadSeeds([...own, ...sharedSeeds(format.id)], maxSeedBytes),
      run: (content: Buffer, name: string) => format.parse({ path: `/upload/${name}`, content }),
    };
  });
  const vexFiles = [...listFiles(join(REPO, 'src/matching/vex/__fixtures__')), ...sharedSeeds('vex')];
  targets.push({
    id: 'vex',
    seeds: loadSeeds(vexFiles, maxSeedBytes),
    // As `patchcast vex import` and `scan --vex` read a document: the file as UTF-8 text.
    run: (content, name) => parseVexDocument(`/upload/${name}`, content.toString('utf8')),
  });
  const stixFiles = listFiles(join(REPO, 'src/feeds/stix/__fixtures__'));
  const stixSeeds = loadSeeds(stixFiles, maxSeedBytes);
  targets.push({
    id: 'stix',
    seeds: stixSeeds,
    run: (content, name) => readStixBundle(`/upload/${name}`, Readable.from([content])),
  });
  targets.push({
    id: 'stix-zip',
    seeds: [
      {
        name: 'bundles.zip',
        content: makeZip(stixSeeds.map((s, i) => ({ name: `2024/${i}-${s.name}`, data: s.content }))),
      },
    ],
    run: (content, name) => readStixZip(content, name),
  });
  return targets;
}

/**
 * A zip of STIX bundles, read as `patchcast sync stix --from bundles.zip` reads it: the archive's
 * `.json` entries, each a bundle. The archive is written to a fresh temporary directory (removed after).
 */
async function readStixZip(content: Buffer, name: string): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), 'patchcast-fuzz-zip-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, content);
    const out: unknown[] = [];
    for await (const file of listTreeFiles('stix', path, (n) => /\.json$/i.test(n), MAX_STIX_BUNDLE_BYTES)) {
      out.push(await readStixBundle(file.where, Readable.from([await file.text()])));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Outcome =
  | { kind: 'parsed'; value: unknown }
  | { kind: 'rejected'; code: string; status: number; message: string }
  | { kind: 'crash'; error: unknown };

/**
 * Runs a target on one input: `parsed` when it returns data, `rejected` when it throws a coded
 * PatchcastError answered with a 4xx status, `crash` for anything else (a TypeError, a RangeError from
 * a stack overflow, a 5xx code).
 */
export async function runTarget(target: FuzzTarget, content: Buffer, name: string): Promise<Outcome> {
  try {
    return { kind: 'parsed', value: await target.run(content, name) };
  } catch (error) {
    if (isPatchcastError(error) && error.status >= 400 && error.status < 500)
      return { kind: 'rejected', code: error.code, status: error.status, message: error.message };
    return { kind: 'crash', error };
  }
}

/** A crash as one line: the error's class, code and message, and the top of its stack. */
export function describeCrash(error: unknown): string {
  if (!(error instanceof Error)) return `non-Error thrown: ${String(error)}`;
  const code = isPatchcastError(error) ? ` [${error.code}]` : '';
  const frames = (error.stack ?? '').split('\n').slice(1, 4).join(' | ');
  return `${error.name}${code}: ${error.message.slice(0, 300)} @ ${frames}`;
}
