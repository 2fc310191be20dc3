import { z } from 'zod';
import { makeOpenApiDocument, type OpenApiDocument } from '../openapi.js';
import { renderReferencePage } from '../reference-page.js';
import { defineRoute, type RouteSpec } from '../route.js';

/** The API's own description: built once from the full route list on first request. */
export function makeDocRoutes(getRoutes: () => readonly RouteSpec[]): RouteSpec[] {
  let doc: OpenApiDocument | undefined;
  let page: string | undefined;
  const getDoc = () => {
    doc ??= makeOpenApiDocument(getRoutes());
    return doc;
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/openapi.json',
      tag: 'meta',
      summary: 'This OpenAPI 3.1 document',
      access: 'public',
      response: z.looseObject({ openapi: z.literal('3.1.0') }),
      handler: async () => getDoc(),
    }),
    defineRoute({
      method: 'GET',
      url: '/docs',
      tag: 'meta',
      summary: 'The API reference page (HTML)',
      access: 'public',
      response: { mediaType: 'text/html', description: 'the reference page' },
      handler: async ({ reply }) => {
        page ??= renderReferencePage(getDoc());
        return reply.type('text/html; charset=utf-8').send(page);
      },
    }),
  ];
}
