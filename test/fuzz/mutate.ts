/**
 * Structure-aware mutations of real, valid files for the parser fuzz tests and `bench/fuzz`. A case is
 * a seed (an index into the target's real files) and a few mutations applied in turn: byte flips,
 * truncation, deleted or duplicated ranges and lines, inserted tokens of the formats' own syntax
 * (deep nesting, XML/YAML/JSON specials, invalid UTF-8, huge strings) and, for JSON seeds, a field's
 * value swapped for another type. Positions are plain numbers taken modulo the length at apply time,
 * so fast-check can shrink a failing case to a small one.
 */
import fc from 'fast-check';

export type Mutation =
  | { op: 'flip'; at: number; byte: number }
  | { op: 'truncate'; at: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number; to: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'line'; at: number; to: number; kind: 'duplicate' | 'delete' | 'swap' }
  | { op: 'json'; node: number; value: JsonPayload };

/** A JSON replacement value; `deep` and `huge` are built at apply time so the case stays small to print. */
export type JsonPayload =
  | { kind: 'value'; value: unknown }
  | { kind: 'deep'; depth: number; open: '[' | '{' }
  | { kind: 'huge'; length: number };

export interface FuzzCase {
  seed: number;
  mutations: Mutation[];
}

export interface MutationLimits {
  /** Deepest nesting inserted (brackets, tags, YAML indentation). */
  maxDepth: number;
  /** Longest string inserted. */
  maxString: number;
  /**
   * How depths and lengths are drawn between 1 and the maximum: `uniform` (the default), or `log`,
   * where each doubling (1–2, 2–4, … up to the maximum) is as likely as the next. `log` still reaches
   * the maximum but makes the mean input far smaller (a mean of max/ln(max) instead of max/2), which is
   * what lets `bench/fuzz` run a million cases per parser.
   */
  sizes?: 'uniform' | 'log';
}

/** A depth or length from 1 to `max`, drawn as `limits.sizes` says. */
function sizeArb(max: number, limits: MutationLimits): fc.Arbitrary<number> {
  if (limits.sizes !== 'log') return fc.integer({ min: 1, max });
  const bits = Math.ceil(Math.log2(max));
  return fc
    .tuple(fc.integer({ min: 0, max: bits }), fc.nat())
    .map(([e, r]) => Math.min(max, 2 ** e + (r % 2 ** e)));
}

/** Limits for CI: deep and long enough to cross every parser limit (200 levels), cheap enough to run 300 times. */
export const TEST_LIMITS: MutationLimits = { maxDepth: 5_000, maxString: 70_000 };

/**
 * Limits for `bench/fuzz`: deeper and longer than CI's (20,000 levels, 1,000,000-character strings),
 * sizes drawn per doubling so that a million cases per parser stay affordable (see `sizes`).
 */
export const BENCH_LIMITS: MutationLimits = { maxDepth: 20_000, maxString: 1_000_000, sizes: 'log' };

/** Tokens of the formats' syntax that parsers treat specially. */
const TOKENS = [
  '"',
  '\\',
  '\\u',
  '\\ud800',
  ':',
  ',',
  '{',
  '}',
  '[',
  ']',
  '\n',
  '\r\n',
  '\r',
  '\t',
  ' ',
  '#',
  '%',
  '%zz',
  '%E0%A4%A',
  '-1',
  '0',
  '1e309',
  '-0',
  '99999999999999999999999',
  'NaN',
  'null',
  'true',
  '__proto__',
  'constructor',
  'toString',
  '"__proto__": {"polluted": 1},',
  '<',
  '>',
  '</',
  '/>',
  '<!DOCTYPE x [<!ENTITY e "eee">]>',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?xml version="1.0"?>',
  '&e;',
  '&amp;',
  '&#0;',
  '&#x110000;',
  '&#xD800;',
  '&#99999999999;',
  'xmlns:x="urn:x"',
  '---\n',
  '...\n',
  '&a ',
  '*a ',
  '<<: *a',
  '!!binary ',
  '!!js/function ',
  '? ',
  '- ',
  '|',
  '>-',
  '[[',
  ']]',
  '= ',
  "'''",
  '"""',
  'pkg:',
  'pkg:npm/%40scope%2F',
  'pkg:/',
  'pkg:npm/@',
  '@',
  '==',
  '===',
  '>=',
  '~=',
  '@ file:///etc/passwd',
  '-r ../../etc/passwd',
  '-e ',
  '--hash=',
  ';',
  'Package: ',
  'Version: ',
  'Status: install ok installed',
  'P:',
  'V:',
  'CVE-',
  '--',
  '\u2028',
  '\ufeff',
  '\u0000',
];

