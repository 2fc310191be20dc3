import type { z } from 'zod';
import { PatchcastError } from '../core/errors.js';

/** Parses one part of a request with its zod schema; a failure names each field and what is wrong. */
export function parseInput(
  schema: z.ZodType | undefined,
  value: unknown,
  part: 'path' | 'query' | 'body',
): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${[part, ...i.path.map(String)].join('.')}: ${i.message}`);
  throw new PatchcastError('INPUT_INVALID', problems.join('; '), {
    hint: 'Fix the fields named; GET /openapi.json describes each request.',
    details: {
      part,
      issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    },
  });
}
