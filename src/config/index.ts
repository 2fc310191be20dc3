export { getDurationMinutes } from './duration.js';
export { getConfigJsonSchema } from './json-schema.js';
export type { Config } from './load.js';
export {
  DEFAULT_CONFIG_FILE,
  formatIssues,
  loadConfig,
  normalizeConfig,
  parseConfigText,
  readConfig,
} from './load.js';
export { checkConfigRules } from './rules.js';
export type { ConfigInput, ParsedConfig } from './schema.js';
export { configSchema } from './schema.js';
export { STARTER_CONFIG } from './starter.js';
