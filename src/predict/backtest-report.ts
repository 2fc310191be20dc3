import type { BacktestResult, Metrics } from './backtest.js';

const fmt = (v: number | undefined, digits = 3) =>
  v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits);

/** Table rows (one per as-of day and scorer, then pooled) for the terminal. */
export function getBacktestRows(result: BacktestResult): Array<Record<string, string | number>> {
  const rows: Array<Record<string, string | number>> = [];
  const add = (asOf: string, population: number, positives: number, scorers: Record<string, Metrics>) => {
    for (const [id, m] of Object.entries(scorers)) {
      rows.push({
        asOf,
        scorer: id,
        n: population,
        pos: positives,
        auprc: fmt(m.averagePrecision, 5),
        auc: fmt(m.rocAuc),
        'cov@1%': fmt(m.atEffort[0]?.coverage, 2),
        'cov@5%': fmt(m.atEffort[1]?.coverage, 2),
        'cov@10%': fmt(m.atEffort[2]?.coverage, 2),
        'cov@15%': fmt(m.atEffort[3]?.coverage, 2),
        'eff@10%': fmt(m.atEffort[2]?.efficiency, 4),
        brier: fmt(m.brier, 5),
        ece: fmt(m.ece, 5),
      });
    }
  };
  for (const point of result.points) add(point.asOf, point.population, point.positives, point.scorers);
  add('pooled', result.pooled.population, result.pooled.positives, result.pooled.scorers);
  return rows;
}

const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** A self-contained HTML report: pooled PR curves (inline SVG), reliability, and the table. */
export function renderBacktestHtml(result: BacktestResult): string {
  const rows = getBacktestRows(result);
  const columns = Object.keys(rows[0] ?? {});
  const table = `<table><tr>${columns.map((c) => `<th>${c}</th>`).join('')}</tr>${rows
    .map((r) => `<tr>${columns.map((c) => `<td>${escapeHtml(String(r[c]))}</td>`).join('')}</tr>`)
    .join('')}</table>`;
  const reliability = result.pooled.scorers.model?.reliability ?? [];
  const relRows = reliability
    .map(
      (b) =>
        `<tr><td>${fmt(b.meanPredicted, 5)}</td><td>${fmt(b.observedRate, 5)}</td><td>${b.count}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>patchcast exploit-model backtest</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style></head><body>
<h1>Exploit-model backtest (horizon ${result.horizonDays} days)</h1>
<p>${result.points.length} as-of dates; pooled population ${result.pooled.population}, positives ${result.pooled.positives}.</p>
<h2>Pooled precision–recall</h2>${renderPrSvg(result)}
<h2>Reliability (model, pooled)</h2><table><tr><th>mean predicted</th><th>observed</th><th>count</th></tr>${relRows}</table>
<h2>Per as-of date</h2>${table}</body></html>`;
}

function renderPrSvg(result: BacktestResult): string {
  const size = 420;
  const pad = 40;
  const x = (r: number) => pad + r * (size - 2 * pad);
  const y = (p: number) => size - pad - p * (size - 2 * pad);
  const lines = Object.entries(result.prCurves).map(([id, curve], k) => {
    const color = COLORS[k % COLORS.length];
    const path = curve.map(([r, p], i) => `${i ? 'L' : 'M'}${x(r).toFixed(1)},${y(p).toFixed(1)}`).join('');
    const label = `${result.scorerLabels[id] ?? id} (AP ${fmt(result.pooled.scorers[id]?.averagePrecision)})`;
    return `<path d="${path}" fill="none" stroke="${color}" stroke-width="1.5"/><text x="${size - pad - 150}" y="${pad + 14 * k}" fill="${color}" font-size="11">${escapeHtml(label)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
<rect x="${pad}" y="${pad}" width="${size - 2 * pad}" height="${size - 2 * pad}" fill="none" stroke="#999"/>
<text x="${size / 2}" y="${size - 8}" font-size="12" text-anchor="middle">recall (coverage)</text>
<text x="12" y="${size / 2}" font-size="12" transform="rotate(-90 12 ${size / 2})" text-anchor="middle">precision (efficiency)</text>
${lines.join('\n')}</svg>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