/** Byte sequences that are not UTF-8 (stray continuation, overlong, surrogate, beyond U+10FFFF, truncated). */
const INVALID_UTF8 = [
  [0xff],
  [0xfe],
  [0x80],
  [0xc3, 0x28],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe2, 0x82],
];

const NESTING_OPENERS = [
  '[',
  '{"a":',
  '<a>',
  '<component>',
  '- ',
  '  ',
  'a:\n',
  '(',
  '{{',
  'a = [',
  '  - a:\n',
];

function insertion(limits: MutationLimits): fc.Arbitrary<Uint8Array> {
  const text = (s: string) => new Uint8Array(Buffer.from(s));
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...TOKENS).map(text) },
    { weight: 2, arbitrary: fc.constantFrom(...INVALID_UTF8).map((b) => new Uint8Array(b)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...NESTING_OPENERS), sizeArb(limits.maxDepth, limits))
        .map(([open, depth]) => text(open.repeat(depth))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('A', '0', ' ', 'é', '\\"', '%41'), sizeArb(limits.maxString, limits))
        .map(([unit, n]) => text(unit.repeat(n))),
    },
    { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 32 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }).map(text) },
  );
}

function jsonPayload(limits: MutationLimits): fc.Arbitrary<JsonPayload> {
  const value = (arb: fc.Arbitrary<unknown>) => arb.map((v): JsonPayload => ({ kind: 'value', value: v }));
  return fc.oneof(
    value(fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53 + 1, '', ' ', [], {}, [[]], [null], {})),
    value(fc.constantFrom('../../../../etc/passwd', 'pkg:', 'pkg:npm/', '%', '__proto__', '\u0000', 'a\nb')),
    value(fc.jsonValue({ maxDepth: 3 })),
    fc
      .record({ depth: sizeArb(limits.maxDepth, limits), open: fc.constantFrom('[', '{') })
      .map(({ depth, open }): JsonPayload => ({ kind: 'deep', depth, open: open as '[' | '{' })),
    sizeArb(limits.maxString, limits).map((length): JsonPayload => ({ kind: 'huge', length })),
  );
}

/** One mutation. */
export function mutationArb(limits: MutationLimits = TEST_LIMITS): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('flip' as const), at, byte: fc.nat(255) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('delete' as const),
        at,
        length: fc.integer({ min: 1, max: 4096 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('duplicate' as const),
        at,
        length: fc.integer({ min: 1, max: 4096 }),
        to: fc.nat(),
      }),
    },
    { weight: 5, arbitrary: fc.record({ op: fc.constant('insert' as const), at, bytes: insertion(limits) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('line' as const),
        at,
        to: fc.nat(),
        kind: fc.constantFrom('duplicate' as const, 'delete' as const, 'swap' as const),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ op: fc.constant('json' as const), node: fc.nat(), value: jsonPayload(limits) }),
    },
  );
}

/** A case: which seed, and one to four mutations of it. */
export function fuzzCaseArb(limits: MutationLimits = TEST_LIMITS): fc.Arbitrary<FuzzCase> {
  return fc.record({
    seed: fc.nat(),
    mutations: fc.array(mutationArb(limits), { minLength: 1, maxLength: 4 }),
  });
}

/** The bytes of a case: the seed with each mutation applied in turn. */
export function applyCase(seeds: readonly Buffer[], c: FuzzCase): Buffer {
  let content = seeds[c.seed % seeds.length] ?? Buffer.alloc(0);
  for (const mutation of c.mutations) content = applyMutation(content, mutation);
  return content;
}

