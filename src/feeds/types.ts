/**
 * The feeds contract. Every source (a folder named by its id) implements `FeedSource`; `registry.ts`
 * maps ids to implementations. A source reads its location and yields parsed records in batches; it
 * never holds the store. The sync service (`src/services/sync/sync-source.ts`) writes each batch
 * inside the source's one transaction: the batches land whole when the source returns, or not at all
 * when it throws.
 */
import type {
  EpssScore,
  ExploitSighting,
  FeedState,
  KevEntry,
  SsvcDecision,
  Vulnerability,
} from '../core/types.js';
import type { KevRemoval, PositionedDebianAdvisory } from '../store/index.js';
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
  /**
   * Reads `ctx.location` and yields its records batch by batch (memory holds about one batch), then
   * returns what the sync state keeps. Throws `FeedError` on bad input; the sync then writes nothing.
   */
  read(ctx: SyncContext): FeedRead;
}

/** A source's reading: batches of records, then its outcome. */
export type FeedRead = AsyncGenerator<FeedBatch, FeedOutcome, undefined>;

/** One batch of parsed records, by the kind of row they become. */
export type FeedBatch =
  | { kind: 'vulnerabilities'; records: FeedVulnerability[] }
  | { kind: 'ssvc'; records: SsvcDecision[] }
  | { kind: 'kev'; records: KevEntry[] }
  | { kind: 'kev-removals'; records: KevRemoval[] }
  | { kind: 'epss'; records: EpssScore[] }
  /** `sources`: every `source` value this feed writes, so the sync counts what it holds from them. */
  | { kind: 'sightings'; sources: readonly string[]; records: ExploitSighting[] }
  | { kind: 'debian-advisories'; records: PositionedDebianAdvisory[] };

/** A vulnerability and the SSVC decisions stored with it (only when the vulnerability is written). */
export interface FeedVulnerability {
  vuln: Vulnerability;
  ssvc?: SsvcDecision[];
}

/** What a source returns after its last batch (the sync service adds the counts it wrote). */
export interface FeedOutcome {
  /** Date of the newest record seen (ISO), kept in the sync state. */
  newest?: string;
  /** Source-specific position for the next incremental sync (e.g. the newest `modified`). */
  cursor?: string;
  /** True when the remote copy did not change (HTTP 304): nothing was read. */
  unchanged?: boolean;
  /** Validators of the fetched resource, for the next conditional request. */
  etag?: string;
  lastModified?: string;
}

export interface SyncContext {
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
  /** Records written so far (shown beside the bar; reported by the sync service). */
  records(count: number): void;
}

export const SILENT_PROGRESS: FeedProgress = { setTotal() {}, advance() {}, records() {} };
