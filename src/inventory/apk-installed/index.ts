/**
 * Alpine's database of installed packages, `/lib/apk/db/installed`: one record per package, records
 * separated by blank lines, each line `X:value` (apk-tools' "installed database" format).
 */
import { decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { makePurl } from '../purl.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

interface ApkRecord {
  line: number;
  fields: Map<string, string>;
}

/** Splits the database into records, keeping the first value of each one-letter key (F:/R: repeat). */
function readRecords(path: string, text: string): ApkRecord[] {
  const records: ApkRecord[] = [];
  let current: ApkRecord | undefined;
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line === '') {
      current = undefined;
      continue;
    }
    if (!/^[A-Za-z]:/.test(line))
      throw new InventoryParseError(path, `line ${index + 1}`, 'expected "X:value"');
    if (!current) {
      current = { line: index + 1, fields: new Map() };
      records.push(current);
    }
    const key = line[0] as string;
    if (!current.fields.has(key)) current.fields.set(key, line.slice(2));
  }
  return records;
}

// A checksum line is `Q1` + base64 SHA-1 (28 characters); anything else means a cut or corrupt file.
const CHECKSUM = /^Q1[A-Za-z0-9+/]{27}=$/;

function toPackage(path: string, record: ApkRecord): FoundPackage {
  const { fields, line } = record;
  const name = fields.get('P');
  const version = fields.get('V');
  if (!name) throw new InventoryParseError(path, `line ${line}`, 'record without a P: (package name) line');
  if (!version)
    throw new InventoryParseError(path, `line ${line}`, `package ${name} has no V: (version) line`);
  const checksum = fields.get('C');
  if (checksum !== undefined && !CHECKSUM.test(checksum)) {
    throw new InventoryParseError(path, `line ${line}`, `package ${name} has a malformed C: checksum`);
  }
  const arch = fields.get('A');
  const origin = fields.get('o');
  const purl = makePurl('Alpine', name, version, {
    ...(arch ? { arch } : {}),
    ...(origin ? { origin } : {}),
  });
  // Alpine advisories name the origin (aport); its version is the package's, as one aport builds them all.
  return {
    ecosystem: 'Alpine',
    name,
    version,
    sourceName: origin ?? name,
    sourceVersion: version,
    ...(purl ? { purl } : {}),
    location: `line ${line}`,
  };
}

/** Reads an apk installed database into its packages, with the origin as source package. */
function parseApkInstalled(file: InventoryFile): ParsedInventory {
  const text = decodeInventoryText(file);
  const records = readRecords(file.path, text);
  if (records.length === 0) throw new InventoryParseError(file.path, undefined, 'no package records');
  const packages = records.map((record) => toPackage(file.path, record));
  return { format: 'apk-installed', asset: {}, packages, warnings: [] };
}

export const apkInstalledFormat: InventoryFormat = {
  id: 'apk-installed',
  description: 'Alpine apk database of installed packages (/lib/apk/db/installed); also Wolfi and Chainguard',
  detect(fileName, head) {
    if (!/^[CP]:\S/.test(head) || !/^P:\S/m.test(head)) return false;
    return fileName === 'installed' || /^V:\S/m.test(head);
  },
  parse: parseApkInstalled,
};
