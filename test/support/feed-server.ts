import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a route answers: a body with validators, or one of the failures real feeds show. */
export interface Route {
  body?: Buffer | string;
  etag?: string;
  lastModified?: string;
  contentType?: string;
  /** Answer these statuses first, one per request, before serving the body (e.g. [429, 500]). */
  failFirst?: number[];
  /** Seconds for Retry-After on 429/503. */
  retryAfter?: number;
  /** Send only this many bytes of the body, then cut the connection (Content-Length states the full size). */
  truncateAt?: number;
  /** Wait this long before answering each request. */
  delayMs?: number;
}

export interface FeedServer {
  url: string;
  /** Requests seen per path, with their conditional headers. */
  requests: Array<{ path: string; ifNoneMatch?: string; ifModifiedSince?: string; query: string }>;
  set(path: string, route: Route): void;
  close(): Promise<void>;
}

/** A feed server on loopback that serves real-format fixtures and misbehaves on request. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Route & { served: number }>();
  const requests: FeedServer['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: FeedServer['requests'][number] = { path: url.pathname, query: url.search };
    if (typeof req.headers['if-none-match'] === 'string') entry.ifNoneMatch = req.headers['if-none-match'];
    if (typeof req.headers['if-modified-since'] === 'string')
      entry.ifModifiedSince = req.headers['if-modified-since'];
    requests.push(entry);
    const route = routes.get(url.pathname);
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    const answer = () => serve(route, req, res);
    if (route.delayMs) setTimeout(answer, route.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    set(path, route) {
      routes.set(path, { ...route, served: 0 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serve(route: Route & { served: number }, req: IncomingMessage, res: ServerResponse): void {
  const failure = route.failFirst?.[route.served];
  route.served++;
  if (failure !== undefined) {
    const headers: Record<string, string> = {};
    if (route.retryAfter !== undefined) headers['retry-after'] = String(route.retryAfter);
    res.writeHead(failure, headers).end(`failure ${failure}`);
    return;
  }
  if (route.etag && req.headers['if-none-match'] === route.etag) {
    res.writeHead(304).end();
    return;
  }
  if (route.lastModified && req.headers['if-modified-since'] === route.lastModified && !route.etag) {
    res.writeHead(304).end();
    return;
  }
  const body = Buffer.isBuffer(route.body) ? route.body : Buffer.from(route.body ?? '');
  const headers: Record<string, string> = {
    'content-length': String(body.length),
    'content-type': route.contentType ?? 'application/octet-stream',
  };
  if (route.etag) headers.etag = route.etag;
  if (route.lastModified) headers['last-modified'] = route.lastModified;
  res.writeHead(200, headers);
  if (route.truncateAt !== undefined) {
    res.write(body.subarray(0, route.truncateAt), () => res.destroy());
    return;
  }
  res.end(body);
}
