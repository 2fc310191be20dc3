export { InventoryParseError, MAX_INVENTORY_BYTES, MAX_NESTING_DEPTH } from './errors.js';
export { INVENTORY_FORMATS } from './registry.js';
export type {
  AssetHint,
  AssetRecord,
  FoundPackage,
  InventoryFile,
  InventoryFormat,
  ParsedInventory,
} from './types.js';
