/**
 * pip requirements files: pinned requirements (`name==version`, `name===version`) with extras, markers,
 * comments, hash options and line continuations. Unpinned requirements, includes, editables and URLs are
 * skipped with a warning naming the line. See readme.md.
 */
import { decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { makeLanguagePackage, mergeDuplicates, normalizePythonName } from '../language-package.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

/** One logical line: physical lines joined at a trailing backslash, comments removed. */
interface LogicalLine {
  line: number;
  text: string;
}

/** Joins continuations and strips comments (`#` at the start or after whitespace, as pip does). */
export function getLogicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending: LogicalLine | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const continued = /(^|[^\\])\\$/.test(raw);
    const body = continued ? raw.slice(0, -1) : raw;
    pending = pending
      ? { line: pending.line, text: `${pending.text} ${body}` }
      : { line: index + 1, text: body };
    if (continued) return;
    out.push({ line: pending.line, text: pending.text.replace(/(^|\s)#.*$/, '').trim() });
    pending = undefined;
  });
  if (pending) out.push({ line: pending.line, text: pending.text.replace(/(^|\s)#.*$/, '').trim() });
  return out.filter((l) => l.text !== '');
}

// PEP 508 pieces, each matched anchored and without nested quantifiers (linear on hostile lines).
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const PINNED = /^\(?\s*===?\s*([A-Za-z0-9][A-Za-z0-9.!+_-]*)\s*\)?$/;
const CLAUSE = /^\s*(?:===|~=|==|!=|<=|>=|<|>)\s*[A-Za-z0-9.*!+_-]+\s*$/;
const URL_OR_PATH = /^(\.{0,2}\/|[a-z][a-z0-9+.-]*:\/\/|[a-z]+\+|[A-Za-z]:\\)/;
const INCLUDE = /^(-r|--requirement|-c|--constraint)(\s|=|$)/;
const EDITABLE = /^(-e|--editable)(\s|=|$)/;
/** Longest requirement (options removed) accepted; real ones are far shorter. */
const MAX_REQUIREMENT = 4096;

/** Drops per-requirement options (`--hash=…`, `--config-settings …`) that follow a requirement. */
function stripRequirementOptions(text: string): string {
  return text.replace(/\s--?[a-z][\w-]*(?:[=\s]\S+)?/g, '').trim();
}

type LineResult = { pkg: { name: string; version: string } } | { warning: string } | { ignore: true };

/** PEP 440 specifiers, optionally in parentheses: empty, or comma-separated `op version` clauses. */
function isSpecifierList(specifiers: string): boolean {
  const bare = specifiers.startsWith('(') && specifiers.endsWith(')') ? specifiers.slice(1, -1) : specifiers;
  return bare.trim() === '' || bare.split(',').every((clause) => CLAUSE.test(clause));
}

/** name [extras] specifiers [; markers] → the pinned version, a warning, or undefined (not PEP 508). */
function readRequirement(text: string): LineResult | undefined {
  const name = NAME.exec(text)?.[0];
  if (!name) return undefined;
  let rest = text.slice(name.length).trimStart();
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) return undefined;
    rest = rest.slice(close + 1).trimStart();
  }
  if (rest.startsWith('@')) return { warning: 'direct URL reference, skipped' };
  const semicolon = rest.indexOf(';');
  const specifiers = (semicolon === -1 ? rest : rest.slice(0, semicolon)).trim();
  const pinned = PINNED.exec(specifiers);
  if (pinned?.[1] && !pinned[1].includes('*')) return { pkg: { name, version: pinned[1] } };
  return isSpecifierList(specifiers) ? { warning: `${name} is not pinned with ==, skipped` } : undefined;
}

function readLine(text: string): LineResult | undefined {
  if (INCLUDE.test(text))
    return { warning: `${text.split(/[\s=]/)[0]} include not followed: scan that file too` };
  if (EDITABLE.test(text)) return { warning: 'editable requirement (local or VCS code), skipped' };
  if (text.startsWith('-')) return { ignore: true }; // global options: --index-url, --find-links, -i …
  if (URL_OR_PATH.test(text)) return { warning: 'URL or path requirement, skipped' };
  const requirement = stripRequirementOptions(text);
  return requirement.length > MAX_REQUIREMENT ? undefined : readRequirement(requirement);
}

function readRequirements(file: InventoryFile, warnings: string[]): FoundPackage[] {
  const found: FoundPackage[] = [];
  for (const { line, text } of getLogicalLines(decodeInventoryText(file))) {
    const location = `line ${line}`;
    const result = readLine(text);
    if (result === undefined) {
      const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
      throw new InventoryParseError(
        file.path,
        location,
        `not a requirement: ${JSON.stringify(shown)}`,
        'See PEP 508.',
      );
    }
    if ('warning' in result) warnings.push(`${location}: ${result.warning}`);
    if (!('pkg' in result)) continue;
    const name = normalizePythonName(result.pkg.name);
    found.push(
      makeLanguagePackage(file.path, { ecosystem: 'PyPI', name, version: result.pkg.version, location }),
    );
  }
  return found;
}

/** requirements.txt and its variants (requirements-dev.txt, dev-requirements.txt, requirements/prod.txt…). */
export const requirementsTxtFormat: InventoryFormat = {
  id: 'requirements-txt',
  description: 'pip requirements.txt (pinned == requirements)',
  detect(fileName) {
    return /^(requirements([-_.][\w.-]*)?|[\w.-]+[-_]requirements)\.txt$/i.test(fileName);
  },
  parse(file: InventoryFile): ParsedInventory {
    const warnings: string[] = [];
    const packages = mergeDuplicates(readRequirements(file, warnings));
    return { format: 'requirements-txt', asset: {}, packages, warnings };
  },
};
