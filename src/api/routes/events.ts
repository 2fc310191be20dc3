import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { loadEvents, loadNewestEventId } from '../../services/auth/events.js';
import type { ServiceDeps } from '../../services/deps.js';
import type { StoredEvent } from '../../store/index.js';
import { defineRoute } from '../route.js';

/** How often a following stream asks the store for new events; every replica reads the same table. */
export const EVENT_POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;

function formatEvent(e: StoredEvent): string {
  const data = JSON.stringify({ at: e.at, kind: e.kind, subject: e.subject ?? null, data: e.data ?? null });
  return `id: ${e.id}\nevent: ${e.kind}\ndata: ${data}\n\n`;
}

export const EVENT_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/events',
    tag: 'events',
    summary:
      'Server-sent events for finding, plan, exception and rollout changes, from the store (every replica sees every event); resume with Last-Event-ID',
    access: 'read',
    query: z.strictObject({
      after: z.coerce
        .number()
        .int()
        .min(0)
        .optional()
        .describe('as Last-Event-ID: start after this event id'),
      follow: z
        .enum(['true', 'false'])
        .default('true')
        .describe('false: send what is stored after the id and end'),
    }),
    response: {
      mediaType: 'text/event-stream',
      description: 'id, event (`noun:verb`) and data (JSON) per event',
    },
    handler: async ({ deps, query, request, reply }) => {
      const header = request.headers['last-event-id'];
      const fromHeader = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
      let after = fromHeader ?? query.after ?? (await loadNewestEventId(deps));
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      });
      raw.write(': patchcast events\nretry: 2000\n\n');
      let open = true;
      raw.on('close', () => {
        open = false;
      });
      let quietSince = Date.now();
      while (open && !request.server.isClosing()) {
        after = await sendAfter(
          deps,
          after,
          (text) => raw.write(text),
          () => {
            quietSince = Date.now();
          },
        );
        if (query.follow === 'false') break;
        if (Date.now() - quietSince > HEARTBEAT_MS) {
          raw.write(': heartbeat\n\n');
          quietSince = Date.now();
        }
        await sleep(EVENT_POLL_MS);
      }
      raw.end();
    },
  }),
];

/** Writes every stored event after `after`; returns the last id sent. */
async function sendAfter(
  deps: ServiceDeps,
  after: number,
  write: (text: string) => void,
  onSent: () => void,
): Promise<number> {
  let last = after;
  for (;;) {
    const events = await loadEvents(deps, last, 500);
    for (const e of events) write(formatEvent(e));
    if (events.length) onSent();
    last = events.at(-1)?.id ?? last;
    if (events.length < 500) return last;
  }
}
