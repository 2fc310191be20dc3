/**
 * Picks the inventory format for a file from its name and first bytes, and reads a file with the
 * size limit. The registry guarantees that at most one format claims a file.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DETECT_HEAD_BYTES, makeTooLargeError } from './decode.js';
import { InventoryParseError, MAX_INVENTORY_BYTES } from './errors.js';
import { INVENTORY_FORMATS } from './registry.js';
import type { InventoryFormat, ParsedInventory } from './types.js';

/**
 * The format that reads a file with this base name and head, from `formats` (default: all registered).
 * Throws `InventoryParseError` listing the known formats when none claims it.
 */
export function detectInventoryFormat(
  fileName: string,
  head: string,
  formats: readonly InventoryFormat[] = INVENTORY_FORMATS,
): InventoryFormat {
  const name = basename(fileName);
  const found = formats.find((format) => format.detect(name, head));
  if (found) return found;
  const ids = formats.map((format) => format.id).join(', ');
  throw new InventoryParseError(
    fileName,
    undefined,
    'not a known inventory format',
    `patchcast reads: ${ids}. Check the file, or rename it as its tool names it (e.g. status, installed, os-release).`,
  );
}

/** Reads an inventory file from disk (refusing files over the size limit) and parses it with its format. */
export async function parseInventoryFile(path: string): Promise<ParsedInventory> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new InventoryParseError(path, undefined, `cannot read: ${(error as Error).message}`);
  }
  if (size > MAX_INVENTORY_BYTES) throw makeTooLargeError(path, size);
  const handle = await open(path, 'r');
  let content: Buffer;
  try {
    content = await handle.readFile();
  } finally {
    await handle.close();
  }
  const head = content.subarray(0, DETECT_HEAD_BYTES).toString('utf8');
  return detectInventoryFormat(path, head).parse({ path, content });
}
