/**
 * CycloneDX 1.2–1.6 BOMs, JSON and XML: every component with a purl (nested ones too) becomes a
 * package; `metadata.component` is the asset; an `operating-system` component names the OS release.
 */
import type { AssetKind } from '../../core/types.js';
import { getOsRelease } from '../os-release.js';
import { finishPackages, readPurl, type SourceHints } from '../sbom-package.js';
import type { AssetHint, FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';
import type { CdxComponent, CdxDocument } from './model.js';
import { readCycloneDxJson } from './read-json.js';
import { readCycloneDxXml } from './read-xml.js';

const KINDS: Readonly<Record<string, AssetKind>> = {
  container: 'container-image',
  'operating-system': 'host',
  device: 'host',
  platform: 'host',
  application: 'application',
  framework: 'application',
  library: 'application',
  firmware: 'host',
};

/** Trivy records source packages as properties; RPM sources carry epoch and release apart. */
function sourceHints(component: CdxComponent): SourceHints {
  const prop = (key: string) => component.properties.get(`aquasecurity:trivy:${key}`);
  const name = prop('SrcName');
  const version = prop('SrcVersion');
  if (!name) return {};
  const release = prop('SrcRelease');
  const epoch = prop('SrcEpoch');
  const full =
    version && `${epoch && epoch !== '0' ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;
  return { sourceName: name, ...(full ? { sourceVersion: full } : {}) };
}

function* flatten(components: CdxComponent[]): Generator<CdxComponent> {
  for (const component of components) {
    yield component;
    yield* flatten(component.components);
  }
}

function getAsset(document: CdxDocument): AssetHint {
  const subject = document.subject;
  const kind = subject?.type ? KINDS[subject.type] : undefined;
  const name = subject?.group && subject.name ? `${subject.group}/${subject.name}` : subject?.name;
  return {
    ...(name ? { name } : {}),
    ...(subject?.version ? { version: subject.version } : {}),
    ...(kind ? { kind } : {}),
  };
}

/** Turns a BOM into packages and an asset hint. */
function toInventory(document: CdxDocument): ParsedInventory {
  const asset = getAsset(document);
  const packages: FoundPackage[] = [];
  const warnings: string[] = [];
  for (const component of flatten(document.components)) {
    if (component.type === 'operating-system') {
      const os = getOsRelease({ ID: component.name ?? '', VERSION_ID: component.version ?? '' });
      if (os.osEcosystem && !asset.osEcosystem) asset.osEcosystem = os.osEcosystem;
      continue;
    }
    if (!component.purl) {
      const label = `${component.name ?? '(unnamed)'}${component.version ? `@${component.version}` : ''}`;
      if (component.type !== 'file') {
        const cpe = component.cpe ? ` (CPE ${component.cpe} only)` : '';
        warnings.push(`${component.location}: component ${label} has no purl${cpe}; skipped`);
      }
      continue;
    }
    const reading = readPurl(component.purl, component.location, sourceHints(component));
    if ('pkg' in reading) packages.push(reading.pkg);
    else warnings.push(reading.warning);
  }
  return { format: 'cyclonedx', asset, packages: finishPackages(packages, asset.osEcosystem), warnings };
}

function isXml(file: InventoryFile): boolean {
  const head = file.content
    .subarray(0, 512)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('<');
}

export const cyclonedxFormat: InventoryFormat = {
  id: 'cyclonedx',
  description: 'CycloneDX SBOM 1.2–1.6, JSON or XML (components, nested components, purls)',
  detect(_fileName, head) {
    // A JSON document must start as one: text that merely quotes a BOM (logs, snapshots) is not one.
    if (/^\uFEFF?\s*\{/.test(head) && /"bomFormat"\s*:\s*"CycloneDX"/.test(head)) return true;
    return /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<bom\b[^>]*xmlns="http:\/\/cyclonedx\.org\/schema\/bom\//.test(
      head,
    );
  },
  parse(file) {
    const document = isXml(file) ? readCycloneDxXml(file) : readCycloneDxJson(file);
    return toInventory(document);
  },
};
