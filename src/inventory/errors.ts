import { PatchcastError } from '../core/errors.js';

/** Maximum size of one inventory file; larger files are refused before parsing. */
export const MAX_INVENTORY_BYTES = 256 * 1024 * 1024;
/** Maximum nesting depth of JSON/XML/YAML structures accepted from inventories. */
export const MAX_NESTING_DEPTH = 200;

/** A file that cannot be read as the format says. The message names the file and position and the fix. */
export class InventoryParseError extends PatchcastError {
  constructor(path: string, position: string | undefined, problem: string, hint?: string) {
    const where = position ? `${path}:${position}` : path;
    super('INPUT_INVALID', `${where}: ${problem}`, {
      details: { file: path, position },
      ...(hint ? { hint } : {}),
    });
    this.name = 'InventoryParseError';
  }
}
