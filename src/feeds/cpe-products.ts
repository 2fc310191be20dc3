import type { AffectedPackage } from '../core/types.js';

/**
 * Vendor/product pairs are kept as affected entries with ecosystem `CPE` and name `vendor:product`
 * (lower-case, spaces as `_`, as CPE 2.3 writes them), so the prediction model can ask which products a
 * CVE touches without a schema change. A pair with no known vendor is named `*:product`.
 */
export const PRODUCT_ECOSYSTEM = 'CPE';

/** Collects vendor/product pairs (and CPE versions) for one CVE, deduplicated. */
export class ProductSet {
  private readonly versions = new Map<string, Set<string>>();
  private readonly sources = new Map<string, Set<string>>();

  /**
   * Adds a pair as a CNA, ADP or KEV names it; placeholders such as `n/a` are ignored. `source` (e.g.
   * `cna`, `nvd-cpe`, `cisa-kev`) is remembered per pair: a pair only KEV names carries the label.
   */
  add(vendor: string | null | undefined, product: string | null | undefined, source?: string): void {
    const p = normalize(product);
    if (!p) return;
    const key = `${normalize(vendor) ?? '*'}:${p}`;
    if (!this.versions.has(key)) this.versions.set(key, new Set());
    if (source) {
      const known = this.sources.get(key) ?? new Set<string>();
      known.add(source);
      this.sources.set(key, known);
    }
  }

  /** Adds the vendor, product and version of a CPE 2.3 name (`cpe:2.3:a:vendor:product:version:…`). */
  addCpe(cpe: string, source?: string): void {
    const parts = splitCpe(cpe);
    if (!parts) return;
    const [vendor, product, version] = parts;
    this.add(vendor, product, source);
    const key = `${normalize(vendor) ?? '*'}:${normalize(product)}`;
    if (version && version !== '*' && version !== '-') this.versions.get(key)?.add(version);
  }

  /** Every pair that was added with a source → its sources, sorted. */
  getSources(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [key, sources] of this.sources) out[key] = [...sources].sort();
    return out;
  }

  /** The pairs as affected entries (`versions` holds the CPE versions named, when any). */
  toAffected(): AffectedPackage[] {
    return [...this.versions].map(([name, versions]) =>
      versions.size > 0
        ? { ecosystem: PRODUCT_ECOSYSTEM, name, versions: [...versions] }
        : { ecosystem: PRODUCT_ECOSYSTEM, name },
    );
  }
}

const PLACEHOLDERS = new Set(['', 'n/a', 'na', '-', '*', 'unknown', 'n/a n/a']);

function normalize(value: string | null | undefined): string | undefined {
  const v = value?.trim().toLowerCase().replace(/\s+/g, '_');
  return v === undefined || PLACEHOLDERS.has(v) ? undefined : v;
}

/** vendor, product, version of a CPE 2.3 formatted string, honouring `\:` escapes. */
function splitCpe(cpe: string): [string, string, string] | undefined {
  if (!cpe.startsWith('cpe:2.3:')) return undefined;
  const fields = cpe.slice(8).split(/(?<!\\):/);
  const [, vendor, product, version] = fields;
  if (!vendor || !product) return undefined;
  return [
    vendor.replace(/\\(.)/g, '$1'),
    product.replace(/\\(.)/g, '$1'),
    (version ?? '').replace(/\\(.)/g, '$1'),
  ];
}
