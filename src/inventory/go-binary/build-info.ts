/**
 * Finds the build information the Go linker embeds in every module-aware binary (Go ≥ 1.13) and
 * reads its module list, as `go version -m` prints it:
 * - Go ≥ 1.18: a 32-byte header `\xff Go buildinf:` + pointer size + flags; with flag 2 the Go
 *   version and the module info follow inline as varint-length strings.
 * - Otherwise (older binaries, or a header that was stripped): the module info string itself, found
 *   by the 16-byte sentinels `runtime/debug` puts around it. The Go version is then unknown.
 */
import { InventoryParseError } from '../errors.js';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
const FLAG_INLINE_STRINGS = 2;
const START_SENTINEL = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const END_SENTINEL = Buffer.from('f932433186182072008242104116d8f2', 'hex');
/** Longest build-info string accepted; real ones are a few kilobytes. */
const MAX_STRING = 4 * 1024 * 1024;

export interface BuildInfo {
  /** `go1.22.1`, or undefined when only the module info was found. */
  goVersion?: string;
  /** The module info text between the sentinels (`path …`, `mod …`, `dep …`, `=> …`, `build …`). */
  modinfo: string;
  /** Byte offset where it was found, for messages. */
  offset: number;
}

/** Reads a varint-length string at `at`; throws when it runs past the end (a truncated binary). */
function readString(path: string, data: Buffer, at: number): { text: string; next: number } {
  let length = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const byte = data[i];
    if (byte === undefined || shift > 28) {
      throw new InventoryParseError(path, `byte ${at}`, 'truncated Go build information (string length)');
    }
    i++;
    length += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) break;
  }
  if (length > MAX_STRING || i + length > data.length) {
    throw new InventoryParseError(
      path,
      `byte ${at}`,
      `truncated or corrupt Go build information (${length}-byte string)`,
    );
  }
  return { text: data.toString('utf8', i, i + length), next: i + length };
}

/** Strips the sentinels `runtime/debug` wraps the module info in (it checks the same way). */
function stripSentinels(modinfo: string): string {
  if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n') return modinfo.slice(16, -16);
  return modinfo;
}

function readInlineHeader(path: string, data: Buffer, offset: number): BuildInfo | undefined {
  const flags = data[offset + 15];
  if (flags === undefined || (flags & FLAG_INLINE_STRINGS) === 0) return undefined;
  const version = readString(path, data, offset + HEADER_SIZE);
  const modinfo = readString(path, data, version.next);
  return { goVersion: version.text, modinfo: stripSentinels(modinfo.text), offset };
}

function findSentinelModinfo(data: Buffer): BuildInfo | undefined {
  const start = data.indexOf(START_SENTINEL);
  if (start === -1) return undefined;
  const end = data.indexOf(END_SENTINEL, start + START_SENTINEL.length);
  if (end === -1 || end - start > MAX_STRING) return undefined;
  return { modinfo: data.toString('utf8', start + START_SENTINEL.length, end), offset: start };
}

/** The binary's build information, or undefined when it has none (not Go, or Go < 1.13). */
export function findBuildInfo(path: string, data: Buffer): BuildInfo | undefined {
  for (let at = data.indexOf(MAGIC); at !== -1; at = data.indexOf(MAGIC, at + 1)) {
    if (at + HEADER_SIZE > data.length) {
      throw new InventoryParseError(path, `byte ${at}`, 'truncated Go build information header');
    }
    const inline = readInlineHeader(path, data, at);
    if (inline) return inline;
  }
  return findSentinelModinfo(data);
}

/** One module line of the module info. */
export interface ModuleLine {
  kind: 'mod' | 'dep';
  path: string;
  version: string;
  /** Line number in the module info text. */
  line: number;
  /** Set by a following `=>` line: the replacement (version empty for a local directory). */
  replacedBy?: { path: string; version: string };
}

/** Parses `mod`/`dep` lines and applies each `=>` replacement to the line before it. */
export function parseModinfo(modinfo: string): ModuleLine[] {
  const modules: ModuleLine[] = [];
  modinfo.split('\n').forEach((text, index) => {
    const [kind, path = '', version = ''] = text.split('\t');
    if (kind === 'mod' || kind === 'dep') modules.push({ kind, path, version, line: index + 1 });
    else if (kind === '=>' && modules.length > 0) modules[modules.length - 1]!.replacedBy = { path, version };
  });
  return modules;
}
