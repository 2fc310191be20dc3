/**
 * An asset registry as CSV (header row) or YAML (a list, or `assets:` holding one): one asset per row
 * with kind, environment, criticality, exposure, classification, owner, services, tags and window
 * group. It yields assets, not packages; errors name the file, line and column.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { assertYamlDepth, decodeInventoryText } from '../decode.js';
import { InventoryParseError } from '../errors.js';
import { throwFirstSyntaxError } from '../lockfile-reader.js';
import type { AssetRecord, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';
import { assetRowShape, getFieldOfColumn, toAssetRecord } from './row.js';

interface RawRow {
  values: Record<string, unknown>;
  /** Position of the row, and of each field's cell, for error messages. */
  where: string;
  fieldWhere: (field: string) => string;
}

function checkRow(path: string, row: RawRow): AssetRecord {
  const checked = assetRowShape.safeParse(row.values);
  if (checked.success) return toAssetRecord(checked.data, row.where);
  const issue = (checked.error as z.ZodError).issues[0];
  const field = String(issue?.path[0] ?? '');
  throw new InventoryParseError(
    path,
    row.fieldWhere(field),
    `${field || 'row'}: ${issue?.message ?? 'invalid'}`,
  );
}

/** Windows, Unix and classic Mac line endings, `\r\n` first so that it is one delimiter, not two. */
const RECORD_DELIMITERS = ['\r\n', '\n', '\r'];

function readCsvRows(path: string, text: string): RawRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      info: true,
      skip_empty_lines: true,
      bom: true,
      comment: '#',
      comment_no_infix: true,
      // Named, not discovered: csv-parse discovers the line ending by allocating three buffers at
      // every character until the first one, so a 2.5 MB first line took over a second (bench/fuzz).
      record_delimiter: RECORD_DELIMITERS,
    }) as unknown as typeof records;
  } catch (error) {
    const e = error as { message: string; lines?: number; column?: number };
    throw new InventoryParseError(path, `line ${e.lines ?? '?'}`, `invalid CSV: ${e.message}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new InventoryParseError(path, undefined, 'empty file: expected a header row');
  const fields = header.record.map(getFieldOfColumn);
  if (!fields.includes('id'))
    throw new InventoryParseError(path, 'line 1', 'no id or hostname column in the header');
  return rows.map(({ record, info }) => {
    const values: Record<string, unknown> = {};
    record.forEach((cell, index) => {
      const field = fields[index];
      if (field) values[field] = cell;
    });
    const column = (field: string) => fields.indexOf(field) + 1;
    return {
      values,
      where: `line ${info.lines}`,
      fieldWhere: (f) => `line ${info.lines}, column ${column(f) || 1}`,
    };
  });
}

/** The first key that repeats an earlier key of its own map, anywhere in the document (scalar keys by value). */
function findDuplicateKey(node: unknown): { range?: [number, number, number] | null } | undefined {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (isMap(current)) {
      const seen = new Set<unknown>();
      for (const pair of current.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) return isScalar(pair.key) ? pair.key : {};
        seen.add(key);
        stack.push(pair.value);
      }
    } else if (isSeq(current)) stack.push(...current.items);
  }
  return undefined;
}

function readYamlRows(path: string, text: string): RawRow[] {
  assertYamlDepth(path, text);
  throwFirstSyntaxError({ path }, text);
  const lineCounter = new LineCounter();
  // prettyErrors off: it copies the whole line into every error (quadratic on one long line of errors).
  // uniqueKeys off: the library compares each key with every earlier one of its map (quadratic: 1.4 s
  // of CPU on a 200 KB map, bench/fuzz); duplicates are found with a set per map below instead.
  const document = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const firstError = document.errors[0];
  if (firstError) {
    const pos = lineCounter.linePos(firstError.pos[0]);
    const where = `line ${pos.line}, column ${pos.col}`;
    throw new InventoryParseError(path, where, `invalid YAML: ${firstError.message.split('\n')[0]}`);
  }
  const duplicate = findDuplicateKey(document.contents);
  if (duplicate) {
    const pos = lineCounter.linePos(duplicate.range?.[0] ?? 0);
    throw new InventoryParseError(
      path,
      `line ${pos.line}, column ${pos.col}`,
      'invalid YAML: Map keys must be unique',
    );
  }
  try {
    // Resolving once with a low alias cap stops "billion laughs" alias bombs before rows are read.
    document.toJS({ maxAliasCount: 50 });
  } catch (error) {
    throw new InventoryParseError(path, undefined, `invalid YAML: ${(error as Error).message}`);
  }
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return `line ${pos.line}, column ${pos.col}`;
  };
  const root = isMap(document.contents) ? document.contents.get('assets', true) : document.contents;
  if (!isSeq(root))
    throw new InventoryParseError(
      path,
      at(document.contents?.range?.[0]),
      'expected a list of assets (or assets: [...])',
    );
  return root.items.map((item) => {
    if (!isMap(item))
      throw new InventoryParseError(
        path,
        at((item as { range?: number[] })?.range?.[0]),
        'expected an asset mapping',
      );
    const values: Record<string, unknown> = {};
    const cells = new Map<string, number | undefined>();
    for (const pair of item.items) {
      const field = getFieldOfColumn(String((pair.key as { value?: unknown })?.value ?? ''));
      const node = pair.value as { toJSON?: () => unknown; range?: number[] } | null;
      if (!field) continue;
      const value = node?.toJSON ? node.toJSON() : node;
      values[field] = typeof value === 'number' ? String(value) : value;
      cells.set(field, node?.range?.[0]);
    }
    const where = at(item.range?.[0]);
    return {
      values,
      where: where.replace(/, column \d+$/, ''),
      fieldWhere: (f) => (cells.has(f) ? at(cells.get(f)) : where),
    };
  });
}

/** Reads the registry; a repeated id is an error, since each row is upserted by id. */
function parseAssetRegistry(file: InventoryFile): ParsedInventory {
  const text = decodeInventoryText(file);
  const isYaml = /\.ya?ml$/i.test(file.path) || !/^[^\n]*,/.test(text.trimStart());
  const rows = isYaml ? readYamlRows(file.path, text) : readCsvRows(file.path, text);
  if (rows.length === 0) throw new InventoryParseError(file.path, undefined, 'no asset rows');
  const assets: AssetRecord[] = [];
  const seen = new Map<string, string>();
  for (const row of rows) {
    const asset = checkRow(file.path, row);
    const first = seen.get(asset.id);
    if (first)
      throw new InventoryParseError(
        file.path,
        row.where,
        `asset ${asset.id} is listed twice (first at ${first})`,
      );
    seen.set(asset.id, row.where);
    assets.push(asset);
  }
  return { format: 'asset-registry', asset: {}, packages: [], warnings: [], assets };
}

const HEADER_ID = /^\s*"?(?:id|hostname|host|asset[ _-]?id)"?\s*,/i;

export const assetRegistryFormat: InventoryFormat = {
  id: 'asset-registry',
  description:
    'Asset registry as CSV or YAML: id/hostname, kind, environment, criticality, exposure, owner, services, tags',
  detect(fileName, head) {
    const firstLine = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    if (/\.csv$/i.test(fileName))
      return HEADER_ID.test(firstLine) && /\b(kind|type|criticality|environment)\b/i.test(firstLine);
    if (!/\.ya?ml$/i.test(fileName)) return false;
    const item = /^(?:assets:\s*\n)?\s*- (?:id|hostname):/m.test(head);
    return item && /^\s+(?:kind|criticality|environment):/m.test(head) && !/^lockfileVersion:/m.test(head);
  },
  parse: parseAssetRegistry,
};
