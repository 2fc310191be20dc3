/**
 * The shared contract suite every inventory format runs from its index.spec.ts:
 * `describeInventoryFormat(format, cases)`. It checks detection on the member's own fixtures, the shape
 * of what parse returns, and that hostile input (truncated, random, deeply nested, oversize) ends in an
 * `InventoryParseError` that names the file, never in a crash, a hang or a partial result.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';
import { DETECT_HEAD_BYTES } from './decode.js';
import { InventoryParseError, MAX_INVENTORY_BYTES } from './errors.js';
import type { InventoryFile, InventoryFormat, ParsedInventory } from './types.js';

export interface ContractFixture {
  /** Path of the fixture relative to `dir`. */
  file: string;
  /** The base name detect sees, when it differs from the fixture's (e.g. `status` for `dpkg/status`). */
  fileName?: string;
}

export interface ContractCases {
  /** The member's `__fixtures__` folder, as a file URL (`new URL('./__fixtures__/', import.meta.url)`). */
  dir: URL;
  fixtures: readonly ContractFixture[];
  /** `required` (default): every fixture yields packages; `none`: the format describes assets only. */
  packages?: 'required' | 'none';
  /**
   * Whether a file cut in the middle can be told from a complete one. Line formats whose records are
   * all optional (YAML, os-release) may say `undetectable`; the suite then only asks for no crash.
   */
  truncation?: 'detected' | 'undetectable';
  /** Extra hostile inputs for this format (e.g. its own syntax nested 10,000 deep). */
  hostile?: readonly { name: string; content: string | Buffer }[];
}

/**
 * A member spec's helpers: `fixture(name)`, the bytes of a file in its `__fixtures__` folder (`dir`),
 * and `parse(content, path?)`, what the format reads from that content at `path` (default `defaultPath`).
 */
export function makeFormatSpecHelpers(format: InventoryFormat, dir: URL, defaultPath: string) {
  return {
    fixture: (name: string): Buffer => readFileSync(new URL(name, dir)),
    parse: (content: Buffer | string, path = defaultPath): ParsedInventory =>
      format.parse({ path, content: Buffer.from(content) }),
  };
}

/** The fixture as an InventoryFile. */
export function loadFixture(dir: URL, file: string): InventoryFile {
  const url = new URL(file, dir);
  return { path: url.pathname, content: readFileSync(url) };
}

/** The first bytes of a file as the text detection looks at. */
export function getDetectHead(content: Buffer): string {
  return content.subarray(0, DETECT_HEAD_BYTES).toString('utf8');
}

/** Deterministic pseudo-random bytes (xorshift), so a failure can be replayed. */
export function makeRandomBytes(length: number, seed = 0x2545f491): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Cuts the content near its middle, inside a token (not at a line end), as an interrupted copy would. */
export function truncateMidToken(content: Buffer): Buffer {
  let cut = Math.floor(content.length / 2);
  const isBreak = (b: number | undefined) => b === undefined || b === 0x0a || b === 0x0d || b === 0x20;
  while (cut < content.length - 1 && (isBreak(content[cut - 1]) || isBreak(content[cut]))) cut++;
  return content.subarray(0, cut);
}

const DEEP = 10_000;
const GENERIC_HOSTILE: readonly { name: string; content: string }[] = [
  { name: 'nested JSON arrays', content: '['.repeat(DEEP) + ']'.repeat(DEEP) },
  { name: 'nested JSON objects', content: '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP) },
  {
    name: 'nested XML elements',
    content: '<?xml version="1.0"?>' + '<a>'.repeat(DEEP) + '</a>'.repeat(DEEP),
  },
];

function expectRejected(format: InventoryFormat, file: InventoryFile): void {
  let thrown: unknown;
  try {
    format.parse(file);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `${file.path}: parse should throw`).toBeInstanceOf(InventoryParseError);
  expect((thrown as Error).message).toContain(file.path);
}

function checkParsed(format: InventoryFormat, result: ParsedInventory, cases: ContractCases): void {
  expect(result.format).toBe(format.id);
  expect(Array.isArray(result.warnings)).toBe(true);
  if ((cases.packages ?? 'required') === 'required') expect(result.packages.length).toBeGreaterThan(0);
  for (const pkg of result.packages) {
    const label = JSON.stringify(pkg);
    expect(pkg.ecosystem, label).toMatch(/\S/);
    expect(pkg.name, label).toMatch(/\S/);
    expect(pkg.version, label).toMatch(/\S/);
    if (pkg.purl !== undefined) expect(() => PackageURL.fromString(pkg.purl as string), label).not.toThrow();
  }
}

/** Registers the contract tests for one format. */
export function describeInventoryFormat(format: InventoryFormat, cases: ContractCases): void {
  const fixtures = cases.fixtures.map((f) => ({ ...f, loaded: loadFixture(cases.dir, f.file) }));
  const first = fixtures[0]?.loaded;

  describe(`InventoryFormat contract: ${format.id}`, () => {
    it('has a kebab-case id, a description and at least one fixture', () => {
      expect(format.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(format.description.length).toBeGreaterThan(10);
      expect(fixtures.length).toBeGreaterThan(0);
    });

    it.each(fixtures)('detects its fixture $file', ({ file, fileName, loaded }) => {
      expect(format.detect(fileName ?? basename(file), getDetectHead(loaded.content))).toBe(true);
    });

    it.each(fixtures)('parses $file into well-formed packages', ({ loaded }) => {
      checkParsed(format, format.parse(loaded), cases);
    });

    it('rejects a file cut in the middle, naming the file', () => {
      if (!first) return;
      const cut = { path: `${first.path}.truncated`, content: truncateMidToken(first.content) };
      if (cases.truncation === 'undetectable') {
        try {
          format.parse(cut);
        } catch (error) {
          expect(error).toBeInstanceOf(InventoryParseError);
        }
        return;
      }
      expectRejected(format, cut);
    });

    it('rejects random bytes, and detect does not claim or throw on them', () => {
      const content = makeRandomBytes(8192);
      expect(format.detect('random.bin', getDetectHead(content))).toBe(false);
      expectRejected(format, { path: '/tmp/random.bin', content });
    });

    it.each([...GENERIC_HOSTILE, ...(cases.hostile ?? [])])('rejects $name', ({ name, content }) => {
      const buffer = typeof content === 'string' ? Buffer.from(content) : content;
      expectRejected(format, { path: `/tmp/hostile-${name.replace(/\W+/g, '-')}`, content: buffer });
    });

    it('rejects an oversize file before reading it', () => {
      // allocUnsafe leaves the pages untouched, so this costs no memory unless a parser reads them.
      const content = Buffer.allocUnsafe(MAX_INVENTORY_BYTES + 1);
      expectRejected(format, { path: '/tmp/oversize.json', content });
    });
  });
}
