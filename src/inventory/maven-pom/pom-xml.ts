/**
 * Reads pom.xml safely into the few fields the maven-pom format uses. A POM never needs a DTD, so any
 * DOCTYPE or ENTITY declaration is refused outright (no entity expansion, no external entities); only
 * XML's five predefined entities are decoded. Nesting is bounded by MAX_NESTING_DEPTH.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { lineColumn } from '../decode.js';
import { InventoryParseError, MAX_NESTING_DEPTH } from '../errors.js';

/** One `<dependency>` as written, with the line of its start tag. */
export interface PomDependency {
  groupId?: string;
  artifactId?: string;
  version?: string;
  scope?: string;
  type?: string;
  /** 1-based line of the `<dependency>` start tag. */
  line: number;
}

/** The parts of a POM the format reads, as written (not yet interpolated). */
export interface PomModel {
  groupId?: string;
  artifactId?: string;
  version?: string;
  parent: { groupId?: string; artifactId?: string; version?: string };
  properties: Record<string, string>;
  dependencies: PomDependency[];
  managed: PomDependency[];
}

const ARRAY_TAGS = new Set(['dependency']);
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  removeNSPrefix: true,
  processEntities: true,
  maxNestedTags: MAX_NESTING_DEPTH,
  captureMetaData: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});
// Typed as the `Symbol` wrapper in fast-xml-parser's declarations; it is a plain symbol.
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

type XmlNode = Record<string | symbol, unknown>;

function asNode(value: unknown): XmlNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as XmlNode)
    : undefined;
}

function textOf(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value : asNode(value)?.['#text'];
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

function refuseDtd(path: string, text: string): void {
  const match = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (!match) return;
  throw new InventoryParseError(
    path,
    lineColumn(text, match.index),
    `${match[1]?.toUpperCase()} declaration refused`,
    'A pom.xml needs no DTD; entity declarations are refused to rule out entity-expansion attacks.',
  );
}

function validate(path: string, text: string): void {
  const result = XMLValidator.validate(text);
  if (result === true) return;
  const { code, msg, line, col } = result.err;
  const truncated = code === 'InvalidXml' ? ' (truncated file?)' : '';
  throw new InventoryParseError(path, `line ${line}, column ${col}`, `invalid XML: ${msg}${truncated}`);
}

/** Line of a character offset, by binary search over the line starts. */
function makeLineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

function readDependencies(node: XmlNode | undefined, lineOf: (offset: number) => number): PomDependency[] {
  const list = asNode(node?.dependencies)?.dependency;
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    const dep = asNode(item) ?? {};
    const meta = dep[META] as { startIndex?: number } | undefined;
    return {
      groupId: textOf(dep.groupId),
      artifactId: textOf(dep.artifactId),
      version: textOf(dep.version),
      scope: textOf(dep.scope),
      type: textOf(dep.type),
      line: lineOf(meta?.startIndex ?? 0),
    };
  });
}

function readProperties(node: XmlNode | undefined): Record<string, string> {
  const properties: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(asNode(node?.properties) ?? {})) {
    const text = textOf(value);
    if (text !== undefined) properties[key] = text;
  }
  return properties;
}

/** Parses pom.xml text into a PomModel; errors name the file and line. */
export function readPomXml(path: string, text: string): PomModel {
  refuseDtd(path, text);
  validate(path, text);
  let document: XmlNode;
  try {
    document = parser.parse(text) as XmlNode;
  } catch (error) {
    throw new InventoryParseError(path, undefined, `invalid XML: ${(error as Error).message}`);
  }
  const project = asNode(document.project);
  if (!project)
    throw new InventoryParseError(path, 'line 1', 'the root element is not <project>', 'Is this a pom.xml?');
  const parent = asNode(project.parent);
  const lineOf = makeLineFinder(text);
  return {
    groupId: textOf(project.groupId),
    artifactId: textOf(project.artifactId),
    version: textOf(project.version),
    parent: {
      groupId: textOf(parent?.groupId),
      artifactId: textOf(parent?.artifactId),
      version: textOf(parent?.version),
    },
    properties: readProperties(project),
    dependencies: readDependencies(project, lineOf),
    managed: readDependencies(asNode(project.dependencyManagement), lineOf),
  };
}
