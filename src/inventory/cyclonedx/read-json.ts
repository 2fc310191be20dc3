/** CycloneDX JSON (1.2–1.6) → the shared model. */
import { asList, asRecord, asText, parseInventoryJson } from '../decode.js';
import { InventoryParseError, MAX_NESTING_DEPTH } from '../errors.js';
import type { InventoryFile } from '../types.js';
import type { CdxComponent, CdxDocument } from './model.js';

function readProperties(value: unknown): Map<string, string> {
  const properties = new Map<string, string>();
  for (const item of asList(value)) {
    const record = asRecord(item);
    const name = asText(record?.name);
    const text = asText(record?.value);
    if (name && text && !properties.has(name)) properties.set(name, text);
  }
  return properties;
}

function readComponent(path: string, value: unknown, location: string, depth: number): CdxComponent {
  if (depth > MAX_NESTING_DEPTH) {
    throw new InventoryParseError(
      path,
      location,
      `components nested deeper than ${MAX_NESTING_DEPTH} levels`,
    );
  }
  const record = asRecord(value);
  if (!record) throw new InventoryParseError(path, location, 'component is not an object');
  const text = (key: string) => asText(record[key]);
  return {
    ...(text('type') ? { type: text('type') } : {}),
    ...(text('name') ? { name: text('name') } : {}),
    ...(text('group') ? { group: text('group') } : {}),
    ...(text('version') ? { version: text('version') } : {}),
    ...(text('purl') ? { purl: text('purl') } : {}),
    ...(text('cpe') ? { cpe: text('cpe') } : {}),
    properties: readProperties(record.properties),
    components: readComponents(path, record.components, `${location}/components`, depth + 1),
    location,
  };
}

function readComponents(path: string, value: unknown, location: string, depth: number): CdxComponent[] {
  if (value !== undefined && !Array.isArray(value)) {
    throw new InventoryParseError(path, location, 'components must be an array');
  }
  return asList(value).map((item, index) => readComponent(path, item, `${location}/${index}`, depth));
}

/** Parses a CycloneDX JSON BOM; throws when `bomFormat` is not `CycloneDX`. */
export function readCycloneDxJson(file: InventoryFile): CdxDocument {
  const root = asRecord(parseInventoryJson(file));
  if (root?.bomFormat !== 'CycloneDX') {
    throw new InventoryParseError(
      file.path,
      '/bomFormat',
      'not a CycloneDX BOM (bomFormat is not "CycloneDX")',
    );
  }
  const metadata = asRecord(root.metadata);
  const subject = metadata?.component
    ? readComponent(file.path, metadata.component, '/metadata/component', 1)
    : undefined;
  const specVersion = asText(root.specVersion);
  return {
    ...(specVersion ? { specVersion } : {}),
    ...(subject ? { subject } : {}),
    components: readComponents(file.path, root.components, '/components', 1),
  };
}
