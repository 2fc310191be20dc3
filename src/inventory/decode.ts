/**
 * Shared decoding for inventory formats: the size limit, strict UTF-8, JSON with a nesting limit and
 * positions in errors. Every format goes through these so hostile input fails the same way everywhere.
 */
import { Lexer } from 'yaml';
import { InventoryParseError, MAX_INVENTORY_BYTES, MAX_NESTING_DEPTH } from './errors.js';
import type { InventoryFile } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How many bytes of a file `detect` sees. */
export const DETECT_HEAD_BYTES = 4096;

/** The error for a file over `MAX_INVENTORY_BYTES`. */
export function makeTooLargeError(path: string, bytes: number): InventoryParseError {
  const mib = Math.round(MAX_INVENTORY_BYTES / 2 ** 20);
  return new InventoryParseError(
    path,
    undefined,
    `file is ${bytes} bytes, over the ${mib} MiB limit for one inventory`,
    'Split the inventory into smaller files.',
  );
}

/** Throws before anything reads the bytes when the file is over `MAX_INVENTORY_BYTES`. */
export function assertInventorySize(file: InventoryFile): void {
  if (file.content.length > MAX_INVENTORY_BYTES) throw makeTooLargeError(file.path, file.content.length);
}

/** The file as text: size-checked, strict UTF-8 (a leading BOM dropped), no NUL bytes. */
export function decodeInventoryText(file: InventoryFile): string {
  assertInventorySize(file);
  let text: string;
  try {
    text = utf8.decode(file.content);
  } catch {
    throw new InventoryParseError(file.path, undefined, 'not UTF-8 text (binary or corrupt file)');
  }
  // A NUL never occurs in these text formats; it means a binary file or a truncated copy.
  const nul = text.indexOf('\u0000');
  if (nul !== -1) throw new InventoryParseError(file.path, lineColumn(text, nul), 'NUL byte in a text file');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `line L, column C` (both 1-based) of a character offset, for error messages. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${offset - start + 1}`;
}

/**
 * Throws when brackets nest deeper than `MAX_NESTING_DEPTH`. Scanning before `JSON.parse` keeps hostile
 * input (100,000 nested arrays) from reaching recursive code, ours or the engine's.
 */
export function assertJsonDepth(path: string, text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING_DEPTH) {
        throw new InventoryParseError(
          path,
          lineColumn(text, i),
          `nesting deeper than ${MAX_NESTING_DEPTH} levels`,
        );
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/**
 * Throws when YAML flow collections (`[`, `{`) nest deeper than `MAX_NESTING_DEPTH`, counted on the
 * yaml library's own lexer (a state machine, linear, no recursion), so a bracket counts exactly when
 * the parser would open a collection. Counting as in JSON did not: a `"` that YAML reads as a plain
 * character (`a: b"c`) hid every bracket after it from the count, and 100,000 nested `[` reached the
 * parser (found by bench/fuzz on pnpm-lock.yaml).
 */
function assertYamlFlowDepth(path: string, text: string): void {
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > MAX_NESTING_DEPTH)
        throw new InventoryParseError(
          path,
          lineColumn(text, offset),
          `nesting deeper than ${MAX_NESTING_DEPTH} levels`,
        );
    } else if (token === ']' || token === '}') depth--;
    // The lexer's control tokens (document start, scalar, flow end) are one character not in the text.
    if (!(token.length === 1 && token.charCodeAt(0) < 0x20 && token !== '\n' && token !== '\t'))
      offset += token.length;
  }
}

/**
 * Throws when YAML text may nest deeper than `MAX_NESTING_DEPTH`: flow collections (`[`, `{`) counted
 * on the YAML lexer (`assertYamlFlowDepth`), block collections by a line's indentation and indicators (`  - - ? `), one level per
 * column at most. The yaml library recurses per level; deep enough, V8 runs out of stack while
 * compiling a regular expression, which ends the process (no exception to catch), so hostile nesting
 * must never reach it.
 */
export function assertYamlDepth(path: string, text: string): void {
  assertYamlFlowDepth(path, text);
  let line = 1;
  for (let start = 0; start < text.length; line++) {
    let i = start;
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x2d || c === 0x3f || c === 0x3a || c === 0x09; ) {
      c = text.charCodeAt(++i);
    }
    if (i - start > MAX_NESTING_DEPTH) {
      throw new InventoryParseError(
        path,
        `line ${line}`,
        `indented ${i - start} columns: nesting deeper than ${MAX_NESTING_DEPTH} levels`,
      );
    }
    const end = text.indexOf('\n', i);
    if (end === -1) break;
    start = end + 1;
  }
}

/** Parses JSON text with the nesting limit; syntax errors name the line and column. */
export function parseJsonText(path: string, text: string): unknown {
  assertJsonDepth(path, text);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : text.length;
    const problem = at
      ? `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`
      : 'invalid JSON: unexpected end (truncated file?)';
    throw new InventoryParseError(path, lineColumn(text, offset), problem);
  }
}

/** Decodes and parses a JSON inventory file. */
export function parseInventoryJson(file: InventoryFile): unknown {
  return parseJsonText(file.path, decodeInventoryText(file));
}

/** A plain JSON object, or undefined: the shape test every JSON walker starts with. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A non-empty trimmed string, or undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** An array, or an empty one: tolerant access to optional list fields. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
