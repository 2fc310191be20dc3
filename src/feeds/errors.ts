import { PatchcastError } from '../core/errors.js';

/**
 * Bad input from a feed: names the source, the file and the record (line, entry or JSON path), so the
 * user knows which mirror file to fix. The sync's transaction is rolled back.
 */
export class FeedError extends PatchcastError {
  constructor(source: string, file: string, record: string | undefined, problem: string, hint?: string) {
    const where = record ? `${file} (${record})` : file;
    super('INPUT_INVALID', `${source}: ${where}: ${problem}`, {
      details: { source, file, record },
      hint: hint ?? 'Fix or replace the file (or mirror) named; the store was left as it was.',
    });
    this.name = 'FeedError';
  }
}

/** A file larger than the limit, refused before it is read. */
export class FeedTooLargeError extends PatchcastError {
  constructor(source: string, file: string, bytes: number, limit: number) {
    super('INPUT_TOO_LARGE', `${source}: ${file} is ${bytes} bytes, over the ${limit}-byte limit`, {
      details: { source, file, bytes, limit },
      hint: 'Raise the limit with --max-bytes if the file is genuine.',
    });
    this.name = 'FeedTooLargeError';
  }
}

/** Parses a feed file's JSON; a syntax error (often a truncated file) becomes a FeedError naming source, file and record. */
export function parseFeedJson(
  source: string,
  file: string,
  record: string | undefined,
  text: string,
): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FeedError(
      source,
      file,
      record,
      `not valid JSON (${(error as Error).message}); the file may be truncated`,
    );
  }
}
