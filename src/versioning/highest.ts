import { getVersionScheme } from './ecosystems.js';

/**
 * The highest of `versions` by the ecosystem's own version order (dpkg for Debian, PEP 440 for PyPI…),
 * so that installing it closes every finding that needs any of them. Versions the scheme cannot read,
 * or an ecosystem without a scheme, fall back to plain text order after the valid ones.
 */
export function getHighestVersion(ecosystem: string, versions: Iterable<string>): string | undefined {
  const list = [...new Set(versions)];
  if (list.length <= 1) return list[0];
  const compare = getComparator(ecosystem);
  let best = list[0] as string;
  for (const v of list.slice(1)) if (compare(v, best) > 0) best = v;
  return best;
}

/** The lowest of `versions` by the ecosystem's order (the same fallback as `getHighestVersion`). */
export function getLowestVersion(ecosystem: string, versions: Iterable<string>): string | undefined {
  const list = [...new Set(versions)];
  if (list.length <= 1) return list[0];
  const compare = getComparator(ecosystem);
  let best = list[0] as string;
  for (const v of list.slice(1)) if (compare(v, best) < 0) best = v;
  return best;
}

function getComparator(ecosystem: string): (a: string, b: string) => number {
  let scheme: ReturnType<typeof getVersionScheme> | undefined;
  try {
    scheme = getVersionScheme(ecosystem);
  } catch {
    scheme = undefined;
  }
  return (a, b) => {
    const okA = scheme?.isValid(a) ?? false;
    const okB = scheme?.isValid(b) ?? false;
    if (scheme && okA && okB) return scheme.compare(a, b);
    if (okA !== okB) return okA ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  };
}
