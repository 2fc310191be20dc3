/**
 * patchcast's agent report (`schema: patchcast.agent-report/1`, see readme.md), and the image
 * inventories of `shared/data/fleet` (`{image, tag, os, as_of, packages}`), which share its shape.
 */
import { z } from 'zod';
import { parseInventoryJson } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { getOsRelease, withOsRelease } from '../os-release.js';
import { makePurl } from '../purl.js';
import type { AssetHint, FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

export const AGENT_REPORT_SCHEMA = 'patchcast.agent-report/1';

const text = z.string().trim().min(1).max(4096);
const sha256 = z.string().regex(/^(?:sha256:)?[0-9a-f]{64}$/i, 'expected a SHA-256 hex digest');

const packageShape = z.object({
  name: text,
  version: text,
  ecosystem: text.optional(),
  arch: text.optional(),
  // The agent writes `source`/`sourceVersion`; fleet inventories `source_name`/`source_version`.
  source: text.optional(),
  sourceVersion: text.optional(),
  source_name: text.optional(),
  source_version: text.optional(),
  // Whether a running process maps the package's files, as the agent saw it; absent: not known.
  inUse: z.boolean().optional(),
});

const osShape = z.object({ id: text, version_id: text.optional() });

const agentShape = z.object({
  schema: z.literal(AGENT_REPORT_SCHEMA),
  host: z.object({ hostname: text, id: text.optional() }),
  os: osShape,
  collectedAt: z.iso.datetime({ offset: true }),
  packages: z.array(packageShape).max(1_000_000),
  configHashes: z.record(text, sha256).optional(),
});

const fleetShape = z.object({
  image: text,
  tag: text,
  os: osShape,
  as_of: text.optional(),
  packages: z.array(packageShape).max(1_000_000),
});

type ReportPackage = z.infer<typeof packageShape>;

function toPackage(
  pkg: ReportPackage,
  index: number,
  osEcosystem: string | undefined,
): FoundPackage | undefined {
  const ecosystem = pkg.ecosystem ? withOsRelease(pkg.ecosystem, osEcosystem) : osEcosystem;
  if (!ecosystem) return undefined;
  const sourceName = pkg.source ?? pkg.source_name;
  const sourceVersion = pkg.sourceVersion ?? pkg.source_version;
  const purl = makePurl(ecosystem, pkg.name, pkg.version, pkg.arch ? { arch: pkg.arch } : {});
  return {
    ecosystem,
    name: pkg.name,
    version: pkg.version,
    ...(sourceName ? { sourceName, sourceVersion: sourceVersion ?? pkg.version } : {}),
    ...(purl ? { purl } : {}),
    ...(pkg.inUse === undefined ? {} : { inUse: pkg.inUse }),
    location: `/packages/${index}`,
  };
}

function failure(path: string, error: z.ZodError): InventoryParseError {
  const issue = error.issues[0];
  const pointer = `/${(issue?.path ?? []).map(String).join('/')}`;
  return new InventoryParseError(
    path,
    pointer,
    issue?.message ?? 'invalid agent report',
    `See src/inventory/agent-report/readme.md for the schema.`,
  );
}

function readPackages(packages: ReportPackage[], osEcosystem: string | undefined, path: string) {
  const found: FoundPackage[] = [];
  const warnings: string[] = [];
  for (const [index, pkg] of packages.entries()) {
    const item = toPackage(pkg, index, osEcosystem);
    if (item) found.push(item);
    else
      warnings.push(
        `${path}:/packages/${index}: ${pkg.name} has no ecosystem and the OS has no OSV ecosystem; skipped`,
      );
  }
  return { found, warnings };
}

/** Reads an agent report or a fleet inventory; which one is decided by the `schema` field. */
function parseAgentReport(file: InventoryFile): ParsedInventory {
  const root = parseInventoryJson(file);
  const isAgent = typeof root === 'object' && root !== null && 'schema' in root;
  const checked = isAgent ? agentShape.safeParse(root) : fleetShape.safeParse(root);
  if (!checked.success) throw failure(file.path, checked.error);
  const report = checked.data;
  const osEcosystem = getOsRelease({ ID: report.os.id, VERSION_ID: report.os.version_id ?? '' }).osEcosystem;
  const asset: AssetHint =
    'schema' in report
      ? {
          name: report.host.hostname,
          kind: 'host',
          ...(report.configHashes ? { configHashes: report.configHashes } : {}),
        }
      : { name: `${report.image}:${report.tag}`, kind: 'container-image' };
  if (osEcosystem) asset.osEcosystem = osEcosystem;
  const { found, warnings } = readPackages(report.packages, osEcosystem, file.path);
  return { format: 'agent-report', asset, packages: found, warnings };
}

export const agentReportFormat: InventoryFormat = {
  id: 'agent-report',
  description:
    'patchcast agent report (patchcast.agent-report/1) and image inventories {image, tag, os, packages}',
  detect(_fileName, head) {
    if (/"schema"\s*:\s*"patchcast\.agent-report\//.test(head)) return true;
    return /^\s*\{\s*"image"\s*:/.test(head) && /"os"\s*:\s*\{\s*"id"\s*:/.test(head);
  },
  parse: parseAgentReport,
};
