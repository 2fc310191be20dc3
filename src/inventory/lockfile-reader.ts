/**
 * Shared reading for the language lockfile formats, on top of `decode.ts` (size, UTF-8, JSON): JSONC,
 * YAML and TOML parsing that reports the position of a syntax error, a nesting-depth guard, and zod shape
 * checks whose failures name the JSON pointer of the offending field.
 */
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { parse as parseToml, TomlError } from 'smol-toml';
import YAML from 'yaml';
import type { z } from 'zod';
import {
  assertJsonDepth,
  assertYamlDepth,
  decodeInventoryText,
  lineColumn,
  parseInventoryJson,
} from './decode.js';
import { InventoryParseError, MAX_NESTING_DEPTH } from './errors.js';
import type { InventoryFile } from './types.js';

/** Escapes one JSON pointer segment (RFC 6901). */
function pointerSegment(key: PropertyKey): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A JSON pointer (`/packages/node_modules~1a/version`) for a path of keys. */
export function toPointer(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '/' : path.map((key) => `/${pointerSegment(key)}`).join('');
}

/** Throws when a parsed document nests deeper than MAX_NESTING_DEPTH (walked without recursion). */
export function assertNestingDepth(file: InventoryFile, value: unknown): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= MAX_NESTING_DEPTH) {
      throw new InventoryParseError(
        file.path,
        item.path || '/',
        `nested deeper than ${MAX_NESTING_DEPTH} levels`,
      );
    }
    for (const [key, child] of Object.entries(item.value)) {
      stack.push({ value: child, path: `${item.path}/${pointerSegment(key)}`, depth: item.depth + 1 });
    }
  }
}

/** Parses JSON (size, UTF-8 and nesting checked by `decode.ts`), reporting errors by line and column. */
export function parseJsonInventory(file: InventoryFile): unknown {
  return parseInventoryJson(file);
}

/** Parses JSONC (comments and trailing commas allowed, as in bun.lock). */
export function parseJsoncInventory(file: InventoryFile): unknown {
  const text = decodeInventoryText(file);
  assertJsonDepth(file.path, text);
  const errors: ParseError[] = [];
  let value: unknown;
  try {
    value = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (error) {
    // jsonc-parser recurses per level: a stack overflow means hostile nesting.
    const problem = error instanceof RangeError ? `nested deeper than the parser allows` : String(error);
    throw new InventoryParseError(file.path, undefined, problem);
  }
  const first = errors[0];
  if (first) {
    const problem = `invalid JSON: ${printParseErrorCode(first.error)}`;
    throw new InventoryParseError(file.path, lineColumn(text, first.offset), problem);
  }
  if (value === undefined) throw new InventoryParseError(file.path, 'line 1, column 1', 'empty file');
  assertNestingDepth(file, value);
  return value;
}

/**
 * Parses every document of a YAML stream, aliases bounded (no billion-laughs expansion) and nesting
 * bounded. Every scalar stays a string (YAML's failsafe schema): `version: 1.10` must not become 1.1.
 */
export function parseYamlDocuments(file: InventoryFile): unknown[] {
  const text = decodeInventoryText(file);
  assertYamlDepth(file.path, text);
  const values: unknown[] = [];
  try {
    // prettyErrors off: it copies the whole line into every error's message, and 20,000 errors on one
    // 40 KB line (`- - - …`) took 0.9 s of CPU (bench/fuzz); the position is computed for the first only.
    const options = { uniqueKeys: false, schema: 'failsafe', prettyErrors: false } as const;
    throwFirstSyntaxError(file, text);
    for (const doc of YAML.parseAllDocuments(text, options)) {
      const first = doc.errors[0];
      if (first) {
        const at = lineColumn(text, first.pos[0]);
        throw new InventoryParseError(file.path, at, `invalid YAML: ${first.message.split('\n')[0]}`);
      }
      values.push(doc.toJS({ maxAliasCount: 100 }));
    }
  } catch (error) {
    if (error instanceof InventoryParseError) throw error;
    throw new InventoryParseError(file.path, undefined, `invalid YAML: ${(error as Error).message}`);
  }
  for (const value of values) assertNestingDepth(file, value);
  return values;
}

/**
 * The first error YAML's own CST parser reports at a document's top level, thrown before the composer
 * runs: the composer turns every such error into a message, and 140 KB of broken lines (60,000 errors)
 * took 0.9–1.4 s of CPU there (bench/fuzz, pubspec.lock), against ~0.17 s for this pass.
 */
export function throwFirstSyntaxError(file: Pick<InventoryFile, 'path'>, text: string): void {
  for (const token of new YAML.Parser().parse(text)) {
    if (token.type !== 'error') continue;
    const message = token.message.split('\n')[0] ?? 'syntax error';
    throw new InventoryParseError(file.path, lineColumn(text, token.offset), `invalid YAML: ${message}`);
  }
}

/** Parses a single-document YAML file (see `parseYamlDocuments`); several documents are refused. */
export function parseYamlInventory(file: InventoryFile): unknown {
  const values = parseYamlDocuments(file);
  if (values.length > 1) {
    throw new InventoryParseError(
      file.path,
      undefined,
      `${values.length} YAML documents where one was expected`,
    );
  }
  return values[0] ?? null;
}

/** Parses TOML, reporting a syntax error by line and column. */
export function parseTomlInventory(file: InventoryFile): unknown {
  const text = decodeInventoryText(file);
  try {
    return parseToml(text, { maxDepth: MAX_NESTING_DEPTH });
  } catch (error) {
    const at = error instanceof TomlError ? `line ${error.line}, column ${error.column}` : undefined;
    const problem = ((error as Error).message ?? String(error)).split('\n')[0];
    throw new InventoryParseError(file.path, at, `invalid TOML: ${problem}`);
  }
}

/**
 * Checks the parsed document against a zod schema of the fields the format uses, throwing the
 * first problem at its JSON pointer (`basePath` locates `value` inside the document).
 */
export function checkShape<T extends z.ZodType>(
  file: InventoryFile,
  schema: T,
  value: unknown,
  what: string,
  basePath: readonly PropertyKey[] = [],
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const at = toPointer([...basePath, ...(issue?.path ?? [])]);
  throw new InventoryParseError(file.path, at, `not a ${what}: ${issue?.message ?? 'unexpected shape'}`);
}
