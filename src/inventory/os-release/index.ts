/**
 * `/etc/os-release` (or `/usr/lib/os-release`) as an inventory: no packages, only the asset's OS and
 * the OSV ecosystem with release that its OS packages are matched against.
 */
import { decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { getOsRelease, parseOsReleaseText } from '../os-release.js';
import type { InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

/** Reads os-release; an unknown distribution is a warning, not an error, so the asset still lands. */
function parseOsReleaseFile(file: InventoryFile): ParsedInventory {
  const text = decodeInventoryText(file);
  let fields: Record<string, string>;
  try {
    fields = parseOsReleaseText(text);
  } catch (error) {
    const [position, problem] = (error as Error).message.split(': ', 2);
    throw new InventoryParseError(file.path, position, problem ?? 'malformed');
  }
  if (!fields.ID)
    throw new InventoryParseError(file.path, undefined, 'no ID= line (truncated or not an os-release file)');
  const release = getOsRelease(fields);
  const warnings = release.osEcosystem
    ? []
    : [`${file.path}: distribution "${release.id}" has no OSV ecosystem; its OS packages cannot be matched`];
  const version = release.versionId ?? fields.VERSION_CODENAME;
  return {
    format: 'os-release',
    asset: {
      ...(release.prettyName ? { name: release.prettyName } : {}),
      ...(version ? { version } : {}),
      ...(release.osEcosystem ? { osEcosystem: release.osEcosystem } : {}),
    },
    packages: [],
    warnings,
  };
}

export const osReleaseFormat: InventoryFormat = {
  id: 'os-release',
  description: '/etc/os-release: names the distribution and release (OSV ecosystem such as Debian:12)',
  detect(fileName, head) {
    if (fileName === 'os-release' || fileName.endsWith('.os-release')) return /^ID=/m.test(head);
    return (
      /^ID=[\w"'.-]+\r?$/m.test(head) &&
      /^(?:VERSION_ID|PRETTY_NAME|NAME)=/m.test(head) &&
      !/^[{<[]/.test(head)
    );
  },
  parse: parseOsReleaseFile,
};