export function applyMutation(content: Buffer, m: Mutation): Buffer {
  const n = content.length;
  const pos = (x: number) => (n === 0 ? 0 : x % (n + 1));
  switch (m.op) {
    case 'flip': {
      if (n === 0) return content;
      const out = Buffer.from(content);
      out[m.at % n] = m.byte;
      return out;
    }
    case 'truncate':
      return content.subarray(0, pos(m.at));
    case 'delete': {
      const from = pos(m.at);
      return Buffer.concat([content.subarray(0, from), content.subarray(from + m.length)]);
    }
    case 'duplicate': {
      const from = pos(m.at);
      const to = pos(m.to);
      return Buffer.concat([
        content.subarray(0, to),
        content.subarray(from, from + m.length),
        content.subarray(to),
      ]);
    }
    case 'insert': {
      const at = pos(m.at);
      return Buffer.concat([content.subarray(0, at), m.bytes, content.subarray(at)]);
    }
    case 'line':
      return mutateLines(content, m.at, m.to, m.kind);
    case 'json':
      return mutateJson(content, m.node, m.value) ?? content;
  }
}

function mutateLines(content: Buffer, at: number, to: number, kind: 'duplicate' | 'delete' | 'swap'): Buffer {
  const lines = content.toString('latin1').split('\n');
  const i = at % lines.length;
  const j = to % lines.length;
  const line = lines[i] as string;
  if (kind === 'delete') lines.splice(i, 1);
  else if (kind === 'duplicate') lines.splice(j, 0, line);
  else [lines[i], lines[j]] = [lines[j] as string, line];
  return Buffer.from(lines.join('\n'), 'latin1');
}

/** Parsed JSON of the last few seeds, so the JSON mutation does not re-parse a large seed every case. */
const parsedCache = new Map<Buffer, unknown>();

function parseOnce(content: Buffer): unknown {
  if (parsedCache.has(content)) return parsedCache.get(content);
  let value: unknown;
  try {
    value = JSON.parse(content.toString('utf8'));
  } catch {
    value = undefined;
  }
  if (parsedCache.size > 64) parsedCache.clear();
  parsedCache.set(content, value);
  return value;
}

/** Replaces the value of one node (picked among the first 5,000, walked breadth-first) of a JSON document. */
function mutateJson(content: Buffer, node: number, payload: JsonPayload): Buffer | undefined {
  try {
    return replaceJsonNode(content, node, payload);
  } catch {
    // A document an earlier mutation nested too deep for the engine's recursive clone: left as it is.
    return undefined;
  }
}

function replaceJsonNode(content: Buffer, node: number, payload: JsonPayload): Buffer | undefined {
  const parsed = parseOnce(content);
  if (parsed === undefined || parsed === null || typeof parsed !== 'object') return undefined;
  const doc = structuredClone(parsed) as Record<string, unknown>;
  const slots: Array<{ holder: Record<string, unknown>; key: string }> = [];
  const queue: unknown[] = [doc];
  for (let k = 0; k < queue.length && slots.length < 5_000; k++) {
    const holder = queue[k];
    if (holder === null || typeof holder !== 'object') continue;
    for (const [key, child] of Object.entries(holder)) {
      slots.push({ holder: holder as Record<string, unknown>, key });
      queue.push(child);
    }
  }
  const slot = slots[node % Math.max(1, slots.length)];
  if (!slot) return undefined;
  const marker = '\u0001patchcast-fuzz\u0001';
  slot.holder[slot.key] = payload.kind === 'value' ? payload.value : marker;
  const text = JSON.stringify(doc);
  if (payload.kind === 'value') return Buffer.from(text);
  const raw =
    payload.kind === 'huge'
      ? JSON.stringify('A'.repeat(payload.length))
      : payload.open === '['
        ? '['.repeat(payload.depth) + ']'.repeat(payload.depth)
        : '{"a":'.repeat(payload.depth) + '0' + '}'.repeat(payload.depth);
  return Buffer.from(text.replace(JSON.stringify(marker), () => raw));
}
