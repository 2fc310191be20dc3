/**
 * Gradle's dependency lock state, gradle.lockfile (and buildscript-gradle.lockfile): one
 * `group:artifact:version=configuration,…` line per locked module. See readme.md.
 */

import { decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { assertField, getBaseName, makeFoundPackage, splitLines } from '../found-package.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const GRADLE_HEADER = 'Gradle generated file for dependency locking';

/** A Maven group or artifact id: Maven's model validator allows `[A-Za-z0-9_\-.]+` (ID_REGEX). */
const MAVEN_ID = /^[A-Za-z0-9_.-]+$/;
/** A version: no whitespace, quotes or markup (an XML or JSON file named gradle.lockfile is not one). */
const VERSION = /^[^\s"'<>{}\\]+$/;

function isTestConfiguration(configuration: string): boolean {
  return /^test[A-Z]/.test(configuration);
}

function readLine(file: InventoryFile, line: string, lineNumber: number): FoundPackage | undefined {
  const location = `line ${lineNumber}`;
  const equals = line.lastIndexOf('=');
  const coordinates = equals === -1 ? line : line.slice(0, equals);
  // `empty=a,b` lists configurations that resolve to nothing.
  if (coordinates === 'empty') return undefined;
  const parts = coordinates.split(':');
  if (equals === -1 || parts.length !== 3 || parts.some((part) => part.trim() === '')) {
    throw new InventoryParseError(file.path, location, 'not a group:artifact:version=configurations line');
  }
  const [group, artifact, version] = parts.map((part) => part.trim()) as [string, string, string];
  if (!MAVEN_ID.test(group) || !MAVEN_ID.test(artifact) || !VERSION.test(version)) {
    throw new InventoryParseError(
      file.path,
      location,
      'not a group:artifact:version=configurations line (a group or artifact id is letters, digits, _ - .)',
    );
  }
  assertField(file.path, location, 'module name', `${group}:${artifact}`);
  assertField(file.path, location, 'version', version);
  const configurations = line
    .slice(equals + 1)
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const dev = configurations.length > 0 && configurations.every(isTestConfiguration);
  return makeFoundPackage({ ecosystem: 'Maven', name: `${group}:${artifact}`, version, location, dev });
}

/** gradle.lockfile → Maven packages `group:artifact`; modules locked only for test configurations are dev. */
export const gradleLockfileFormat: InventoryFormat = {
  id: 'gradle-lockfile',
  description: 'Gradle dependency lock file (gradle.lockfile)',
  detect(fileName, head) {
    const name = getBaseName(fileName);
    return name.endsWith('gradle.lockfile') || (name.endsWith('.lockfile') && head.includes(GRADLE_HEADER));
  },
  parse(file: InventoryFile): ParsedInventory {
    const lines = splitLines(decodeInventoryText(file));
    const packages: FoundPackage[] = [];
    lines.forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const found = readLine(file, line, index + 1);
      if (found) packages.push(found);
    });
    return { format: 'gradle-lockfile', asset: {}, packages, warnings: [] };
  },
};
