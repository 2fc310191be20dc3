import type { Reference } from '../core/types.js';

/** An ISO-8601 UTC timestamp for a date string (a time without a zone is taken as UTC, as NVD writes it). */
export function toIsoDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(value) || value.length <= 10;
  const ms = Date.parse(zoned ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** References merged by URL, their tags (or OSV `type`s) united; tags in `drop` are left out. */
export function mergeReferences(
  refs: Iterable<{ url: string; tags?: string[] | null | undefined }>,
  drop: readonly string[] = [],
): Reference[] {
  const byUrl = new Map<string, Set<string>>();
  for (const ref of refs) {
    const tags = byUrl.get(ref.url) ?? new Set<string>();
    for (const tag of ref.tags ?? []) if (!drop.includes(tag)) tags.add(tag);
    byUrl.set(ref.url, tags);
  }
  return [...byUrl].map(([url, tags]) => (tags.size > 0 ? { url, tags: [...tags] } : { url }));
}
