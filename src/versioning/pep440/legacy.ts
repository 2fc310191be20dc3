/**
 * The pre-PEP 440 ordering of packaging < 22 (`LegacyVersion`), which OSV still uses for PyPI version
 * strings that are not PEP 440 (`0.9-doduo`, `2013-01-21T20:33:09+0100`). Every legacy version sorts
 * before every PEP 440 version; legacy versions compare by a tuple of padded string parts.
 */

export interface LegacyVersion {
  readonly kind: 'legacy';
  readonly parts: readonly string[];
}

// Runs of digits, runs of lower-case ASCII letters, dots and dashes; anything else stays as its own part.
const COMPONENT_RE = /(\d+|[a-z]+|\.|-)/;
const REPLACEMENTS: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };
const ZERO_PART = '00000000';

function* rawParts(version: string): Generator<string> {
  for (const piece of version.split(COMPONENT_RE)) {
    const part = REPLACEMENTS[piece] ?? piece;
    if (part === '' || part === '.') continue;
    // numbers are zero-padded to 8 characters so that string order is numeric order
    yield part.charCodeAt(0) >= 48 && part.charCodeAt(0) <= 57 ? part.padStart(8, '0') : `*${part}`;
  }
  yield '*final';
}

/** The sort key packaging's `_legacy_cmpkey` builds. */
export function parseLegacy(version: string): LegacyVersion {
  const parts: string[] = [];
  for (const part of rawParts(version.toLowerCase())) {
    if (part.startsWith('*')) {
      // a dash before a pre-release tag does not count; trailing zeros of a numeric run do not either
      if (part < '*final') {
        while (parts.length > 0 && parts[parts.length - 1] === '*final-') parts.pop();
      }
      while (parts.length > 0 && parts[parts.length - 1] === ZERO_PART) parts.pop();
    }
    parts.push(part);
  }
  return { kind: 'legacy', parts };
}

export function compareLegacy(a: LegacyVersion, b: LegacyVersion): -1 | 0 | 1 {
  const n = Math.min(a.parts.length, b.parts.length);
  for (let i = 0; i < n; i++) {
    const x = a.parts[i]!;
    const y = b.parts[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  if (a.parts.length === b.parts.length) return 0;
  return a.parts.length < b.parts.length ? -1 : 1;
}
