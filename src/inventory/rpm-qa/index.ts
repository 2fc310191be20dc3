/**
 * Output of `rpm -qa --queryformat` in the form patchcast documents (see readme.md):
 *
 *   rpm -qa --queryformat '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'
 *
 * and the common `%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}` form (optionally followed by `%{ARCH}`).
 */
import { decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { makePurl } from '../purl.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

/** The RPM family until os-release names the distribution (see `withOsRelease`). */
const RPM_ECOSYSTEM = 'Red Hat';
const NONE = '(none)';
const TAB_LINE = /^[^\t\s]+\t(?:\(none\)|\d+)\t[^\t\s-]+\t[^\t\s-]+\t[^\t\s]+\t(?:\(none\)|\S+\.rpm)$/;
const SPACE_LINE = /^(\S+) (\d+):([^\s-]+)-([^\s-]+)(?: (\S+))?$/;

interface RpmRow {
  name: string;
  epoch?: string;
  version: string;
  release: string;
  arch?: string;
  sourceRpm?: string;
}

/** `openssl-1.0.2k-16.el7.src.rpm` → name and version-release; rpm names may hold dashes, versions not. */
export function splitSourceRpm(sourceRpm: string): { name: string; version: string } | undefined {
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm);
  return match ? { name: match[1] as string, version: `${match[2]}-${match[3]}` } : undefined;
}

function readTabLine(line: string): RpmRow {
  const [name, epoch, version, release, arch, sourceRpm] = line.split('\t') as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    name,
    version,
    release,
    ...(epoch !== NONE ? { epoch } : {}),
    ...(arch !== NONE ? { arch } : {}),
    ...(sourceRpm !== NONE ? { sourceRpm } : {}),
  };
}

function readLine(path: string, line: string, lineNo: number): RpmRow {
  if (TAB_LINE.test(line)) return readTabLine(line);
  const space = SPACE_LINE.exec(line);
  if (!space) {
    throw new InventoryParseError(
      path,
      `line ${lineNo}`,
      'expected NAME<TAB>EPOCH<TAB>VERSION<TAB>RELEASE<TAB>ARCH<TAB>SOURCERPM or "NAME EPOCHNUM:VERSION-RELEASE"',
      "Produce the file with: rpm -qa --queryformat '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n'",
    );
  }
  const [, name, epoch, version, release, arch] = space as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  return { name, epoch, version, release, ...(arch ? { arch } : {}) };
}

function toPackage(row: RpmRow, lineNo: number): FoundPackage {
  // OSV writes RPM versions as [epoch:]version-release, leaving out a zero epoch.
  const epoch = row.epoch && row.epoch !== '0' ? `${row.epoch}:` : '';
  const version = `${epoch}${row.version}-${row.release}`;
  const source = row.sourceRpm ? splitSourceRpm(row.sourceRpm) : undefined;
  const purl = makePurl(RPM_ECOSYSTEM, row.name, version, row.arch ? { arch: row.arch } : {});
  return {
    ecosystem: RPM_ECOSYSTEM,
    name: row.name,
    version,
    sourceName: source?.name ?? row.name,
    sourceVersion: source ? `${epoch}${source.version}` : version,
    ...(purl ? { purl } : {}),
    location: `line ${lineNo}`,
  };
}

/** Reads rpm -qa output; `gpg-pubkey` pseudo-packages (imported signing keys) are left out. */
function parseRpmQa(file: InventoryFile): ParsedInventory {
  const text = decodeInventoryText(file);
  const packages: FoundPackage[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const row = readLine(file.path, line, index + 1);
    if (row.name !== 'gpg-pubkey') packages.push(toPackage(row, index + 1));
  }
  if (packages.length === 0) throw new InventoryParseError(file.path, undefined, 'no packages listed');
  return { format: 'rpm-qa', asset: {}, packages, warnings: [] };
}

function isRpmQaHead(head: string): boolean {
  const lines = head
    .split(/\r?\n/)
    .slice(0, -1)
    .filter((line) => line.trim() !== '');
  if (lines.length === 0) return false;
  return (
    lines.every((line) => TAB_LINE.test(line.trim())) || lines.every((line) => SPACE_LINE.test(line.trim()))
  );
}

export const rpmQaFormat: InventoryFormat = {
  id: 'rpm-qa',
  description: 'rpm -qa --queryformat output (RHEL, CentOS, AlmaLinux, Rocky, SUSE…)',
  detect(_fileName, head) {
    return isRpmQaHead(head);
  },
  parse: parseRpmQa,
};
