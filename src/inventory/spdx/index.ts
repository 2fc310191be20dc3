/**
 * SPDX SBOMs: 2.2/2.3 JSON, 2.x tag-value and 3.0 JSON-LD. Packages with a purl (external reference
 * `PACKAGE-MANAGER purl`, or 3.0's `software_packageUrl`) become packages; the described package is
 * the asset; an `OPERATING-SYSTEM` package names the OS release.
 */
import type { AssetKind } from '../../core/types.js';
import { asRecord, decodeInventoryText, parseJsonText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { getOsRelease } from '../os-release.js';
import { finishPackages, readPurl } from '../sbom-package.js';
import type { AssetHint, FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';
import type { SpdxDocument, SpdxPackage } from './model.js';
import { readSpdx2Json, readSpdx3Json } from './read-json.js';
import { readSpdxTagValue } from './read-tag-value.js';

const KINDS: Readonly<Record<string, AssetKind>> = {
  CONTAINER: 'container-image',
  'OPERATING-SYSTEM': 'host',
  DEVICE: 'host',
  FIRMWARE: 'host',
  APPLICATION: 'application',
  FRAMEWORK: 'application',
  LIBRARY: 'application',
};

const SPDX3_CONTEXT = /"@context"\s*:\s*"https:\/\/spdx\.org\/rdf\/3\./;

function readDocument(file: InventoryFile): SpdxDocument {
  const text = decodeInventoryText(file);
  if (!text.trimStart().startsWith('{')) return readSpdxTagValue(file.path, text);
  const root = asRecord(parseJsonText(file.path, text));
  if (root && typeof root.spdxVersion === 'string' && root.spdxVersion.startsWith('SPDX-2.'))
    return readSpdx2Json(root);
  if (root && Array.isArray(root['@graph']) && SPDX3_CONTEXT.test(text.slice(0, 4096)))
    return readSpdx3Json(root);
  throw new InventoryParseError(
    file.path,
    '/spdxVersion',
    'not an SPDX 2.x JSON or SPDX 3.0 JSON-LD document',
  );
}

function getAsset(document: SpdxDocument): AssetHint {
  const subject = document.packages.find((pkg) => document.describes.includes(pkg.id));
  if (!subject) return {};
  const kind = subject.purpose ? KINDS[subject.purpose] : undefined;
  return {
    ...(subject.name ? { name: subject.name } : {}),
    ...(subject.version ? { version: subject.version } : {}),
    ...(kind ? { kind } : {}),
  };
}

function readPackage(pkg: SpdxPackage, packages: FoundPackage[], warnings: string[]): void {
  const purl = pkg.purls[0];
  if (!purl) {
    warnings.push(`${pkg.location}: package ${pkg.name ?? pkg.id} has no purl external reference; skipped`);
    return;
  }
  const reading = readPurl(purl, pkg.location);
  if ('pkg' in reading) packages.push(reading.pkg);
  else warnings.push(reading.warning);
}

/** Turns the document into packages and an asset hint. */
function toInventory(document: SpdxDocument): ParsedInventory {
  const asset = getAsset(document);
  const packages: FoundPackage[] = [];
  const warnings: string[] = [];
  for (const pkg of document.packages) {
    if (pkg.purpose === 'OPERATING-SYSTEM' && pkg.purls.length === 0) {
      const os = getOsRelease({ ID: pkg.name ?? '', VERSION_ID: pkg.version ?? '' });
      if (os.osEcosystem && !asset.osEcosystem) asset.osEcosystem = os.osEcosystem;
      continue;
    }
    // The subject is the asset itself; without a purl it is no package to match.
    if (document.describes.includes(pkg.id) && pkg.purls.length === 0) continue;
    readPackage(pkg, packages, warnings);
  }
  return { format: 'spdx', asset, packages: finishPackages(packages, asset.osEcosystem), warnings };
}

export const spdxFormat: InventoryFormat = {
  id: 'spdx',
  description: 'SPDX SBOM: 2.2/2.3 JSON, 2.x tag-value, 3.0 JSON-LD (packages with purls)',
  detect(_fileName, head) {
    // JSON must start as a JSON object, tag-value with its SPDXVersion (after comments or blank lines).
    const json = /^\uFEFF?\s*\{/.test(head);
    if (json && /"spdxVersion"\s*:\s*"SPDX-2\.\d+"/.test(head)) return true;
    if (json && SPDX3_CONTEXT.test(head)) return true;
    return /^\uFEFF?(?:[ \t]*(?:#[^\n]*)?\r?\n)*SPDXVersion:[ \t]*SPDX-2\.\d+/.test(head);
  },
  parse(file) {
    return toInventory(readDocument(file));
  },
};
