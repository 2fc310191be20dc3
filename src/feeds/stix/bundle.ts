import { z } from 'zod';
import type { ExploitMaturity, ExploitSighting } from '../../core/types.js';
import { toCveId } from '../sighting-batches.js';

const SOURCE = 'stix';
const stixId = z
  .string()
  .regex(
    /^[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'expected a STIX id (type--uuid)',
  );
const timestamp = z.iso.datetime({
  message: 'expected a STIX timestamp (UTC, e.g. 2024-04-12T00:00:00.000Z)',
});
/** Relationship types that tie an object to a vulnerability it uses or detects (STIX 2.1 §5.x). */
const LINKS = new Set(['exploits', 'targets', 'indicates']);
/** Actors whose use of a vulnerability means exploitation in the wild. */
const ACTORS = new Set(['malware', 'threat-actor', 'intrusion-set', 'campaign']);

const baseSchema = z.object({ type: z.string().min(1), id: stixId });
const schemas: Readonly<Record<string, z.ZodType>> = {
  vulnerability: z.object({
    created: timestamp,
    name: z.string().optional(),
    external_references: z
      .array(z.object({ source_name: z.string(), external_id: z.string().optional() }))
      .optional(),
  }),
  relationship: z.object({
    created: timestamp,
    relationship_type: z.string().min(1),
    source_ref: stixId,
    target_ref: stixId,
  }),
  sighting: z.object({
    created: timestamp,
    sighting_of_ref: stixId,
    first_seen: timestamp.optional(),
    last_seen: timestamp.optional(),
    count: z.number().int().nonnegative().optional(),
  }),
  malware: z.object({ created: timestamp, name: z.string().optional() }),
  'threat-actor': z.object({ created: timestamp, name: z.string().optional() }),
  'intrusion-set': z.object({ created: timestamp, name: z.string().optional() }),
  campaign: z.object({ created: timestamp, name: z.string().optional() }),
  tool: z.object({ created: timestamp, name: z.string().optional() }),
  indicator: z.object({ created: timestamp, name: z.string().optional() }),
  'attack-pattern': z.object({ created: timestamp, name: z.string().optional() }),
};

interface Link {
  id: string;
  type: string;
  from: string;
  to: string;
  created: string;
}
interface Sighting {
  id: string;
  of: string;
  created: string;
  firstSeen?: string;
  lastSeen?: string;
  count?: number;
}

/** What a bundle says about CVEs, gathered object by object (only the few fields used are kept). */
export interface BundleIndex {
  cves: Map<string, string[]>;
  names: Map<string, string>;
  links: Link[];
  sightings: Sighting[];
  objects: number;
}

export function makeBundleIndex(): BundleIndex {
  return { cves: new Map(), names: new Map(), links: [], sightings: [], objects: 0 };
}

/** Adds one bundle object; returns a problem (`field: message`) when it fails its schema. */
export function addObject(index: BundleIndex, raw: unknown): string | undefined {
  index.objects++;
  const base = baseSchema.safeParse(raw);
  if (!base.success) return describe(base.error);
  const schema = schemas[base.data.type];
  if (!schema) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return describe(parsed.error);
  const { id, type } = base.data;
  const value = parsed.data as Record<string, unknown>;
  if (type === 'vulnerability') index.cves.set(id, vulnerabilityCves(value));
  else if (type === 'relationship') addLink(index, id, value);
  else if (type === 'sighting') index.sightings.push(toSighting(id, value));
  else if (typeof value.name === 'string') index.names.set(id, value.name);
  return undefined;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'object'}: ${issue?.message}`;
}

function vulnerabilityCves(value: Record<string, unknown>): string[] {
  const refs = (value.external_references ?? []) as Array<{ source_name: string; external_id?: string }>;
  const ids = refs.filter((r) => r.source_name.toLowerCase() === 'cve').map((r) => toCveId(r.external_id));
  if (ids.length === 0) ids.push(toCveId(value.name));
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

function addLink(index: BundleIndex, id: string, value: Record<string, unknown>): void {
  const type = String(value.relationship_type);
  if (LINKS.has(type))
    index.links.push({
      id,
      type,
      from: String(value.source_ref),
      to: String(value.target_ref),
      created: String(value.created),
    });
}

function toSighting(id: string, value: Record<string, unknown>): Sighting {
  const sighting: Sighting = { id, of: String(value.sighting_of_ref), created: String(value.created) };
  if (typeof value.first_seen === 'string') sighting.firstSeen = value.first_seen;
  if (typeof value.last_seen === 'string') sighting.lastSeen = value.last_seen;
  if (typeof value.count === 'number') sighting.count = value.count;
  return sighting;
}

/**
 * The exploit sightings a bundle states: each link from an object to a CVE-bearing vulnerability,
 * and each sighting of such a vulnerability or of an object linked to one. Dated by `created`.
 */
export function resolveSightings(index: BundleIndex, bundle: string): ExploitSighting[] {
  const out: ExploitSighting[] = [];
  const cvesOf = new Map<string, Set<string>>();
  for (const link of index.links) {
    const cves = index.cves.get(link.to);
    if (!cves?.length) continue;
    const from = typeOf(link.from);
    const data = definedData({
      bundle,
      relationship: link.type,
      from: link.from,
      fromName: index.names.get(link.from),
    });
    for (const cveId of cves)
      out.push(sighting(cveId, link.id, link.created, linkMaturity(from, link.type), data));
    const known = cvesOf.get(link.from) ?? new Set<string>();
    for (const cve of cves) known.add(cve);
    cvesOf.set(link.from, known);
  }
  for (const seen of index.sightings) {
    const cves = index.cves.get(seen.of) ?? [...(cvesOf.get(seen.of) ?? [])];
    const data = definedData({
      bundle,
      sightingOf: seen.of,
      sightingOfName: index.names.get(seen.of),
      firstSeen: seen.firstSeen,
      lastSeen: seen.lastSeen,
      count: seen.count,
    });
    for (const cveId of cves) out.push(sighting(cveId, seen.id, seen.created, 'active', data));
  }
  return out;
}

function typeOf(id: string): string {
  return id.slice(0, id.indexOf('--'));
}

function linkMaturity(from: string, relationship: string): ExploitMaturity | undefined {
  if (relationship === 'indicates') return undefined;
  if (ACTORS.has(from)) return 'active';
  return from === 'tool' ? 'weaponized' : undefined;
}

function sighting(
  cveId: string,
  id: string,
  created: string,
  maturity: ExploitMaturity | undefined,
  data: Record<string, unknown>,
): ExploitSighting {
  const out: ExploitSighting = {
    cveId,
    source: SOURCE,
    url: `stix:${id}`,
    seenAt: new Date(created).toISOString(),
    data,
  };
  if (maturity) out.maturity = maturity;
  return out;
}

function definedData(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
