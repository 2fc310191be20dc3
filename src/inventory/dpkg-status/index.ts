/**
 * dpkg's database of installed packages, `/var/lib/dpkg/status`: deb822 paragraphs (Debian Policy §5.1)
 * with `Package`, `Status`, `Version`, `Architecture` and an optional `Source: name (version)`.
 */
import { decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { makePurl } from '../purl.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

interface Paragraph {
  line: number;
  fields: Map<string, string>;
}

/** Splits deb822 text into paragraphs; continuation lines (leading space or tab) belong to the field above. */
function readParagraphs(path: string, text: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | undefined;
  let lastField: string | undefined;
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!current || !lastField)
        throw new InventoryParseError(path, `line ${index + 1}`, 'continuation line outside a field');
      continue; // multi-line values (Description, Conffiles) are not needed
    }
    const match = /^([!-9;-~][!-9;-~]*):(.*)$/.exec(line);
    if (!match) throw new InventoryParseError(path, `line ${index + 1}`, 'expected "Field: value"');
    if (!current) {
      current = { line: index + 1, fields: new Map() };
      paragraphs.push(current);
    }
    lastField = (match[1] as string).toLowerCase();
    current.fields.set(lastField, (match[2] as string).trim());
  }
  return paragraphs;
}

/** `Source: openssl (1.1.1n-0+deb11u3)` → name and version; the version defaults to the binary's (Policy §5.6.1). */
function readSource(value: string | undefined, name: string, version: string) {
  const match = value ? /^(\S+)(?:\s*\(([^)]+)\))?$/.exec(value) : null;
  if (!match) return { sourceName: name, sourceVersion: version };
  return { sourceName: match[1] as string, sourceVersion: (match[2] ?? version).trim() };
}

/** Whether `Status: want flag status` says the package's files are on disk (`installed`, whatever the want). */
function isInstalled(status: string): boolean {
  const words = status.split(/\s+/);
  return words.length === 3 && words[2] === 'installed';
}

function toPackage(path: string, paragraph: Paragraph): FoundPackage | undefined {
  const { fields, line } = paragraph;
  const name = fields.get('package');
  const status = fields.get('status');
  if (!name) throw new InventoryParseError(path, `line ${line}`, 'paragraph without a Package field');
  if (status === undefined)
    throw new InventoryParseError(path, `line ${line}`, `package ${name} has no Status field`);
  if (!isInstalled(status)) return undefined;
  const version = fields.get('version');
  if (!version) throw new InventoryParseError(path, `line ${line}`, `package ${name} has no Version field`);
  const arch = fields.get('architecture');
  const purl = makePurl('Debian', name, version, arch ? { arch } : {});
  return {
    ecosystem: 'Debian',
    name,
    version,
    ...readSource(fields.get('source'), name, version),
    ...(purl ? { purl } : {}),
    location: `line ${line}`,
  };
}

/** Reads a dpkg status file: installed packages only, with their source package and version. */
function parseDpkgStatus(file: InventoryFile): ParsedInventory {
  const text = decodeInventoryText(file);
  const paragraphs = readParagraphs(file.path, text);
  if (paragraphs.length === 0) throw new InventoryParseError(file.path, undefined, 'no package paragraphs');
  const packages: FoundPackage[] = [];
  for (const paragraph of paragraphs) {
    const pkg = toPackage(file.path, paragraph);
    if (pkg) packages.push(pkg);
  }
  return { format: 'dpkg-status', asset: {}, packages, warnings: [] };
}

export const dpkgStatusFormat: InventoryFormat = {
  id: 'dpkg-status',
  description: 'dpkg database of installed packages (/var/lib/dpkg/status), Debian and Ubuntu',
  detect(fileName, head) {
    if (!/^Package: \S/.test(head)) return false;
    return fileName === 'status' || /^Status: /m.test(head);
  },
  parse: parseDpkgStatus,
};
