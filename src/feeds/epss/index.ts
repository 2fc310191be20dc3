import type { EpssScore } from '../../core/types.js';
import { FeedError } from '../errors.js';
import { isUrl, readLines, readLocation } from '../resource.js';
import type { FeedOutcome, FeedRead, FeedSource, SyncContext } from '../types.js';

const BATCH = 5000;
const CVE = /^CVE-\d{4}-\d{4,}$/;

/**
 * FIRST's daily EPSS scores (`epss_scores-YYYY-MM-DD.csv.gz`). The first line carries the model
 * version and score date (`#model_version:v2025.03.14,score_date:2026-01-30T12:55:00Z`); files
 * without it (e.g. subsets) must have a `score_date` column. Every day is kept: a new day never
 * overwrites an old one.
 */
export const epssSource: FeedSource = {
  id: 'epss',
  description: 'FIRST EPSS daily scores (kept per day, so scores as of any date can be asked)',
  defaultUrl: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz',
  mirrorNames: ['epss_scores-*.csv.gz', 'epss_scores-*.csv', 'epss_*.csv.gz'],
  read: (ctx) => readLocation(ctx, 'epss', (path) => readFileScores(ctx, path)),
};

interface Header {
  modelVersion?: string;
  scoreDate?: string;
  columns: string[];
}

/** EPSS files are plain comma-separated values without quoting: a header line, then one CVE a line. */
async function* readFileScores(ctx: SyncContext, file: string): FeedRead {
  const header: Header = { columns: [] };
  let batch: EpssScore[] = [];
  let records = 0;
  let newest: string | undefined;
  for await (const [line, n] of readLines('epss', file, (bytes) => ctx.progress.advance(bytes))) {
    if (line.trim() === '') continue;
    if (header.columns.length === 0) {
      readHeaderLine(file, line, n, header);
      continue;
    }
    const score = toScore(file, line, header, n);
    if (isUrl(ctx.location) && ctx.state?.newest && score.scoreDate < ctx.state.newest) {
      throw new FeedError(
        'epss',
        file,
        `line ${n}`,
        `the scores are for ${score.scoreDate}, older than the newest already synced (${ctx.state.newest}): the feed went backwards in time`,
      );
    }
    if (newest === undefined || score.scoreDate > newest) newest = score.scoreDate;
    batch.push(score);
    if (batch.length >= BATCH) {
      records += batch.length;
      yield { kind: 'epss', records: batch };
      batch = [];
    }
  }
  records += batch.length;
  if (records === 0) throw new FeedError('epss', file, undefined, 'the file holds no scores');
  yield { kind: 'epss', records: batch };
  const outcome: FeedOutcome = {};
  if (newest) outcome.newest = newest;
  return outcome;
}

/** `#model_version:v2025.03.14,score_date:2026-01-30T12:55:00Z`, then the column names. */
function readHeaderLine(file: string, line: string, n: number, header: Header): void {
  if (line.startsWith('#')) {
    for (const part of line.slice(1).split(',')) {
      const colon = part.indexOf(':');
      const key = part.slice(0, colon).trim();
      const value = part.slice(colon + 1).trim();
      if (key === 'model_version' && value) header.modelVersion = value;
      if (key === 'score_date' && value) header.scoreDate = value;
    }
    return;
  }
  header.columns = line.split(',').map((c) => c.trim().toLowerCase());
  for (const required of ['cve', 'epss']) {
    if (!header.columns.includes(required)) {
      throw new FeedError(
        'epss',
        file,
        `line ${n}`,
        `column ${required} is missing from the header ${JSON.stringify(line)} (expected cve,epss,percentile)`,
      );
    }
  }
}

function toScore(file: string, line: string, header: Header, n: number): EpssScore {
  const where = `line ${n}`;
  const cells = line.split(',');
  if (cells.length !== header.columns.length)
    throw new FeedError(
      'epss',
      file,
      where,
      `${cells.length} columns where the header has ${header.columns.length}; the file may be truncated`,
    );
  const row: Record<string, string> = {};
  header.columns.forEach((name, i) => {
    row[name] = (cells[i] ?? '').trim();
  });
  const cve = row.cve ?? '';
  if (!CVE.test(cve))
    throw new FeedError('epss', file, where, `column cve: ${JSON.stringify(cve)} is not a CVE id`);
  const score = Number(row.epss);
  if (row.epss === '' || !(score >= 0 && score <= 1))
    throw new FeedError('epss', file, where, `column epss: ${JSON.stringify(row.epss)} is not a probability`);
  const percentile =
    row.percentile === undefined || row.percentile === '' ? undefined : Number(row.percentile);
  if (percentile !== undefined && !(percentile >= 0 && percentile <= 1))
    throw new FeedError(
      'epss',
      file,
      where,
      `column percentile: ${JSON.stringify(row.percentile)} is not in [0, 1]`,
    );
  const scoreDate = (row.score_date || header.scoreDate)?.slice(0, 10);
  if (!scoreDate || !/^\d{4}-\d{2}-\d{2}$/.test(scoreDate))
    throw new FeedError(
      'epss',
      file,
      where,
      'no score date: neither a #model_version header line nor a score_date column',
    );
  const out: EpssScore = { cveId: cve, scoreDate, score };
  if (percentile !== undefined) out.percentile = percentile;
  if (header.modelVersion) out.modelVersion = header.modelVersion;
  return out;
}
