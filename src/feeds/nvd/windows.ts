/** NVD refuses a lastModStartDate–lastModEndDate range over 120 days. */
export const NVD_MAX_WINDOW_DAYS = 120;
const DAY = 24 * 60 * 60 * 1000;

/**
 * The lastModified windows to ask for: one unbounded window (`undefined`: every record) on a first sync,
 * else consecutive windows of at most 120 days from `since` to `until` (ISO instants).
 */
export function getNvdWindows(
  since: string | undefined,
  until: string,
): Array<{ start: string; end: string } | undefined> {
  if (!since) return [undefined];
  const windows: Array<{ start: string; end: string }> = [];
  const last = Date.parse(until);
  for (let start = Date.parse(since); start < last; start += NVD_MAX_WINDOW_DAYS * DAY) {
    const end = Math.min(start + NVD_MAX_WINDOW_DAYS * DAY, last);
    windows.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });
  }
  return windows;
}
