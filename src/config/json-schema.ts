import { z } from 'zod';
import { configSchema } from './schema.js';

/** The JSON schema of `patchcast.yaml` as a user writes it (defaults optional). */
export function getConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://patchcast.dev/schema/patchcast.schema.json',
    title: 'patchcast.yaml',
  };
}
