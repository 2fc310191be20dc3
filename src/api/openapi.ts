/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas (`z.toJSONSchema`, JSON Schema
 * 2020-12, which OpenAPI 3.1 uses). Schemas named with `.meta({ id })` become components.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { problemSchema } from './problem.js';
import type { RouteSpec } from './route.js';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: Json;
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Json };
}

/** `/api/v1/assets/:id` → `/api/v1/assets/{id}`; a trailing `*` (an id holding '/') → `{path}`. */
export function toOpenApiPath(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, '{$1}').replace(/\*$/, '{path}');
}

export function makeOpenApiDocument(routes: readonly RouteSpec[]): OpenApiDocument {
  const components: Record<string, Json> = {};
  const toSchema = (schema: z.ZodType): Json => {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      unrepresentable: 'any',
      io: 'input',
    }) as Json;
    const defs = (json.$defs ?? {}) as Record<string, Json>;
    delete json.$defs;
    delete json.$schema;
    for (const [id, def] of Object.entries(defs)) components[id] = rewriteRefs(def);
    // A named schema at the top is itself a component: refer to it.
    const id = z.globalRegistry.get(schema)?.id;
    if (typeof id === 'string') {
      // zod puts a named root in $defs and answers a $ref to it: keep that definition, not the $ref.
      if (!(id in defs)) components[id] = rewriteRefs(json);
      return { $ref: `#/components/schemas/${id}` };
    }
    return rewriteRefs(json);
  };
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.url);
    paths[path] ??= {};
    (paths[path] as Record<string, Json>)[route.method.toLowerCase()] = makeOperation(route, toSchema);
  }
  toSchema(problemSchema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'patchcast API',
      version: pkg.version,
      description:
        "Forecast-driven patch management. Send `Authorization: Bearer <token>` (`patchcast tokens create`, or an OIDC token when server.oidc is configured). Errors are RFC 9457 problem documents carrying patchcast's error code.",
    },
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}

function makeOperation(route: RouteSpec, toSchema: (s: z.ZodType) => Json): Json {
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  const success =
    'mediaType' in route.response
      ? {
          description: route.response.description,
          content: { [route.response.mediaType]: { schema: { type: 'string' } } },
        }
      : { description: 'OK', content: { 'application/json': { schema: toSchema(route.response) } } };
  return {
    operationId: getOperationId(route),
    summary: route.summary,
    tags: [route.tag],
    'x-patchcast-permission': route.access,
    ...(route.access === 'public' ? { security: [] } : { security: [{ bearer: [] }] }),
    parameters: [
      ...getParameters(route.params, 'path', toSchema),
      ...getParameters(route.query, 'query', toSchema),
    ],
    ...(route.rawBody
      ? {
          requestBody: {
            required: true,
            description: 'the file itself (up to server.uploadLimit bytes)',
            content: {
              'application/octet-stream': {
                schema: { type: 'string', contentMediaType: 'application/octet-stream' },
              },
            },
          },
        }
      : route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toSchema(route.body) } },
            },
          }
        : {}),
    responses: {
      [String(route.status ?? 200)]: success,
      ...(route.access === 'public'
        ? {}
        : { '401': { description: 'no or a bad credential', content: problem } }),
      ...(route.access === 'public'
        ? {}
        : { '403': { description: 'the role does not allow this', content: problem } }),
      default: { description: 'an error (problem document with its code)', content: problem },
    },
  };
}

function getParameters(
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
  toSchema: (s: z.ZodType) => Json,
): Json[] {
  if (!schema) return [];
  const json = toSchema(schema) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name: name === '*' ? 'path' : name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** `GET /api/v1/assets/:id/drift` → `getAssetsByIdDrift`. */
export function getOperationId(route: RouteSpec): string {
  const words = route.url
    .replace(/^\/api\/v1/, '')
    .replace(/:([A-Za-z]+)/g, 'by-$1')
    .replace(/\*$/, 'by-path')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [route.method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('');
}

function rewriteRefs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as T;
}
