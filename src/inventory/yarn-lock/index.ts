/**
 * yarn.lock: classic (v1, Yarn's own syntax, read with @yarnpkg/lockfile) and berry (Yarn 2+,
 * YAML with `__metadata`). See readme.md.
 */
import { createRequire } from 'node:module';
import type * as YarnClassic from '@yarnpkg/lockfile';
import { z } from 'zod';
import { decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { makeLanguagePackage, mergeDuplicates } from '../language-package.js';
import { checkShape, parseYamlInventory } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

// A CommonJS bundle whose default export Node and Vite wrap differently; require() is the same everywhere.
const yarnClassic = createRequire(import.meta.url)('@yarnpkg/lockfile') as typeof YarnClassic;

const BERRY_MARKER = /^__metadata:/m;

/** `name@range` split at the `@` after the name (so scoped names and `npm:` aliases survive). */
export function splitDescriptor(descriptor: string): { name: string; range: string } | undefined {
  const at = descriptor.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

/** Line number (1-based) of every entry header, by each descriptor it lists. */
function getHeaderLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  text.split('\n').forEach((line, index) => {
    if (line === '' || /^[\s#]/.test(line) || !line.trimEnd().endsWith(':')) return;
    for (const key of line.trimEnd().slice(0, -1).split(', '))
      lines.set(key.replace(/^"|"$/g, ''), index + 1);
  });
  return lines;
}

/** Longest line the classic parser is given (a yarn.lock line is a descriptor list, a URL or a hash). */
const MAX_CLASSIC_LINE = 64 * 1024;

/**
 * Where the classic tokenizer would start a string on this line that the line does not close, or -1.
 * Its string loop reads past the end of the input until memory runs out, so every line is scanned
 * first, token by token as the tokenizer does (@yarnpkg/lockfile `tokenise`): a `"` opens a string
 * only where a token starts; inside a name (`r"x"y` up to a space, `:`, `,`) or after `#` it is a
 * plain character. Yarn v1 never lets a string span lines.
 */
export function findUnclosedString(line: string): number {
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === '#') return -1;
    if (c === '"') {
      const end = findStringEnd(line, i);
      if (end === -1) return i;
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      while (/[0-9]/.test(line[i] ?? '')) i++;
    } else if (line.startsWith('true', i)) i += 4;
    else if (line.startsWith('false', i)) i += 5;
    else if (/[a-zA-Z/-]/.test(c)) {
      while (i < line.length && !/[: \r,]/.test(line[i] as string)) i++;
    } else i++;
  }
  return -1;
}

/** The closing quote of the string opened at `start`, by the tokenizer's rule for `\"`; -1 if none. */
function findStringEnd(line: string, start: number): number {
  for (let k = start + 1; k < line.length; k++) {
    if (line[k] !== '"') continue;
    const escaped = line[k - 1] === '\\' && line[k - 2] !== '\\';
    if (!escaped) return k;
  }
  return -1;
}

/**
 * Every line is checked for a string it does not close (see `findUnclosedString`). The tokenizer also
 * builds each token a character at a time (a 50 MB line took 2 GB), so lines are bounded.
 */
function assertQuotesClosed(file: InventoryFile, text: string): void {
  text.split('\n').forEach((line, index) => {
    if (line.length > MAX_CLASSIC_LINE) {
      throw new InventoryParseError(
        file.path,
        `line ${index + 1}`,
        `line of ${line.length} characters, over the ${MAX_CLASSIC_LINE}-character limit of a yarn.lock line`,
      );
    }
    const open = findUnclosedString(line);
    if (open !== -1) {
      throw new InventoryParseError(
        file.path,
        `line ${index + 1}`,
        `unterminated string at column ${open + 1}`,
        'Is the file truncated?',
      );
    }
  });
}

/** The registry package a classic descriptor names: `npm:` aliases resolved, URL/path/git specs refused. */
function getClassicName(descriptor: string): string | undefined {
  const split = splitDescriptor(descriptor);
  if (!split) return undefined;
  if (split.range.startsWith('npm:')) return splitDescriptor(split.range.slice(4))?.name ?? split.name;
  return /[:/]/.test(split.range) ? undefined : split.name;
}

function parseClassic(file: InventoryFile, text: string, warnings: string[]) {
  assertQuotesClosed(file, text);
  let parsed: ReturnType<typeof yarnClassic.parse>;
  try {
    // The classic tokenizer reads a comment up to a '\n' and never checks for the end of input: a
    // file ending in a comment (`# yarn lockfile v1` cut short) grew a string until memory ran out.
    parsed = yarnClassic.parse(text.endsWith('\n') ? text : `${text}\n`, file.path);
  } catch (error) {
    const message = (error as Error).message;
    const at = /(\d+):(\d+) in lockfile/.exec(message);
    throw new InventoryParseError(
      file.path,
      at ? `line ${at[1]}` : undefined,
      `invalid yarn.lock: ${message}`,
    );
  }
  if (parsed.type === 'conflict') {
    throw new InventoryParseError(
      file.path,
      undefined,
      'unresolved merge conflict',
      'Run `yarn install` first.',
    );
  }
  if (parsed.type === 'merge') {
    warnings.push('merge conflict markers: read as `yarn install` would resolve them; run it to be sure');
  }
  return parsed.object;
}

/**
 * The classic parser gives each descriptor of a header (`a@^1, a@^1.1:`) the same entry object;
 * grouping them back makes one package per entry, named by its `npm:` alias target when it has one.
 */
function groupDescriptors(object: Record<string, unknown>): Map<unknown, string[]> {
  const groups = new Map<unknown, string[]>();
  for (const [descriptor, entry] of Object.entries(object)) {
    const group = groups.get(entry);
    if (group) group.push(descriptor);
    else groups.set(entry, [descriptor]);
  }
  return groups;
}

function getGroupName(descriptors: readonly string[]): string | undefined {
  const names = descriptors.map(getClassicName);
  const aliased = descriptors.findIndex((d) => splitDescriptor(d)?.range.startsWith('npm:'));
  return aliased === -1 ? names.find((n) => n !== undefined) : names[aliased];
}

function readClassic(file: InventoryFile, text: string, warnings: string[]): FoundPackage[] {
  const lines = getHeaderLines(text);
  const found: FoundPackage[] = [];
  for (const [entry, descriptors] of groupDescriptors(parseClassic(file, text, warnings))) {
    const location = `line ${lines.get(descriptors[0] ?? '') ?? '?'}`;
    const name = getGroupName(descriptors);
    const version = (entry as { version?: unknown } | null)?.version;
    if (!name || typeof version !== 'string' || version === '') {
      warnings.push(`${location}: ${descriptors.join(', ')} is not a registry package, skipped`);
      continue;
    }
    found.push(makeLanguagePackage(file.path, { ecosystem: 'npm', name, version, location }));
  }
  return found;
}

const berryEntry = z.looseObject({
  version: z.string().optional(),
  resolution: z.string().optional(),
});
const berryShape = z.record(z.string(), z.unknown());

// Protocols that never name a registry package of their own: the project's workspaces, and patches
// of a package whose unpatched `npm:` entry is listed as well.
const SILENT_PROTOCOLS = /^(workspace|patch):/;

function readBerryEntry(file: InventoryFile, key: string, raw: unknown, line: string, warnings: string[]) {
  const entry = checkShape(file, berryEntry, raw, 'yarn.lock (berry) entry', [key]);
  const resolution = entry.resolution ? splitDescriptor(entry.resolution) : undefined;
  if (!resolution) {
    warnings.push(`${line}: ${key} has no resolution, skipped`);
    return undefined;
  }
  if (!resolution.range.startsWith('npm:')) {
    if (!SILENT_PROTOCOLS.test(resolution.range))
      warnings.push(`${line}: ${entry.resolution} is not from a registry, skipped`);
    return undefined;
  }
  const version = entry.version ?? resolution.range.slice(4);
  return makeLanguagePackage(file.path, { ecosystem: 'npm', name: resolution.name, version, location: line });
}

function readBerry(file: InventoryFile, text: string, warnings: string[]): FoundPackage[] {
  const document = checkShape(file, berryShape, parseYamlInventory(file), 'yarn.lock (berry)');
  const lines = getHeaderLines(text);
  const found: FoundPackage[] = [];
  for (const [key, raw] of Object.entries(document)) {
    if (key === '__metadata') continue;
    const line = `line ${lines.get(key) ?? '?'}`;
    const pkg = readBerryEntry(file, key, raw, line, warnings);
    if (pkg) found.push(pkg);
  }
  return found;
}

/** yarn.lock, classic (v1) and berry (Yarn 2+). */
export const yarnLockFormat: InventoryFormat = {
  id: 'yarn-lock',
  description: 'Yarn yarn.lock (classic v1 and berry)',
  detect(fileName) {
    return fileName === 'yarn.lock';
  },
  parse(file: InventoryFile): ParsedInventory {
    const text = decodeInventoryText(file);
    const warnings: string[] = [];
    const packages = BERRY_MARKER.test(text)
      ? readBerry(file, text, warnings)
      : readClassic(file, text, warnings);
    return { format: 'yarn-lock', asset: {}, packages: mergeDuplicates(packages), warnings };
  },
};
