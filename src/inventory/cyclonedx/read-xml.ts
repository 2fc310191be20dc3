/**
 * CycloneDX XML (1.2–1.6) → the shared model. fast-xml-parser runs with DTDs refused up front (so no
 * entity can expand), a nesting limit, and values kept as strings (`1.10` must not become `1.1`).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeInventoryText, lineColumn } from '../decode.js';
import { InventoryParseError, MAX_NESTING_DEPTH } from '../errors.js';
import type { InventoryFile } from '../types.js';
import type { CdxComponent, CdxDocument } from './model.js';

const REPEATED = new Set(['component', 'property', 'tool']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Only the five predefined entities remain once DOCTYPE is refused.
  processEntities: true,
  htmlEntities: false,
  maxNestedTags: MAX_NESTING_DEPTH,
  isArray: (tagName) => REPEATED.has(tagName),
});

type XmlNode = Record<string, unknown>;

/** Decodes numeric character references (`&#38;`, `&#x26;`), which the parser leaves as they are. */
function decodeCharRefs(value: string): string {
  return value.replace(/&#(x[0-9a-fA-F]+|\d+);/g, (whole, ref: string) => {
    const code = ref.startsWith('x') ? Number.parseInt(ref.slice(1), 16) : Number(ref);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function textOf(value: unknown): string | undefined {
  const raw = typeof value === 'object' && value !== null ? (value as XmlNode)['#text'] : value;
  if (typeof raw !== 'string') return undefined;
  const text = decodeCharRefs(raw).trim();
  return text === '' ? undefined : text;
}

function node(value: unknown): XmlNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as XmlNode)
    : undefined;
}

function readProperties(value: unknown): Map<string, string> {
  const properties = new Map<string, string>();
  for (const item of (node(value)?.property as unknown[] | undefined) ?? []) {
    const name = textOf(node(item)?.['@_name']);
    const text = textOf(item);
    if (name && text && !properties.has(name)) properties.set(name, text);
  }
  return properties;
}

function readComponent(value: unknown, location: string): CdxComponent {
  const element = node(value) ?? {};
  const field = (key: string) => textOf(element[key]);
  const entries: [keyof CdxComponent, string | undefined][] = [
    ['type', field('@_type')],
    ['name', field('name')],
    ['group', field('group')],
    ['version', field('version')],
    ['purl', field('purl')],
    ['cpe', field('cpe')],
  ];
  return {
    ...Object.fromEntries(entries.filter(([, text]) => text !== undefined)),
    properties: readProperties(element.properties),
    components: readComponents(element.components, `${location}/components`),
    location,
  };
}

function readComponents(value: unknown, location: string): CdxComponent[] {
  const list = (node(value)?.component as unknown[] | undefined) ?? [];
  return list.map((item, index) => readComponent(item, `${location}/component[${index + 1}]`));
}

function validate(path: string, text: string): void {
  // CycloneDX never needs a DTD; refusing it rules out entity expansion (billion laughs, XXE).
  const doctype = /<!(?:DOCTYPE|ENTITY)/i.exec(text);
  if (doctype)
    throw new InventoryParseError(
      path,
      lineColumn(text, doctype.index),
      'DOCTYPE/ENTITY declarations are not accepted',
    );
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    throw new InventoryParseError(path, `line ${line}, column ${col}`, `invalid XML: ${msg}`);
  }
}

/** Parses a CycloneDX XML BOM; throws when the root is not `<bom>` in a CycloneDX namespace. */
export function readCycloneDxXml(file: InventoryFile): CdxDocument {
  const text = decodeInventoryText(file);
  validate(file.path, text);
  let root: XmlNode | undefined;
  try {
    root = node(node(parser.parse(text))?.bom);
  } catch (error) {
    throw new InventoryParseError(file.path, undefined, `invalid XML: ${(error as Error).message}`);
  }
  // The parser drops xmlns attributes along with prefixes, so the namespace is read from the root tag.
  const namespace =
    /<(?:[\w.-]+:)?bom\b[^>]*?\sxmlns(?::[\w.-]+)?="http:\/\/cyclonedx\.org\/schema\/bom\/([^"]+)"/.exec(
      text,
    )?.[1];
  if (!root || !namespace) {
    throw new InventoryParseError(
      file.path,
      '/bom',
      'not a CycloneDX BOM (root must be <bom xmlns="http://cyclonedx.org/schema/bom/1.x">)',
    );
  }
  const metadata = node(root.metadata);
  const subject = metadata?.component as unknown[] | undefined;
  return {
    specVersion: namespace,
    ...(subject?.[0] ? { subject: readComponent(subject[0], '/bom/metadata/component') } : {}),
    components: readComponents(root.components, '/bom/components'),
  };
}
