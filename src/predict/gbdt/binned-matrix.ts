/**
 * The binned training matrix in the two layouts training reads: row-major "global" bin numbers
 * (feature offset + bin, so a histogram update is one load and two adds) for building histograms,
 * and column-major bytes for partitioning a node's rows on one feature (a cache line then holds 64
 * rows' values instead of one).
 */
import { type BinLayout, binMatrix } from './binning.js';

/** A binned matrix ready for training. */
export interface BinnedMatrix {
  rows: number;
  nFeatures: number;
  layout: BinLayout;
  /** Row-major `layout.offsets[f] + bin`; 16-bit when the packed histogram has < 65,536 bins. */
  global: Uint16Array | Uint32Array;
  /** Column-major bins: feature f of row r at `f * rows + r`. */
  byColumn: Uint8Array;
}

/**
 * Bins `features` (rows × layout features, row-major) into both layouts; with `columnsOnly` (a
 * validation set, which is only routed through trees) `global` is left empty.
 */
export function makeBinnedMatrix(
  features: Float64Array,
  rows: number,
  layout: BinLayout,
  columnsOnly = false,
): BinnedMatrix {
  const nFeatures = layout.cuts.length;
  const bins = binMatrix(features, rows, layout);
  const size = columnsOnly ? 0 : bins.length;
  const global = layout.totalBins < 65_536 ? new Uint16Array(size) : new Uint32Array(size);
  const byColumn = new Uint8Array(bins.length);
  const { offsets } = layout;
  for (let r = 0, i = 0; r < rows; r++) {
    for (let f = 0; f < nFeatures; f++, i++) {
      const b = bins[i]!;
      if (size > 0) global[i] = offsets[f]! + b;
      byColumn[f * rows + r] = b;
    }
  }
  return { rows, nFeatures, layout, global, byColumn };
}
