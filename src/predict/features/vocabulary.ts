import { getTokens, type History } from '../history/index.js';

/**
 * Groups of features whose values exist only as undated snapshots, so a backtest cannot rebuild them as
 * of T: the description (phrases, learned words, token count), NVD/CNA CVSS (no `from` day) and
 * references. A model can be trained without them (`--without snapshot`) to measure what they add.
 */
export const SNAPSHOT_GROUPS = ['text', 'undated-cvss', 'references'] as const;
export type FeatureGroup = (typeof SNAPSHOT_GROUPS)[number];

/** Description words learned on training rows only; saved in the model artifact. */
export interface Encoders {
  vocabulary: string[];
  /** Feature groups left out (their columns are NaN); absent = none. */
  without?: FeatureGroup[];
}

/** Options for `learnVocabulary`. */
export interface VocabularyOptions {
  size: number;
  /** Minimum positive rows containing a word. */
  minPositives: number;
  /** Minimum (weighted) rows containing a word. */
  minRows: number;
}

/**
 * Words that assert exploitation ("exploited in the wild in April 2014") are never learned: the
 * descriptions are undated snapshots, and such sentences are often added after the fact.
 */
const STOP_WORDS = new Set([
  'exploited',
  'exploitation',
  'wild',
  'actively',
  'aware',
  'known',
  'kev',
  'cisa',
  'reports',
  'report',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
]);

const DEFAULTS: VocabularyOptions = { size: 40, minPositives: 8, minRows: 200 };

/**
 * Picks the words whose presence most changes the KEV rate among the given training rows
 * (smoothed log-odds ratio), so product words like "ivanti" or "confluence" become features.
 * Only training rows are seen, so the vocabulary carries no information from evaluation windows.
 */
export function learnVocabulary(
  history: History,
  rows: { cves: Int32Array; labels: Uint8Array; weights: Float64Array },
  options: Partial<VocabularyOptions> = {},
): string[] {
  const { size, minPositives, minRows } = { ...DEFAULTS, ...options };
  const positive = new Map<number, number>();
  const total = new Map<number, number>();
  let positives = 0;
  let weightSum = 0;
  for (let r = 0; r < rows.cves.length; r++) {
    const weight = rows.weights[r] ?? 1;
    const label = rows.labels[r] ?? 0;
    positives += label;
    weightSum += weight;
    for (const token of new Set(getTokens(history, rows.cves[r] ?? 0))) {
      total.set(token, (total.get(token) ?? 0) + weight);
      if (label) positive.set(token, (positive.get(token) ?? 0) + 1);
    }
  }
  const baseRate = (positives + 1) / (weightSum + 2);
  const scored: Array<[number, number]> = [];
  for (const [token, rowsWith] of total) {
    const pos = positive.get(token) ?? 0;
    if (pos < minPositives || rowsWith < minRows) continue;
    const word = history.strings[token] ?? '';
    if (word.length < 3 || /^\d+$/.test(word) || STOP_WORDS.has(word)) continue;
    const rate = (pos + baseRate * 20) / (rowsWith + 20);
    scored.push([token, Math.abs(Math.log(rate / baseRate))]);
  }
  scored.sort((a, b) => b[1] - a[1]);
  return scored.slice(0, size).map(([token]) => history.strings[token] ?? '');
}

/** Maps interned token id → vocabulary slot (or -1), for fast feature extraction. */
export function getVocabularySlots(history: History, vocabulary: readonly string[]): Int32Array {
  const slots = new Int32Array(history.strings.length).fill(-1);
  const wanted = new Map(vocabulary.map((word, i) => [word, i]));
  for (const [id, value] of history.strings.entries()) {
    const slot = wanted.get(value);
    if (slot !== undefined) slots[id] = slot;
  }
  return slots;
}
