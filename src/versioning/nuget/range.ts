/**
 * NuGet version ranges (`VersionRange.Parse`): `1.0` (= `>= 1.0`), `[1.0]`, `[1.0,2.0)`, `(,2.0]`,
 * and floating versions (`*`, `1.*`, `1.0.*`, `1.0.0-beta*`), whose lower bound is all that
 * `Satisfies` checks.
 */
import { type NuGetVersion, parseNuGet } from './version.js';

export interface NuGetRange {
  readonly min?: NuGetVersion;
  readonly minInclusive: boolean;
  readonly max?: NuGetVersion;
  readonly maxInclusive: boolean;
}

// Floating versions: numeric parts with a trailing `*`, or a release label prefix ending in `*`.
const FLOAT_NUMBERS_RE = /^((?:[0-9]+\.){0,3})\*$/;
const FLOAT_LABEL_RE = /^([0-9]+(?:\.[0-9]+){0,3})-([0-9A-Za-z.-]*)\*$/;

function parseFloatingMin(text: string): NuGetVersion | undefined {
  if (text === '*') return parseNuGet('0.0.0');
  const numbers = FLOAT_NUMBERS_RE.exec(text);
  if (numbers) return parseNuGet(`${numbers[1]}0`);
  const label = FLOAT_LABEL_RE.exec(text);
  if (!label) return undefined;
  // "1.0.0-*" floats over every pre-release of 1.0.0: its lowest is "1.0.0-0"
  const prefix = label[2]!.replace(/\.$/, '');
  return parseNuGet(`${label[1]}-${prefix === '' ? '0' : prefix}`);
}

function parseBound(text: string, allowFloating: boolean): NuGetVersion | undefined | null {
  if (text.trim() === '') return undefined;
  if (allowFloating && text.includes('*')) return parseFloatingMin(text.trim()) ?? null;
  return parseNuGet(text) ?? null;
}

/** Parses a NuGet range; undefined when malformed. */
export function parseNuGetRange(input: string): NuGetRange | undefined {
  const value = input.trim();
  if (value === '') return undefined;
  const open = value[0];
  if (open !== '[' && open !== '(') {
    const min = parseBound(value, true);
    return min ? { min, minInclusive: true, maxInclusive: false } : undefined;
  }
  const close = value[value.length - 1];
  if (value.length < 2 || (close !== ']' && close !== ')')) return undefined;
  const parts = value.slice(1, -1).split(',');
  if (parts.length > 2 || parts.every((p) => p === '')) return undefined;
  const min = parseBound(parts[0]!, true);
  const max = parseBound(parts[parts.length - 1]!, false);
  if (min === null || max === null) return undefined;
  return { min, minInclusive: open === '[', max, maxInclusive: close === ']' };
}
