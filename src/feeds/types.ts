/**
 * The feeds contract. Every source (a folder named by its id) implements `FeedSource`; `registry.ts`
 * maps ids to implementations. The sync runner (`sync.ts`) gives a source a `SyncContext` holding an
 * open transaction: whatever the source writes lands whole when it returns, or not at all when it throws.
 */
import type { FeedState } from '../core/types.js';
import type { Db } from '../store/index.js';
import type { HttpClient } from './http.js';

export interface FeedSource {
  /** The source's id, equal to its folder name (`osv`, `kev`, `epss`, …). */
  readonly id: string;
  /** One line for `patchcast sync --help` and `sync status`. */
  readonly description: string;
  /** The public URL synced when no --from or --offline is given; null for inputs with no public feed (read only from a mirror). */
  readonly defaultUrl: string | null;
  /**
   * Names this source recognises inside an offline mirror directory (`patchcast sync --offline DIR`):
   * file names, globs (`epss_scores-*.csv.gz`) or sub-directories (`osv`).
   */
  readonly mirrorNames: readonly string[];
  /** Reads `ctx.location` and writes records through `ctx.db`. Throws `FeedError` on bad input. */
  sync(ctx: SyncContext): Promise<SyncResult>;
}

export interface SyncResult {
  /** Records written (inserted or updated) by this sync. */
  records: number;
  /** Records the store holds from this source after the sync (for `sync status`); omitted, the runner adds `records`. */
  total?: number;
  /** Date of the newest record seen (ISO), kept in the sync state. */
  newest?: string;
  /** Source-specific position for the next incremental sync (e.g. the newest `modified`). */
  cursor?: string;
  /** True when the source had nothing new (HTTP 304, or every record already known). */
  unchanged?: boolean;
  /** Validators of the fetched resource, for the next conditional request. */
  etag?: string;
  lastModified?: string;
}

export interface SyncContext {
  /** The store, inside the sync's transaction. */
  db: Db;
  /** A URL (`https://…`) or a local path (file or directory). */
  location: string;
  /** The previous sync's state (validators, cursor, newest), if any. */
  state: FeedState | undefined;
  http: HttpClient;
  progress: FeedProgress;
  now: Date;
  /** The largest single file accepted, in bytes. */
  maxBytes: number;
}

/** Progress reports from a source; the CLI shows records, bytes, rate and ETA. */
export interface FeedProgress {
  /** Total units expected (bytes or records), when known. */
  setTotal(total: number, unit: 'bytes' | 'records'): void;
  /** Units done since the last call. */
  advance(units: number): void;
  /** Records written so far (shown beside the bar). */
  records(count: number): void;
}

export const SILENT_PROGRESS: FeedProgress = { setTotal() {}, advance() {}, records() {} };
