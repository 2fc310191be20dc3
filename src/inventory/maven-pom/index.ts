/**
 * Maven's pom.xml, read on its own: the `<dependencies>` and `<dependencyManagement>` entries whose
 * versions the file itself states, literally or through `${property}` references to its own
 * `<properties>`, project and parent coordinates. No network, no parent POM, no BOM. See readme.md.
 */
import { decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { assertField, getBaseName, MAX_FIELD_LENGTH, makeFoundPackage } from '../found-package.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';
import { type PomDependency, type PomModel, readPomXml } from './pom-xml.js';

/** Property references are followed this many levels deep (a cycle stops here, unresolved). */
const MAX_INTERPOLATION_ROUNDS = 10;

/** The properties a POM can reference without fetching anything (Maven model builder's `project.*`). */
export function getPomProperties(model: PomModel): Map<string, string> {
  const values = new Map<string, string>(Object.entries(model.properties));
  const version = model.version ?? model.parent.version;
  const groupId = model.groupId ?? model.parent.groupId;
  const builtins: [string, string | undefined][] = [
    ['project.version', version],
    ['pom.version', version],
    ['version', version],
    ['project.groupId', groupId],
    ['pom.groupId', groupId],
    ['project.artifactId', model.artifactId],
    ['project.parent.version', model.parent.version],
    ['parent.version', model.parent.version],
    ['project.parent.groupId', model.parent.groupId],
    ['parent.groupId', model.parent.groupId],
  ];
  for (const [key, value] of builtins) if (value !== undefined && !values.has(key)) values.set(key, value);
  return values;
}

/** Replaces `${name}` references; undefined when one stays unresolved (unknown, or a cycle). */
export function interpolate(value: string, properties: ReadonlyMap<string, string>): string | undefined {
  let current = value;
  for (let round = 0; round < MAX_INTERPOLATION_ROUNDS && current.includes('${'); round++) {
    current = current.replace(
      /\$\{([^}]+)\}/g,
      (whole, name: string) => properties.get(name.trim()) ?? whole,
    );
    // Properties that expand each other exponentially are hostile, not a version.
    if (current.length > MAX_FIELD_LENGTH) return undefined;
  }
  return current.includes('${') ? undefined : current;
}

/** `[1.0,2.0)`, `(,1.5]`, `[1.2]`: a Maven version range, not an exact version. */
function isVersionRange(version: string): boolean {
  return /^[[(]/.test(version) || version.includes(',');
}

interface Context {
  file: InventoryFile;
  properties: Map<string, string>;
  managedVersions: Map<string, string>;
  warnings: string[];
}

function skip(context: Context, location: string, what: string, why: string): undefined {
  context.warnings.push(`${context.file.path}:${location}: skipped ${what}: ${why}`);
  return undefined;
}

function readDependency(
  context: Context,
  dep: PomDependency,
  where: string,
  direct: boolean,
): FoundPackage | undefined {
  const location = `line ${dep.line} (${where})`;
  const groupId = dep.groupId && interpolate(dep.groupId, context.properties);
  const artifactId = dep.artifactId && interpolate(dep.artifactId, context.properties);
  if (!groupId || !artifactId) {
    return skip(
      context,
      location,
      `${dep.groupId ?? '?'}:${dep.artifactId ?? '?'}`,
      'groupId or artifactId missing or unresolved',
    );
  }
  const name = `${groupId}:${artifactId}`;
  if (dep.scope === 'import') return skip(context, location, name, 'an imported BOM, which is not fetched');
  const written = dep.version ?? context.managedVersions.get(name);
  if (!written)
    return skip(context, location, name, 'no version here (it comes from a parent POM or BOM, not fetched)');
  const version = interpolate(written, context.properties);
  if (!version)
    return skip(context, location, name, `version ${written} is not resolvable from this file's properties`);
  if (isVersionRange(version))
    return skip(context, location, name, `version ${version} is a range, not an exact version`);
  assertField(context.file.path, location, 'artifact name', name);
  assertField(context.file.path, location, 'version', version);
  return makeFoundPackage({ ecosystem: 'Maven', name, version, location, direct, dev: dep.scope === 'test' });
}

/** `groupId:artifactId` → version as dependencyManagement states it (still uninterpolated). */
function getManagedVersions(model: PomModel, properties: ReadonlyMap<string, string>): Map<string, string> {
  const versions = new Map<string, string>();
  for (const dep of model.managed) {
    const name = `${interpolate(dep.groupId ?? '', properties)}:${interpolate(dep.artifactId ?? '', properties)}`;
    if (dep.version && !versions.has(name)) versions.set(name, dep.version);
  }
  return versions;
}

function readPackages(context: Context, model: PomModel): FoundPackage[] {
  const packages: FoundPackage[] = [];
  const seen = new Set<string>();
  const add = (found: FoundPackage | undefined) => {
    if (!found || seen.has(`${found.name}@${found.version}`)) return;
    seen.add(`${found.name}@${found.version}`);
    packages.push(found);
  };
  for (const dep of model.dependencies) add(readDependency(context, dep, 'dependencies', true));
  // Managed entries pin a version wherever the artifact appears in the tree; those not used directly are reported as indirect.
  for (const dep of model.managed) add(readDependency(context, dep, 'dependencyManagement', false));
  return packages;
}

/** pom.xml → Maven packages `groupId:artifactId` with explicit versions; test scope marked dev. */
export const mavenPomFormat: InventoryFormat = {
  id: 'maven-pom',
  description: 'Maven pom.xml (dependencies with versions stated in the file; no parent or network)',
  detect(fileName, head) {
    const name = getBaseName(fileName);
    return name === 'pom.xml' || (name.endsWith('.pom') && head.includes('<project'));
  },
  parse(file: InventoryFile): ParsedInventory {
    const text = decodeInventoryText(file);
    const model = readPomXml(file.path, text);
    const properties = getPomProperties(model);
    const managedVersions = getManagedVersions(model, properties);
    const context: Context = { file, properties, managedVersions, warnings: [] };
    const packages = readPackages(context, model);
    const groupId = model.groupId ?? model.parent.groupId;
    if (!model.artifactId)
      throw new InventoryParseError(file.path, 'line 1', '<project> has no <artifactId>');
    const written = model.version ?? model.parent.version;
    const version = written && (interpolate(written, properties) ?? written);
    const asset = {
      name: groupId ? `${groupId}:${model.artifactId}` : model.artifactId,
      ...(version ? { version } : {}),
    };
    return { format: 'maven-pom', asset, packages, warnings: context.warnings };
  },
};
