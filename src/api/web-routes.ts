/**
 * The web dashboard (web/, built into dist/web by `npm run build`): its files and its pages, served
 * without a credential — they hold no data; every datum comes from /api/v1 with the user's token.
 * The routes are written out here (not a catch-all), so an unknown path stays a 404 problem and the
 * route × role test lists each one. `WEB_PAGES` must equal the app's router paths (web/src/paths.ts;
 * web-routes.spec.ts checks it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PatchcastError } from '../core/errors.js';

/** The deep links of the app: each answers index.html, and the app's router shows the page. */
export const WEB_PAGES = ['/', '/sign-in', '/findings', '/vulnerabilities/:id', '/assets/:id'] as const;

/** The built files (Vite's `build.assetsDir`): content-hashed names, cached for a year. */
export const WEB_FILES = '/static/*';

/** A built file's path under static/: plain names, no backslash, no encoded separator. */
const FILE_NAME = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Every route of the web app as `METHOD url`, for the route × role test. */
export const WEB_ROUTES: readonly string[] = [...WEB_PAGES.map((p) => `GET ${p}`), `GET ${WEB_FILES}`];

/**
 * Where the built app is: `PATCHCAST_WEB_ROOT` when set, else dist/web beside the compiled code
 * (dist/api/../web), else the checkout's dist/web when running the sources (src/api/../../dist/web).
 */
export function findWebRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PATCHCAST_WEB_ROOT) return env.PATCHCAST_WEB_ROOT;
  for (const relative of ['../web/', '../../dist/web/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/** Registers the web app's routes; without a built app they answer a 404 that says how to build it. */
export async function registerWebRoutes(app: FastifyInstance, root: string | undefined): Promise<void> {
  const built = root !== undefined && existsSync(join(root, 'index.html'));
  // Cache-Control is set per route below (the page revalidated, the hashed files for a year).
  if (built) await app.register(fastifyStatic, { root, serve: false, cacheControl: false });
  const notBuilt = (request: FastifyRequest) =>
    new PatchcastError(
      'API_ROUTE_NOT_FOUND',
      `the web dashboard is not built (no index.html in ${root ?? 'dist/web'})`,
      {
        hint: 'Run `npm run build` (it builds web/ into dist/web), or set PATCHCAST_WEB_ROOT to a built app.',
        details: { path: request.url.split('?')[0] },
      },
    );
  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    request.authzDecided = true; // public: the page is the same for everyone and holds no data
    if (!built) throw notBuilt(request);
    // The page names hashed files; it is itself revalidated on every load so a new build shows at once.
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  };
  for (const url of WEB_PAGES) app.get(url, page);
  app.get(WEB_FILES, async (request, reply) => {
    request.authzDecided = true;
    if (!built) throw notBuilt(request);
    // Vite's names are plain (`index-C3XuJqWX.js`): anything else, `..` however encoded, is not a file of ours.
    const path = (request.params as { '*': string })['*'];
    if (!FILE_NAME.test(path) || path.split('/').includes('..'))
      throw new PatchcastError('API_ROUTE_NOT_FOUND', `no file ${request.url.split('?')[0]}`);
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .sendFile(path, join(root as string, 'static'));
  });
}
