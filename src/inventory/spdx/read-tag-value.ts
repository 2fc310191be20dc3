/** SPDX 2.x tag-value (`Tag: value`, multi-line values in `<text>…</text>`) → the shared model. */
import { InventoryParseError } from '../errors.js';
import { normalizePurpose, type SpdxDocument, type SpdxPackage } from './model.js';

interface Tag {
  tag: string;
  value: string;
  line: number;
}

/** Splits the text into tags, joining `<text>` blocks; an unclosed block means a cut file. */
function readTags(path: string, text: string): Tag[] {
  const tags: Tag[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z][\w-]*):\s?(.*)$/.exec(line);
    if (!match) throw new InventoryParseError(path, `line ${i + 1}`, 'expected "Tag: value"');
    let value = match[2] as string;
    const start = i;
    if (value.startsWith('<text>') && !value.includes('</text>')) {
      while (++i < lines.length && !(lines[i] as string).includes('</text>'));
      if (i >= lines.length)
        throw new InventoryParseError(path, `line ${start + 1}`, '<text> block is never closed');
      value = '<text>';
    }
    tags.push({ tag: match[1] as string, value: value.trim(), line: start + 1 });
  }
  return tags;
}

function applyTag(pkg: SpdxPackage, { tag, value }: Tag): void {
  if (tag === 'SPDXID') pkg.id = value;
  else if (tag === 'PackageVersion') pkg.version = value;
  else if (tag === 'PrimaryPackagePurpose') pkg.purpose = normalizePurpose(value) ?? value;
  else if (tag === 'ExternalRef') {
    const [category, type, locator] = value.split(/\s+/);
    if (category?.replace('_', '-') === 'PACKAGE-MANAGER' && type === 'purl' && locator)
      pkg.purls.push(locator);
  }
}

/** Reads an SPDX 2.x tag-value document; tags outside a package section (files, snippets) are ignored. */
export function readSpdxTagValue(path: string, text: string): SpdxDocument {
  const tags = readTags(path, text);
  if (!tags.some((t) => t.tag === 'SPDXVersion'))
    throw new InventoryParseError(path, undefined, 'no SPDXVersion tag');
  const packages: SpdxPackage[] = [];
  const describes: string[] = [];
  let current: SpdxPackage | undefined;
  for (const tag of tags) {
    if (tag.tag === 'PackageName') {
      current = { id: `line ${tag.line}`, name: tag.value, purls: [], location: `line ${tag.line}` };
      packages.push(current);
    } else if (tag.tag === 'FileName' || tag.tag === 'SnippetSPDXID' || tag.tag === 'LicenseID') {
      current = undefined;
    } else if (tag.tag === 'Relationship') {
      const [from, kind, to] = tag.value.split(/\s+/);
      if (from === 'SPDXRef-DOCUMENT' && kind === 'DESCRIBES' && to) describes.push(to);
    } else if (tag.tag === 'DocumentDescribes') {
      describes.push(...tag.value.split(/[\s,]+/).filter(Boolean));
    } else if (current) applyTag(current, tag);
  }
  return { packages, describes };
}
