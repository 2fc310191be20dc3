import { PatchcastError } from '../../core/errors.js';
import type { VexProduct, VexStatement, VexStatus } from './types.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function invalid(file: string, where: string, problem: string): PatchcastError {
  return new PatchcastError('INPUT_INVALID', `${file}: ${where}: ${problem}`, {
    details: { file, position: where },
  });
}

/** Reads a VEX document (CycloneDX with `vulnerabilities[].analysis`, OpenVEX, or CSAF `csaf_vex`). */
export function parseVexDocument(file: string, text: string): VexStatement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw invalid(file, 'document', `not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(doc)) throw invalid(file, 'document', 'expected a JSON object');
  assertVexDepth(file, doc);
  if (doc.bomFormat === 'CycloneDX') return parseCycloneDx(file, doc);
  if (typeof doc['@context'] === 'string' && doc['@context'].includes('openvex'))
    return parseOpenVex(file, doc);
  if (isObject(doc.document) && doc.document.category === 'csaf_vex') return parseCsaf(file, doc);
  throw invalid(
    file,
    'document',
    'not a VEX document: expected CycloneDX (bomFormat), OpenVEX (@context) or CSAF (document.category csaf_vex)',
  );
}

/** Deepest nesting a VEX document may have (CSAF product trees are the deepest real ones, about 10). */
const MAX_VEX_DEPTH = 200;

/**
 * Refuses a document nested deeper than MAX_VEX_DEPTH, walked without recursion: the readers below
 * turn ids into text (`String`, `JSON.stringify`), which recurses through hostile nesting until the
 * stack runs out.
 */
function assertVexDepth(file: string, doc: Json): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: doc, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= MAX_VEX_DEPTH)
      throw invalid(file, 'document', `nested deeper than ${MAX_VEX_DEPTH} levels`);
    for (const child of Object.values(item.value)) stack.push({ value: child, depth: item.depth + 1 });
  }
}

const CDX_STATE: Record<string, VexStatus> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

function parseCycloneDx(file: string, doc: Json): VexStatement[] {
  const refs = collectCdxRefs(doc);
  const out: VexStatement[] = [];
  asArray(doc.vulnerabilities).forEach((raw, i) => {
    if (!isObject(raw) || !isObject(raw.analysis)) return;
    const where = `vulnerabilities[${i}]`;
    const id = asString(raw.id);
    const state = asString(raw.analysis.state);
    if (!id) throw invalid(file, `${where}.id`, 'missing');
    if (!state || !CDX_STATE[state])
      throw invalid(file, `${where}.analysis.state`, `unknown state ${JSON.stringify(state)}`);
    for (const affects of asArray(raw.affects)) {
      if (!isObject(affects)) continue;
      const product = resolveCdxRef(asString(affects.ref) ?? '', refs);
      const versions = asArray(affects.versions).filter(isObject);
      if (versions.length === 0)
        out.push(makeStatement(file, id, [product], CDX_STATE[state] as VexStatus, raw.analysis, state));
      for (const v of versions) {
        const status =
          asString(v.status) === 'unaffected'
            ? 'not_affected'
            : asString(v.status) === 'affected'
              ? 'affected'
              : 'under_investigation';
        const version = asString(v.version);
        const range = asString(v.range);
        const scoped: VexProduct = version
          ? { ...product, version }
          : range
            ? { ...product, range }
            : product;
        out.push(makeStatement(file, id, [scoped], status, raw.analysis, state));
      }
    }
  });
  return out;
}

function makeStatement(
  file: string,
  vulnerability: string,
  products: VexProduct[],
  status: VexStatus,
  analysis: Json,
  state: string,
): VexStatement {
  const statement: VexStatement = { vulnerability, products, status, source: file };
  const justification =
    asString(analysis.justification) ?? (state === 'false_positive' ? 'false_positive' : undefined);
  if (justification) statement.justification = justification;
  const detail = asString(analysis.detail);
  if (detail) statement.detail = detail;
  return statement;
}

/** bom-ref → product: the BOM's subject and every component with a bom-ref, in document order. */
function collectCdxRefs(doc: Json): Map<string, VexProduct> {
  const refs = new Map<string, VexProduct>();
  // An explicit stack, not recursion: a hostile BOM nests components 100,000 deep.
  const stack: unknown[] = [];
  const pushReversed = (list: unknown[]) => {
    for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]);
  };
  pushReversed(asArray(doc.components));
  if (isObject(doc.metadata)) stack.push(doc.metadata.component);
  while (stack.length > 0) {
    const c = stack.pop();
    if (!isObject(c)) continue;
    const ref = asString(c['bom-ref']);
    const product: VexProduct = {};
    const purl = asString(c.purl);
    const name = asString(c.name);
    const version = asString(c.version);
    if (purl) product.purl = purl;
    if (name) product.name = name;
    if (version) product.version = version;
    if (ref) refs.set(ref, product);
    pushReversed(asArray(c.components));
  }
  return refs;
}

/** A ref is a local bom-ref, a BOM-Link (`urn:cdx:serial/version#ref`), or itself a purl. */
function resolveCdxRef(ref: string, refs: Map<string, VexProduct>): VexProduct {
  const local = ref.startsWith('urn:cdx:') ? ref.slice(ref.indexOf('#') + 1) : ref;
  const decoded = decodeRef(local);
  const known = refs.get(local) ?? refs.get(decoded);
  if (known) return known;
  if (local.startsWith('pkg:')) return { purl: decoded };
  return { name: local.replace(/^product-/, '') };
}

/** A percent-encoded ref decoded; a malformed escape (`%zz`) is kept as written, as it cannot mean anything else. */
function decodeRef(ref: string): string {
  try {
    return decodeURIComponent(ref);
  } catch {
    return ref;
  }
}

const OPENVEX_STATUS = new Set<VexStatus>(['not_affected', 'affected', 'fixed', 'under_investigation']);

function parseOpenVex(file: string, doc: Json): VexStatement[] {
  return asArray(doc.statements).map((raw, i) => {
    const where = `statements[${i}]`;
    if (!isObject(raw)) throw invalid(file, where, 'expected an object');
    const vuln = isObject(raw.vulnerability) ? asString(raw.vulnerability.name) : asString(raw.vulnerability);
    if (!vuln) throw invalid(file, `${where}.vulnerability`, 'missing');
    const status = asString(raw.status) as VexStatus | undefined;
    if (!status || !OPENVEX_STATUS.has(status))
      throw invalid(file, `${where}.status`, `unknown status ${JSON.stringify(raw.status)}`);
    const products = asArray(raw.products).map(toOpenVexProduct);
    const statement: VexStatement = { vulnerability: vuln, products, status, source: file };
    const justification = asString(raw.justification);
    const detail =
      asString(raw.impact_statement) ?? asString(raw.status_notes) ?? asString(raw.action_statement);
    const timestamp = asString(raw.timestamp) ?? asString(doc.timestamp);
    if (justification) statement.justification = justification;
    if (detail) statement.detail = detail;
    if (timestamp) statement.timestamp = timestamp;
    return statement;
  });
}

function toOpenVexProduct(raw: unknown): VexProduct {
  const id = isObject(raw) ? (asString(raw['@id']) ?? '') : (asString(raw) ?? '');
  const product: VexProduct = id.startsWith('pkg:') ? { purl: id } : { name: id };
  const subs = isObject(raw)
    ? asArray(raw.subcomponents)
        .map((s) => (isObject(s) ? asString(s['@id']) : asString(s)))
        .filter((s): s is string => Boolean(s))
    : [];
  if (subs.length > 0) product.subcomponents = subs;
  return product;
}

const CSAF_STATUS: Record<string, VexStatus> = {
  known_not_affected: 'not_affected',
  fixed: 'fixed',
  first_fixed: 'fixed',
  known_affected: 'affected',
  first_affected: 'affected',
  last_affected: 'affected',
  under_investigation: 'under_investigation',
};

function parseCsaf(file: string, doc: Json): VexStatement[] {
  const products = collectCsafProducts(doc.product_tree);
  const out: VexStatement[] = [];
  asArray(doc.vulnerabilities).forEach((raw, i) => {
    if (!isObject(raw)) return;
    const id = asString(raw.cve) ?? asString(asArray(raw.ids).filter(isObject)[0]?.text);
    if (!id) throw invalid(file, `vulnerabilities[${i}]`, 'no cve or ids');
    const flags = asArray(raw.flags).filter(isObject);
    const threats = asArray(raw.threats).filter(isObject);
    for (const [key, status] of Object.entries(CSAF_STATUS)) {
      const ids = isObject(raw.product_status) ? asArray(raw.product_status[key]) : [];
      for (const pid of ids) {
        const productId = String(pid);
        const statement: VexStatement = {
          vulnerability: id,
          products: [products.get(productId) ?? { name: productId }],
          status,
          source: file,
        };
        const flag = flags.find((f) => asArray(f.product_ids).includes(productId));
        const threat = threats.find(
          (t) => t.category === 'impact' && asArray(t.product_ids).includes(productId),
        );
        if (flag && asString(flag.label)) statement.justification = asString(flag.label) as string;
        if (threat && asString(threat.details)) statement.detail = asString(threat.details) as string;
        out.push(statement);
      }
    }
  });
  return out;
}

/** product_id → product, walking the branches and full_product_names of a CSAF product tree. */
function collectCsafProducts(tree: unknown): Map<string, VexProduct> {
  const out = new Map<string, VexProduct>();
  const addProduct = (p: unknown) => {
    if (!isObject(p)) return;
    const id = asString(p.product_id);
    if (!id) return;
    const product: VexProduct = {};
    const name = asString(p.name);
    const purl = isObject(p.product_identification_helper)
      ? asString(p.product_identification_helper.purl)
      : undefined;
    if (name) product.name = name;
    if (purl) product.purl = purl;
    out.set(id, product);
  };
  const walk = (branch: unknown, depth: number) => {
    if (!isObject(branch) || depth > 50) return;
    addProduct(branch.product);
    for (const b of asArray(branch.branches)) walk(b, depth + 1);
  };
  if (isObject(tree)) {
    for (const b of asArray(tree.branches)) walk(b, 0);
    asArray(tree.full_product_names).forEach(addProduct);
  }
  return out;
}
